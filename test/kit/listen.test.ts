import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen } from '../../kit/listen.ts';

describe('listening', () => {
  it('names the server and says what to change when its port is taken', async () => {
    const taken = createServer();
    const port = await listen(taken, 0, '127.0.0.1', 'first');
    const second = createServer();
    try {
      await expect(listen(second, port, '127.0.0.1', 'the s3 subgraph')).rejects.toThrow(
        new RegExp(`^the s3 subgraph: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use; choose another PORT`),
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      second.close();
    }
  });
});
