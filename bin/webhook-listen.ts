/**
 * A local receiver for outgoing webhooks: verifies each delivery's Standard Webhooks signature with the
 * endpoint's secret and prints the event. `npm run webhook:listen -- --secret whsec_… [--port 4400] [--fail-rate 0.3]`
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { runUntilSignalled } from './run-until-signalled.ts';
import { createLogger } from '../kit/logger.ts';

const usage = [
  'usage: webhook:listen --secret whsec_… [--port 4400] [--host 127.0.0.1] [--fail-rate 0..1]',
  '  Receives webhooks on http://HOST:PORT/ and prints each verified event; answers 204, or 400 when the',
  '  signature does not verify. --fail-rate answers that share of deliveries 500, to watch retries.',
  '  --secret may also come from WEBHOOK_SECRET (the secret createWebhookEndpoint showed).',
  '  The gateway must be allowed to deliver to this machine: WEBHOOKS_ALLOW_PRIVATE_URLS=true.',
].join('\n');

const { values } = parseArgs({
  options: { secret: { type: 'string' }, port: { type: 'string', default: '4400' }, host: { type: 'string', default: '127.0.0.1' }, 'fail-rate': { type: 'string', default: '0' }, help: { type: 'boolean' } },
});
const secret = values.secret ?? process.env['WEBHOOK_SECRET'];
const port = Number(values.port);
const failRate = Number(values['fail-rate']);
if (values.help || !secret || !Number.isInteger(port) || !(failRate >= 0 && failRate <= 1)) {
  process.stderr.write(`${usage}\n`);
  process.exit(values.help ? 0 : 2);
}
let webhook: Webhook;
try {
  webhook = new Webhook(secret);
} catch {
  process.stderr.write('--secret: not a whsec_ secret\n');
  process.exit(2);
}

const logger = createLogger({ level: 'info', name: 'webhook-listen' });
const server = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(request.headers[name] ?? '')]));
  try {
    const event = webhook.verify(body, headers) as { type?: string; timestamp?: string; data?: unknown };
    if (Math.random() < failRate) {
      process.stdout.write(`✗ ${headers['webhook-id']} ${event.type ?? '?'}: answered 500 (--fail-rate)\n`);
      response.writeHead(500).end();
      return;
    }
    process.stdout.write(`✓ ${headers['webhook-id']} ${event.type ?? '?'} ${JSON.stringify(event.data)}\n`);
    response.writeHead(204).end();
  } catch (error) {
    process.stdout.write(`✗ ${headers['webhook-id'] || '(no webhook-id)'}: signature does not verify (${(error as Error).message})\n`);
    response.writeHead(400).end();
  }
});
runUntilSignalled(() => new Promise<void>((resolve) => server.close(() => resolve())), logger, { exitWithParent: true });
server.listen(port, values.host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`Listening on http://${values.host}:${actual}/ — give this URL to createWebhookEndpoint; Ctrl-C stops.\n`);
});
