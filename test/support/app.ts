import { startApp, type RunningApp } from '../../app/start-app.ts';
import { createLogger } from '../../subgraphs/kit/logger.ts';

/** The whole stack as `npm start` runs it, on free ports, quiet. */
export function startTestApp(env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp({
    env: { NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', ...env },
    logger: createLogger({ level: env['LOG_LEVEL'] ?? 'silent', name: 'test' }),
  });
}

/** The emulator's request counts, read over its control endpoint as an operator would. */
export async function emulatorRequests(app: RunningApp, provider: string): Promise<Record<string, number>> {
  const emulator = app.emulators.find((e) => e.name === provider);
  if (!emulator) throw new Error(`no ${provider} emulator running`);
  return (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as Record<string, number>;
}

export async function resetEmulatorRequests(app: RunningApp, provider: string): Promise<void> {
  const emulator = app.emulators.find((e) => e.name === provider);
  if (!emulator) throw new Error(`no ${provider} emulator running`);
  await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' });
}
