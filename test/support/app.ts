import { startApp, type RunningApp } from '../../app/start-app.ts';
import { createLogger } from '../../kit/logger.ts';
import { randomBytes } from 'node:crypto';
import { TEST_JWT_SECRET } from './tokens.ts';
import { dropSchema, postgresAvailable, POSTGRES_URL } from './database.ts';

/**
 * The whole stack as `npm start` runs it, on free ports, quiet. Its database is a Postgres schema of its own
 * (dropped on close) when Postgres is there, else an in-memory PGlite: never the shared `.data/` folder that
 * parallel tests would fight over. `env` may name another (DATABASE_URL, DATABASE_DIR).
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const ownsDatabase = env['DATABASE_URL'] === undefined && env['DATABASE_DIR'] === undefined;
  const schema = ownsDatabase && (await postgresAvailable()) ? `test_app_${randomBytes(6).toString('hex')}` : undefined;
  const databaseEnv = !ownsDatabase ? {} : schema ? { DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema } : { DATABASE_DIR: 'memory://' };
  const app = await startApp({
    env: { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, ...databaseEnv, ...env },
    logger: createLogger({ level: env['LOG_LEVEL'] ?? 'silent', name: 'test' }),
  });
  if (!schema) return app;
  return {
    ...app,
    close: async () => {
      await app.close();
      await dropSchema(schema);
    },
  };
}

/** An emulator's base URL, for its control endpoints (`/_emulator/...`). */
export function emulatorUrl(app: RunningApp, provider: string): string {
  const emulator = app.emulators.find((e) => e.name === provider);
  if (!emulator) throw new Error(`no ${provider} emulator running`);
  return emulator.url;
}

/** The emulator's request counts by operation, read over its control endpoint as an operator would. */
export async function emulatorRequests(app: RunningApp, provider: string): Promise<Record<string, number>> {
  return (await (await fetch(`${emulatorUrl(app, provider)}/_emulator/requests`)).json()) as Record<string, number>;
}

export async function resetEmulatorRequests(app: RunningApp, provider: string): Promise<void> {
  await fetch(`${emulatorUrl(app, provider)}/_emulator/requests`, { method: 'DELETE' });
}

/** The total of all counted requests. */
export function totalRequests(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
