/**
 * Our gateway as `npm run gateway` runs it in production, on the benchmark's supergraph: bearer JWTs
 * verified (HMAC), deny-by-default access rules (`authenticated` on the bench's root fields), the caller
 * signed onto every subgraph request, memory cache store (APQ), the operation limits (armor's and our cost estimate), Prometheus metrics
 * and the audit log as bin/gateway.ts wires them; rate limiting off (a load test from one principal).
 *
 * Environment: BENCH_SUPERGRAPH (file), BENCH_JWT_SECRET, PORT (0: a free one), BENCH_OURS_METRICS
 * (`false` to leave Prometheus out). `--no-operation-sharing`: identical operations in flight each run
 * (GATEWAY_SHARE_OPERATIONS=false). Prints `READY <url>`; stops on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createAuthenticate } from '../../gateway/auth/authenticate.ts';
import { createTokenVerifier } from '../../gateway/auth/token-verifier.ts';
import { startGateway } from '../../gateway/server.ts';
import { authenticated } from '../../kit/access/access.ts';
import { createAuditLog } from '../../kit/access/audit-log.ts';
import { createLogger } from '../../kit/logger.ts';
import { createMemoryCacheStore } from '../../kit/cache/memory-cache-store.ts';
import { createMetrics } from '../../kit/metrics.ts';
import { createPrincipalTokens } from '../../kit/access/principal-token.ts';

const supergraphFile = process.env['BENCH_SUPERGRAPH'];
const jwtSecret = process.env['BENCH_JWT_SECRET'];
if (!supergraphFile || !jwtSecret) throw new Error('BENCH_SUPERGRAPH and BENCH_JWT_SECRET are required');

const logger = createLogger({ level: process.env['LOG_LEVEL'] ?? 'silent', name: 'gateway' });
const cacheStore = createMemoryCacheStore();
const audit = createAuditLog({ logger });
const gateway = await startGateway({
  supergraphSdl: readFileSync(supergraphFile, 'utf8'),
  host: '127.0.0.1',
  port: Number(process.env['PORT'] ?? 0),
  logger,
  cacheStore,
  production: true,
  corsOrigins: [],
  authenticate: createAuthenticate(createTokenVerifier({ kind: 'hmac', secret: new TextEncoder().encode(jwtSecret), clockToleranceSeconds: 30 })),
  accessRules: { Query: { me: authenticated, users: authenticated, user: authenticated, topProducts: authenticated } },
  tokens: createPrincipalTokens(randomBytes(32)),
  audit,
  metrics: process.env['BENCH_OURS_METRICS'] === 'false' ? undefined : createMetrics({ collectDefault: true }),
  shareOperations: !process.argv.includes('--no-operation-sharing'),
});
process.stdout.write(`READY ${gateway.url}\n`);

const stop = async () => {
  await gateway.close();
  await cacheStore.close();
  await audit.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
