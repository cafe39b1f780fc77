/**
 * `npm start`: emulators, subgraphs and the gateway in one process; Ctrl-C or SIGTERM stops it cleanly, and
 * so does its parent going away (npm killed, or npm's shell killed by a SIGTERM it did not pass on).
 */
import { PortInUseError } from '../app/ports.ts';
import { startApp } from '../app/start-app.ts';
import { ConfigError } from '../kit/config.ts';
import { createLogger } from '../kit/logger.ts';
import { startTracing } from '../kit/tracing.ts';
import { runUntilSignalled } from './run-until-signalled.ts';

// Validated with everything else in startApp; until then an invalid level must not crash the logger.
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const requestedLevel = process.env['LOG_LEVEL'] ?? '';
const logger = createLogger({ level: LEVELS.includes(requestedLevel) ? requestedLevel : 'info', name: 'gateway' });

try {
  // OTLP traces when the standard OTEL_* variables ask for them (gateway, subgraphs and providers share this process).
  const tracing = await startTracing(process.env, 'federation-gateway');
  const app = await startApp({ env: process.env, logger });
  const base = app.gateway.url.replace(/\/graphql$/, '');
  const lines = [
    '',
    `  GraphQL${app.gateway.landingPage ? ' (explorer in a browser)      ' : '                              '}  ${app.gateway.url}`,
    `  Subscriptions (graphql-ws)             ${app.gateway.wsUrl}`,
    `  Subscriptions (SSE, multipart HTTP)    ${app.gateway.url}`,
    `  Health                                 ${base}/health/live  ${base}/health/ready`,
    `  Metrics (Prometheus)                   ${base}/metrics`,
    `  Cache                                  ${app.cache}`,
    ...app.subgraphs.map((s) => `  Subgraph ${s.name.padEnd(30)}${s.url}`),
    ...app.emulators.map((e) => `  Emulator ${e.name.padEnd(30)}${e.url}  (${e.hint})`),
    '',
    '  A token for the explorer\'s Authorization header (Bearer <token>):  npm run token -- --sub me --scopes admin',
    '  (README: Quick start shows one for a seeded customer, with every provider linked.)',
    '',
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  runUntilSignalled(
    async () => {
      await app.close();
      await tracing?.shutdown();
    },
    logger,
    { exitWithParent: true },
  );
} catch (error) {
  // Start-up errors name the variable to fix (a ConfigError lists them all; Redis names REDIS_URL; a port
  // in use names the port, who wanted it and the range PORT claims): those need no stack trace.
  if (!(error instanceof ConfigError) && !(error instanceof PortInUseError)) logger.fatal({ err: error }, 'start-up failed');
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
