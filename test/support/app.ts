import { startApp, type RunningApp } from '../../app/start-app.ts';
import { createLogger } from '../../kit/logger.ts';
import { TEST_JWT_SECRET } from './tokens.ts';

/** The whole stack as `npm start` runs it, on free ports, quiet. */
export function startTestApp(env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp({
    env: { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET, ...env },
    logger: createLogger({ level: env['LOG_LEVEL'] ?? 'silent', name: 'test' }),
  });
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
