/**
 * `npm run webhook:stripe -- <event type> [--url URL] [--secret whsec_…]`: sends one correctly signed test
 * event to a running gateway, for debugging webhook handling. The secret defaults to STRIPE_WEBHOOK_SECRET,
 * then to the emulator's development secret that `npm start` uses when no Stripe key is configured.
 */
import { parseArgs } from 'node:util';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../emulators/dev-secrets.ts';
import { signedTestDelivery } from '../subgraphs/stripe/test-delivery.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, secret: { type: 'string' } },
});
const [type] = positionals;
if (!type) {
  process.stderr.write('usage: npm run webhook:stripe -- <event type, e.g. payment_intent.succeeded> [--url URL] [--secret whsec_…]\n');
  process.exit(2);
}
const url = values.url ?? `http://localhost:${process.env['PORT'] || 4000}/webhooks/stripe`;
const secret = values.secret ?? (process.env['STRIPE_WEBHOOK_SECRET'] || STRIPE_EMULATOR_WEBHOOK_SECRET);
const delivery = signedTestDelivery({ type, secret });
try {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  process.stdout.write(`${type} ${delivery.eventId} → ${url}: ${response.status} ${await response.text()}\n`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`could not reach ${url}: ${(error as Error).message}\n`);
  process.exit(1);
}
