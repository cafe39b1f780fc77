/**
 * `npm run webhook:stripe -- <event type> [--customer cus_…] [--url URL] [--secret whsec_…]`: sends one
 * correctly signed test event to a running gateway, for debugging webhook handling, like `stripe trigger`.
 * The event concerns a customer of the Stripe emulator's seed (Ada, the README's example user, by default),
 * so that a subscription of theirs (`paymentEvents`) receives it. The secret defaults to
 * STRIPE_WEBHOOK_SECRET, then to the emulator's development secret that `npm start` uses when no Stripe
 * key is configured.
 */
import { parseArgs } from 'node:util';
import { STRIPE_EMULATOR_WEBHOOK_SECRET } from '../emulators/dev-secrets.ts';
import { seedPaymentIntents, seedStripeCustomers, type SeedPaymentIntent, type SeedPaymentOutcome } from '../emulators/stripe/fixtures/seed.ts';
import { sampleObject, signedTestDelivery, type TestEventObject } from '../subgraphs/stripe/test-delivery.ts';

/** Ada Okafor: the seeded customer the README's example token is for, linked to every provider. */
const DEMO_CUSTOMER = seedStripeCustomers.find((customer) => customer.id === 'cus_Qm3vT8rLx2NcAe') ?? seedStripeCustomers[0]!;

const USAGE = `Usage: npm run webhook:stripe -- <event type> [options]

Sends one Stripe event to a running gateway's POST /webhooks/stripe, signed exactly as Stripe signs it
(Stripe-Signature), as \`stripe trigger\` would: the gateway verifies it, evicts what it concerns from the
cache and publishes it, so live subscriptions (paymentEvents) receive it. The event concerns a customer of
the Stripe emulator's seed, by default ${DEMO_CUSTOMER.name} (${DEMO_CUSTOMER.id}, the README's example
user): payment_intent.* and charge.* events carry one of that customer's seeded payments, customer.* events
the customer; other objects are samples (ids ending in TESTDELIVERY01) of that customer. Nothing is
changed in the emulator, so a payment_intent.* state change about a payment in another state (Ada's have
all succeeded: .payment_failed, .canceled, .processing, .requires_action) is taken by the gateway for a
late, out-of-order delivery and not published; the command says so and names a customer it fits.

Event types the gateway acts on: payment_intent.created, .succeeded, .payment_failed, .canceled,
.processing, .requires_action; charge.refunded; customer.created, .updated, .deleted;
customer.subscription.created, .updated, .deleted; invoice.paid, .payment_failed. Others are
acknowledged and ignored.

Options:
  --customer <cus_…>   The customer the event concerns (default: ${DEMO_CUSTOMER.id}). A customer
                       outside the seed (a real Stripe account's) gets sample objects.
  --url <URL>          Where to send it (default: http://localhost:$PORT/webhooks/stripe; PORT
                       defaults to 4000).
  --secret <whsec_…>   Signing secret (default: STRIPE_WEBHOOK_SECRET, else the Stripe emulator's
                       development secret, which \`npm start\` uses when no Stripe key is configured).
  -h, --help           Print this help.

Examples:
  npm run webhook:stripe -- payment_intent.succeeded
  npm run webhook:stripe -- customer.updated --customer cus_R7kPzW4hYs1DuG
`;

