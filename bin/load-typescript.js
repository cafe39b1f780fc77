// Loads TypeScript for `node --import ./bin/load-typescript.js <entry>.ts`, with no build step. Where Node
// strips types itself (22.18+, 23.6+; the code is written in erasable syntax only) it does so, and positions
// in stack traces are the source's own; older Nodes load through tsx, which maps them back with source maps
// (every `.stack` read then pays for the mapping: the Stripe SDK reads one on every request).
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
