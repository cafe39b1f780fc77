import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../app/start-app.ts';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { redactArguments, type AuditRecord } from '../../kit/access/audit-log.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { startTestApp } from '../support/app.ts';
import { authorization } from '../support/tokens.ts';

const ada = seedCustomers[0]!;
const bob = seedCustomers[3]!;
const adaClaims = { sub: 'ada', scope: 'payments:read payments:write', customer: ada.id };
const folder = mkdtempSync(join(tmpdir(), 'audit-'));
const file = join(folder, 'nested', 'audit.log');
let app: RunningApp | undefined;
let records: AuditRecord[] = [];

beforeAll(async () => {
  app = await startTestApp({ AUDIT_LOG_FILE: file });
  const as = async (query: string, variables: Record<string, unknown>) => postGraphQL(app!.gateway.url, query, variables, await authorization(adaClaims));
  const create = `mutation Pay($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id } } }`;
  const created = await as(create, {
    input: { customerId: ada.id, amount: 1250, currency: 'usd', idempotencyKey: 'audit-key-0001', description: `Order for ${ada.email}`, metadata: [{ key: 'phone', value: '+44 20 7946 0000' }] },
  });
  if (!created.body.data) throw new Error(JSON.stringify(created.body));
  const id = (created.body.data as { createPaymentIntent: { paymentIntent: { id: string } } }).createPaymentIntent.paymentIntent.id;
  await as(`mutation Confirm($input: ConfirmPaymentIntentInput!) { confirmPaymentIntent(input: $input) { status } }`, {
    input: { id, paymentMethod: 'pm_card_chargeDeclined', idempotencyKey: 'audit-key-0002' },
  });
  await as(create, { input: { customerId: bob.id, amount: 99, currency: 'usd', idempotencyKey: 'audit-key-0003' } });
  await app.close();
  app = undefined;
  records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
});
afterAll(async () => {
  await app?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('the audit trail of mutations (AUDIT_LOG_FILE)', () => {
  it('records who did what, through which provider, and how it ended', () => {
    expect(records.map((r) => [r.field, r.provider, r.outcome, r.principal, r.operationName])).toEqual([
      ['createPaymentIntent', 'stripe', 'ok', 'ada', 'Pay'],
      ['confirmPaymentIntent', 'stripe', 'CARD_DECLINED', 'ada', 'Confirm'],
      ['createPaymentIntent', 'gateway', 'FORBIDDEN', 'ada', 'Pay'],
    ]);
    expect(records.every((r) => typeof r.requestId === 'string' && !Number.isNaN(Date.parse(r.time)))).toBe(true);
  });

  it('names the provider’s own request ids of the calls a mutation made', () => {
    expect(records[0]!.providerRequestIds).toEqual([expect.stringMatching(/^req_/)]);
    expect(records[1]!.providerRequestIds.length).toBeGreaterThan(0);
    expect(records[2]!.providerRequestIds).toEqual([]);
  });

  it('keeps identifiers and amounts, and redacts personal data and payment methods', () => {
    expect(records[0]!.arguments).toEqual({
      input: { customerId: ada.id, amount: 1250, currency: 'usd', allowRedirects: false, idempotencyKey: 'audit-key-0001', description: '[redacted]', metadata: [{ key: 'phone', value: '[redacted]' }] },
    });
    const text = readFileSync(file, 'utf8');
    for (const secret of [ada.email, '7946', 'pm_card_chargeDeclined']) expect(text).not.toContain(secret);
  });

  it('keeps a DateTime argument as the instant it names, and webhook endpoint and delivery ids', () => {
    const since = new Date('2026-12-07T08:00:00.000Z');
    expect(redactArguments({ endpointId: 'ep_1', since, deliveryId: 'del_2', note: new Date(0) })).toEqual({
      endpointId: 'ep_1',
      since: '2026-12-07T08:00:00.000Z',
      deliveryId: 'del_2',
      note: '[redacted]',
    });
  });
});
