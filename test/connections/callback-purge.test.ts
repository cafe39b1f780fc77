import { describe, expect, it } from 'vitest';
import { purgingWebhooks } from '../../gateway/execute/response-cache.ts';
import type { WebhookResponse, WebhookRoute } from '../../kit/webhooks/webhook-route.ts';
import { failurePage, redirectTo } from '../../subgraphs/connections/pages.ts';

/** A connection callback's answers, as the connections subgraph gives them, through the gateway's purge. */
const callback = (answer: WebhookResponse): WebhookRoute => ({ method: 'GET', path: '/oauth/github/callback', handle: async () => answer });
const request = { rawBody: Buffer.alloc(0), headers: {}, query: new URLSearchParams() };

describe('the response cache around OAuth callbacks', () => {
  it('is purged when a callback was accepted (303 to the application), not when it failed', async () => {
    let purges = 0;
    const purge = async () => {
      purges++;
    };
    const [connected] = purgingWebhooks([callback(redirectTo('http://localhost:3000/settings?provider=github&connection_ticket=t'))], purge);
    expect((await connected!.handle(request)).status).toBe(303);
    expect(purges).toBe(1);
    const [denied] = purgingWebhooks([callback(failurePage(403, 'GitHub account not connected', 'You declined.'))], purge);
    expect((await denied!.handle(request)).status).toBe(403);
    expect(purges).toBe(1);
  });
});
