import type { WebhookResponse } from '../../kit/webhooks/webhook-route.ts';

/** Nothing on these pages loads anything, and the code in the callback URL never leaves as a referrer. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
};

/** A page a person reads when connecting did not work: what happened, and what to do. */
export function failurePage(status: number, title: string, explanation: string, returnTo?: string): WebhookResponse {
  const back = returnTo ? `<p><a href="${escapeHtml(returnTo)}">Back to the application</a></p>` : '';
  return {
    status,
    body: {},
    headers: PAGE_HEADERS,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(explanation)}</p>${back}</body></html>`,
  };
}

export function redirectTo(location: string): WebhookResponse {
  return { status: 303, body: {}, headers: { ...PAGE_HEADERS, location } };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
