import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../kit/logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', name: 'test', destination }) };
}

describe('logging', () => {
  it('writes structured JSON lines', () => {
    const { lines, logger } = capture();
    logger.info({ bucket: 'acme-assets' }, 'listed');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, name: 'test', bucket: 'acme-assets', msg: 'listed' });
  });

  it('redacts secrets and tokens wherever a module logs them', () => {
    const { lines, logger } = capture();
    logger.info({
      req: { headers: { authorization: 'Bearer eyJhbGciOi.secret.token', cookie: 'session=abc' } },
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
      config: { secret: 'whsec_123', token: 'ghp_456', password: 'hunter2' },
    });
    const line = lines.join('');
    for (const secret of ['eyJhbGciOi', 'session=abc', 'AKIAEXAMPLE', 'wJalrXUtnFEMI', 'whsec_123', 'ghp_456', 'hunter2']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });
});