/** A usage error: what was wrong, then the usage, on stderr; exit status 2. */
function refuse(problem: string): never {
  process.stderr.write(`${problem}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { url: { type: 'string' }, secret: { type: 'string' }, customer: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  // An unknown option or a missing value: node:util says which.
  refuse(error instanceof Error ? error.message : String(error));
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [type, ...extra] = positionals;
if (!type) refuse('an event type is required, e.g. payment_intent.succeeded');
if (extra.length > 0) refuse(`one event type at a time (also got: ${extra.join(' ')})`);
const customerId = values.customer ?? DEMO_CUSTOMER.id;
if (!/^cus_[A-Za-z0-9]+$/.test(customerId)) refuse(`--customer: expected a Stripe customer id (cus_…), got "${customerId}"`);

/** The outcome a seeded payment should have had for the event to be about it. */
const OUTCOME_OF: Readonly<Record<string, SeedPaymentOutcome>> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'declined',
  'payment_intent.canceled': 'canceled',
  'payment_intent.created': 'requires_payment_method',
  'payment_intent.processing': 'requires_payment_method',
  'payment_intent.requires_action': 'requires_payment_method',
  'charge.succeeded': 'succeeded',
  'charge.refunded': 'succeeded',
  'charge.failed': 'declined',
};

/** The customer's seeded payment that fits the event best (the right outcome, a refund for charge.refunded), newest first. */
function seededPayment(eventType: string, customer: string): SeedPaymentIntent | undefined {
  const theirs = seedPaymentIntents.filter((p) => p.customerId === customer && (!eventType.startsWith('charge.') || p.attempt)).sort((a, b) => b.created - a.created);
  const fits = (p: SeedPaymentIntent) => p.outcome === OUTCOME_OF[eventType] && (eventType !== 'charge.refunded' || p.refunds.length > 0);
  return theirs.find(fits) ?? theirs.find((p) => p.outcome === OUTCOME_OF[eventType]) ?? theirs[0];
}

/** The event's object: about `customer`, and one of their seeded objects where the emulator has one. */
function objectFor(eventType: string, customer: string): TestEventObject {
  const sample = sampleObject(eventType);
  const seeded = seedStripeCustomers.find((c) => c.id === customer);
  if (sample.object === 'customer') {
    return { ...sample, id: customer, ...(seeded ? { name: seeded.name, email: seeded.email, metadata: seeded.metadata } : {}) };
  }
  if (!('customer' in sample)) return sample;
  const payment = sample.object === 'payment_intent' || sample.object === 'charge' ? seededPayment(eventType, customer) : undefined;
  if (payment && sample.object === 'payment_intent') return { ...sample, id: payment.id, customer, amount: payment.amount, currency: payment.currency };
  if (payment?.attempt && sample.object === 'charge') {
    return { ...sample, id: payment.attempt.chargeId, customer, payment_intent: payment.id, amount: payment.amount, currency: payment.currency };
  }
  return { ...sample, customer };
}

/**
 * Why the gateway will not publish this event, when it will not: a payment intent's state change about a
 * seeded payment in another state is what Stripe delivers late, out of order, and the gateway drops it as
 * stale (subgraphs/stripe/stale-events.ts). Names a seeded customer with a payment it fits.
 */
function staleNote(eventType: string, object: TestEventObject, customer: string): string | undefined {
  if (!eventType.startsWith('payment_intent.') || eventType.endsWith('.created')) return undefined;
  const outcome = OUTCOME_OF[eventType];
  const payment = seedPaymentIntents.find((p) => p.id === object.id);
  if (!outcome || !payment || payment.outcome === outcome) return undefined;
  const fitting = seedPaymentIntents.find((p) => p.outcome === outcome);
  const other = fitting && seedStripeCustomers.find((c) => c.id === fitting.customerId);
  const name = seedStripeCustomers.find((c) => c.id === customer)?.name ?? customer;
  return (
    `${payment.id} (${name}'s) is ${payment.outcome} in the emulator, so the gateway takes ${eventType} about it for a late, ` +
    `out-of-order delivery and does not publish it (README: Webhooks).` +
    (other ? ` ${other.name} has a payment it fits: --customer ${other.id}` : '')
  );
}

const url = values.url ?? `http://localhost:${process.env['PORT'] || 4000}/webhooks/stripe`;
const secret = values.secret ?? (process.env['STRIPE_WEBHOOK_SECRET'] || STRIPE_EMULATOR_WEBHOOK_SECRET);
const object = objectFor(type, customerId);
const seededCustomer = seedStripeCustomers.find((c) => c.id === customerId);
process.stdout.write(`${type} for ${customerId}${seededCustomer ? ` (${seededCustomer.name})` : ' (not a seeded customer: sample objects)'}: ${object.object} ${object.id}\n`);
const unpublished = staleNote(type, object, customerId);
if (unpublished) process.stdout.write(`note: ${unpublished}\n`);
const delivery = signedTestDelivery({ type, secret, object });
try {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  process.stdout.write(`${type} ${delivery.eventId} → ${url}: ${response.status} ${await response.text()}\n`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`could not reach ${url}: ${(error as Error).message}\n`);
  process.exit(1);
}
