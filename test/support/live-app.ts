import type { Client } from 'graphql-ws';
import { afterAll, beforeAll } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { startTestApp } from './app.ts';
import { signTestToken } from './tokens.ts';
import { wsClient } from './ws-client.ts';

/**
 * The whole stack for a test file, plus WebSocket clients as mobile apps open them (one per call, with
 * a token for these claims, or anonymous); everything is closed after the file's tests.
 */
export function useLiveApp(env: Record<string, string> = {}) {
  let app: RunningApp | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    app = await startTestApp(env);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await app?.close();
  });
  return {
    get app(): RunningApp {
      if (!app) throw new Error('the app is not started yet');
      return app;
    },
    async socket(claims?: Record<string, unknown>): Promise<Client> {
      const client = wsClient(this.app.gateway.wsUrl, claims ? { token: await signTestToken(claims) } : {});
      clients.push(client);
      return client;
    },
  };
}
