import { describe, expect, it } from 'vitest';
import { seedCustomers } from '../../emulators/seed/customers.ts';
import { useLiveApp } from '../support/live-app.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import { authorization } from '../support/tokens.ts';
import { settle, subscribe } from '../support/ws-client.ts';

const BUCKET = 'acme-customer-files';
const ada = seedCustomers[0]!;
const bob = seedCustomers[3]!;
const claimsOf = (customer: typeof ada) => ({ sub: customer.id, scope: 'storage:read storage:write', storage_prefix: `customers/${customer.id}/` });
const EVENTS = 'subscription ($b: String!, $p: String) { storedObjectEvents(bucket: $b, prefix: $p) { id type key object { key size contentType } } }';

const live = useLiveApp();
const socket = (claims: Record<string, unknown>) => live.socket(claims);

describe('storedObjectEvents', () => {
  it('sees a file uploaded with a presigned URL (S3 → SNS → /webhooks/s3), and its removal; nobody else does', async () => {
    const prefix = `customers/${ada.id}/uploads/`;
    const adas = subscribe(await socket(claimsOf(ada)), EVENTS, { b: BUCKET, p: prefix });
    const bobs = subscribe(await socket(claimsOf(bob)), EVENTS, { b: BUCKET, p: `customers/${bob.id}/` });
    await settle(200);

    const body = Buffer.from('{"hello":"subscriptions"}');
    const key = `${prefix}hello.json`;
    const upload = await postGraphQL<{ createUploadUrl: { url: string; headers: { name: string; value: string }[] } }>(
      live.app.gateway.url,
      `mutation ($k: String!) { createUploadUrl(input: { bucket: "${BUCKET}", key: $k, contentType: "application/json", contentLength: ${body.length} }) { url headers { name value } } }`,
      { k: key },
      await authorization(claimsOf(ada)),
    );
    expect(upload.body.errors).toBeUndefined();
    const { url, headers } = upload.body.data!.createUploadUrl;
    const put = await fetch(url, { method: 'PUT', body, headers: Object.fromEntries(headers.map((h) => [h.name, h.value])) });
    expect(put.status).toBe(200);

    const [created] = await adas.waitFor(1);
    expect(created!.data).toMatchObject({ storedObjectEvents: { type: 'object.created', key, object: { key, size: body.length, contentType: 'application/json' } } });

    const removed = await postGraphQL(live.app.gateway.url, `mutation ($k: String!) { deleteObject(bucket: "${BUCKET}", key: $k) { deleted } }`, { k: key }, await authorization(claimsOf(ada)));
    expect(removed.body.errors).toBeUndefined();
    const events = await adas.waitFor(2);
    expect(events[1]!.data).toMatchObject({ storedObjectEvents: { type: 'object.removed', key, object: null } });
    await settle();
    expect(adas.results).toHaveLength(2);
    expect(bobs.results).toEqual([]);
  });

  it('refuses to watch someone else’s prefix, or the whole bucket, for a non-admin', async () => {
    const theirs = subscribe(await socket(claimsOf(ada)), EVENTS, { b: BUCKET, p: `customers/${bob.id}/` });
    const everything = subscribe(await socket(claimsOf(ada)), EVENTS, { b: BUCKET });
    expect(await theirs.ended).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    expect(await everything.ended).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
  });
});
