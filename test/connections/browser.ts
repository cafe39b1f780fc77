/**
 * What a browser does with the consent page: read its form, fill the hidden fields, press a button.
 * Redirects are not followed, so each hop (provider → gateway callback → application) is seen.
 */
export interface ConsentForm {
  action: string;
  fields: Record<string, string>;
  buttons: Record<string, string>;
}

export function readConsentForm(html: string, pageUrl: string): ConsentForm {
  const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('the page has no form');
  const fields: Record<string, string> = {};
  for (const input of form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[input[1]!] = unescape(input[2]!);
  const buttons: Record<string, string> = {};
  for (const button of form[2]!.matchAll(/<button[^>]*name="([^"]+)" value="([^"]+)">([^<]+)<\/button>/g)) buttons[button[3]!] = button[2]!;
  return { action: new URL(unescape(form[1]!), pageUrl).toString(), fields, buttons };
}

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Opens the authorization URL and presses the button labelled `label`; the provider's redirect. */
export async function decideOnConsentPage(authorizationUrl: string, label: 'Authorize app' | 'Cancel', login?: string): Promise<{ page: string; location: string }> {
  const pageResponse = await fetch(authorizationUrl, { redirect: 'manual' });
  if (pageResponse.status !== 200) throw new Error(`consent page answered ${pageResponse.status}`);
  const page = await pageResponse.text();
  const form = readConsentForm(page, authorizationUrl);
  const decision = form.buttons[label];
  if (!decision) throw new Error(`no button labelled ${label}`);
  const body = new URLSearchParams({ ...form.fields, ...(login ? { login } : {}), decision });
  const answer = await fetch(form.action, { method: 'POST', body, redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the decision answered ${answer.status}`);
  return { page, location };
}

/** The application's last step, back on its page: confirming the callback's ticket as its signed-in user. */
export const CONFIRM = 'mutation ($t: String!) { confirmConnection(ticket: $t) { provider login status } }';

/** Where the callback sent the browser: the application's page with `provider` and `connection_ticket`. */
export function ticketFrom(callback: Response): { page: string; provider: string | null; ticket: string } {
  const location = callback.headers.get('location');
  if (callback.status !== 303 || !location) throw new Error(`the callback answered ${callback.status}`);
  const url = new URL(location);
  const ticket = url.searchParams.get('connection_ticket');
  if (!ticket) throw new Error(`no connection_ticket in ${url.origin}${url.pathname}`);
  return { page: `${url.origin}${url.pathname}`, provider: url.searchParams.get('provider'), ticket };
}

const CONNECT_ACCOUNT = 'mutation ($p: ConnectionProvider!, $r: String!) { connectAccount(provider: $p, redirectUri: $r) { authorizationUrl } }';

/**
 * Connects the signed-in user's account at `provider` as an application and its user would: connectAccount,
 * the consent page signed in as `login`, the callback, then confirmConnection. `ask` sends GraphQL as that user.
 */
export async function connectAccountAs(
  ask: (query: string, variables: Record<string, unknown>) => Promise<{ body: { data?: unknown; errors?: unknown } }>,
  provider: 'GITHUB' | 'TWITTER',
  login: string,
  returnTo: string,
): Promise<{ data?: unknown; errors?: unknown }> {
  const started = await ask(CONNECT_ACCOUNT, { p: provider, r: returnTo });
  const { authorizationUrl } = (started.body.data as { connectAccount: { authorizationUrl: string } }).connectAccount;
  const { location } = await decideOnConsentPage(authorizationUrl, 'Authorize app', login);
  return (await ask(CONFIRM, { t: ticketFrom(await fetch(location, { redirect: 'manual' })).ticket })).body;
}
