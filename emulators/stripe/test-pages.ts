import type { IncomingMessage, ServerResponse } from 'node:http';
import type Stripe from 'stripe';
import { readBody } from '../shared/read-body.ts';
import { sendJson } from '../shared/send-json.ts';
import type { RequestHandlerContext } from './handle-request.ts';
import { completeCheckoutSession } from './resources/checkout-sessions.ts';
import { completePaymentAuthentication } from './resources/payment-attempts.ts';
import { completeSetupAuthentication } from './resources/setup-intents.ts';
import { TEST_CARDS } from './resources/test-cards.ts';
import { runInternal } from './run-internal.ts';
import { StripeApiError } from './stripe-error.ts';

/**
 * The pages Stripe hosts for the customer, as small stand-ins a browser or a test can drive:
 * - `/_emulator/authenticate/:intent?client_secret=…`: the 3-D Secure challenge of a PaymentIntent or
 *   SetupIntent in `requires_action`. GET shows Complete / Fail; POST `action=approve|fail` (form or JSON)
 *   answers it, then redirects to the intent's `return_url` as Stripe does, or answers the intent's status.
 * - `/_emulator/checkout/:session`: a Checkout Session's payment page. GET shows a test-card picker with
 *   Pay / Cancel; POST `action=pay&payment_method=pm_card_visa` completes the session and redirects to its
 *   `success_url` (`{CHECKOUT_SESSION_ID}` filled in); `action=cancel` redirects to its `cancel_url`.
 */
const PAGES = /^\/_emulator\/(authenticate|checkout)\/([A-Za-z0-9_]+)$/;

export function isTestPage(target: string): boolean {
  return PAGES.test(target.split('?')[0] ?? '');
}

export async function handleTestPage(req: IncomingMessage, res: ServerResponse, context: RequestHandlerContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const [, page, id = ''] = PAGES.exec(url.pathname) ?? [];
  const method = req.method ?? 'GET';
  context.counter.record(`${method} /_emulator/${page ?? ''}/:id`);
  if (method !== 'GET' && method !== 'POST') {
    sendJson(res, 405, { error: `method ${method} not allowed` }, { headers: { allow: 'GET, POST' } });
    return;
  }
  const form = method === 'POST' ? parseBody(await readBody(req, 64 * 1024), req.headers['content-type']) : new URLSearchParams();
  if (page === 'authenticate') authenticationPage(res, context, id, method, form, url.searchParams.get('client_secret') ?? form.get('client_secret'));
  else checkoutPage(res, context, id, method, form);
}

function authenticationPage(res: ServerResponse, context: RequestHandlerContext, id: string, method: string, form: URLSearchParams, clientSecret: string | null): void {
  const intent: Stripe.PaymentIntent | Stripe.SetupIntent | undefined = context.store.paymentIntents.get(id) ?? context.store.setupIntents.get(id);
  if (!intent || intent.client_secret !== clientSecret) {
    sendJson(res, 404, { error: 'no such intent, or the client_secret does not match' });
    return;
  }
  if (intent.status !== 'requires_action') {
    sendJson(res, 409, { error: `this intent is ${intent.status}, not waiting for authentication` });
    return;
  }
  if (method === 'GET') {
    sendHtml(res, 200, page('3D Secure test page', `<p>Authenticate ${intent.object === 'payment_intent' ? `a payment of ${intent.amount} ${intent.currency}` : 'saving a card'}?</p>
<form method="post"><input type="hidden" name="client_secret" value="${escape(clientSecret ?? '')}">
<button name="action" value="approve">Complete authentication</button> <button name="action" value="fail">Fail authentication</button></form>`));
    return;
  }
  const approve = form.get('action') === 'approve';
  const returnUrl = intent.next_action?.redirect_to_url?.return_url ?? null;
  const after = runInternal(context, (api) =>
    intent.object === 'payment_intent' ? completePaymentAuthentication(api, intent, approve) : completeSetupAuthentication(api, intent, approve),
  );
  if (returnUrl) {
    const target = new URL(returnUrl);
    const prefix = after.object === 'payment_intent' ? 'payment_intent' : 'setup_intent';
    target.searchParams.set(prefix, after.id);
    target.searchParams.set(`${prefix}_client_secret`, after.client_secret ?? '');
    target.searchParams.set('redirect_status', after.status === 'requires_payment_method' ? 'failed' : 'succeeded');
    res.writeHead(303, { location: target.toString(), 'content-length': 0 }).end();
    return;
  }
  sendJson(res, 200, { id: after.id, object: after.object, status: after.status });
}

function checkoutPage(res: ServerResponse, context: RequestHandlerContext, id: string, method: string, form: URLSearchParams): void {
  const session = context.store.checkoutSessions.get(id);
  if (!session) {
    sendJson(res, 404, { error: 'no such checkout session' });
    return;
  }
  if (session.status !== 'open') {
    sendHtml(res, 410, page('Checkout', `<p>This Checkout Session is ${escape(session.status ?? '')}.</p>`));
    return;
  }
  if (method === 'GET') {
    const options = Object.keys(TEST_CARDS).map((token) => `<option value="${token}">${token}</option>`).join('');
    const amount = session.amount_total === null ? 'Save a card' : `Pay ${session.amount_total} ${session.currency ?? ''}`;
    sendHtml(res, 200, page('Checkout (Stripe emulator)', `<form method="post"><label>Test card <select name="payment_method">${options}</select></label>
<button name="action" value="pay">${escape(amount)}</button> <button name="action" value="cancel">Cancel</button></form>`));
    return;
  }
  if (form.get('action') === 'cancel') {
    redirectOrSay(res, session.cancel_url, 'canceled', session.id);
    return;
  }
  try {
    const completed = runInternal(context, (api) => completeCheckoutSession(api, session, form.get('payment_method') ?? 'pm_card_visa'));
    redirectOrSay(res, completed.success_url, 'complete', completed.id);
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    sendHtml(res, error.status, page('Checkout', `<p class="error">${escape(error.body.message)}</p><p>Try another card.</p>`));
  }
}

function redirectOrSay(res: ServerResponse, target: string | null, status: string, sessionId: string): void {
  if (target) {
    res.writeHead(303, { location: target.replaceAll('{CHECKOUT_SESSION_ID}', sessionId), 'content-length': 0 }).end();
    return;
  }
  sendHtml(res, 200, page('Checkout', `<p>Checkout ${status}.</p>`));
}

function parseBody(body: string, contentType: string | undefined): URLSearchParams {
  if (contentType?.includes('application/json')) {
    const parsed: unknown = body === '' ? {} : JSON.parse(body);
    const entries = typeof parsed === 'object' && parsed !== null ? Object.entries(parsed).map(([key, value]): [string, string] => [key, String(value)]) : [];
    return new URLSearchParams(entries);
  }
  return new URLSearchParams(body);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) }).end(html);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
