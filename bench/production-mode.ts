/**
 * Imported first by benchmarks that run the app in their own process: as deployed, NODE_ENV=production,
 * which graphql-js and express read once, when they load (graphql-js then skips its development-only
 * checks, one of which costs ~3% of a cached answer's CPU). The app's `env` option comes too late for them.
 */
process.env['NODE_ENV'] = 'production';
