import { createClient } from '@keyv/redis';

export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Whether Redis-backed tests can run. Locally a missing Redis skips them; in CI (CI=true) it is an error,
 * so that a broken CI machine can never pass by skipping.
 */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env['CI'] === 'true') throw new Error(`Redis is required in CI but ${url} is unreachable: ${(error as Error).message}`);
    return false;
  } finally {
    if (client.isOpen) await client.close();
  }
}
