import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { DEFAULT_EMBEDDED_SANDBOX_VERSION } from '@apollo/server/plugin/landingPage/default';
import { onceSucceeded } from '../../kit/once-succeeded.ts';
import type { ExplorerAssets } from './explorer-assets.ts';

/**
 * The page a browser gets at `/graphql`: Apollo Sandbox when the browser can reach Apollo's CDN, otherwise
 * (the script fails to load, or has not loaded within `sandboxTimeoutMs`) the gateway's own GraphiQL
 * (from @graphql-yoga/render-graphiql: no CDN), so it works offline. GraphiQL's code is fetched from the
 * gateway only then (explorer-assets.ts), which keeps the page itself small.
 *
 * The local explorer introspects the same endpoint, shows the docs, starts with a headers editor holding
 * `{"Authorization": "Bearer <token>"}` (ignored until the placeholder is replaced) and runs subscriptions
 * over graphql-ws on the same URL, the Authorization header becoming the `authorization` connection
 * parameter. `?explorer=local` opens it directly.
 */
export interface ExplorerLandingPageOptions {
  /** The local explorer's code, served by the gateway's route (explorer-assets.ts). */
  assets: () => Promise<ExplorerAssets>;
  /** How long the page waits for Apollo Sandbox's script before it starts the local explorer. */
  sandboxTimeoutMs?: number;
  /** How to get a token, as the local explorer tells it (plain text, several lines allowed). */
  tokenHelp?: string;
}

export const DEFAULT_SANDBOX_TIMEOUT_MS = 5_000;
/** The part of the prefilled Authorization header that marks it as not filled in yet. */
const TOKEN_PLACEHOLDER = '<token>';

const DEFAULT_TOKEN_HELP = [
  'npm run token -- --sub <id> --scopes <a,b> [--customer cus_…] [--github login] [--twitter name]',
  '(README, Authentication). With the demo data of `npm start`, Ada is linked to every provider:',
  '',
  '  npm run token -- --sub ada --scopes payments:read,social:read,storage:read \\',
  '    --customer cus_Qm3vT8rLx2NcAe --github adaokafor --twitter ada_builds \\',
  '    --storage-prefix customers/cus_Qm3vT8rLx2NcAe/',
].join('\n');

export function explorerLandingPage<Context extends BaseContext>(options: ExplorerLandingPageOptions): ApolloServerPlugin<Context> {
  // Built on the first request, then only the nonce changes.
  const pageParts = onceSucceeded(() => renderPage(options));
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: async () => (await pageParts()).join(randomBytes(16).toString('hex')) };
        },
      };
    },
  };
}

/** Apollo Sandbox exactly as Apollo Server's own landing page embeds it (`embed: true, includeCookies: false`). */
export function sandboxEmbed(): { scriptUrl: string; config: Record<string, unknown> } {
  const runtime = `@apollo/server@${apolloServerVersion()}`;
  return {
    scriptUrl: `${SANDBOX_CDN}/${encodeURIComponent(DEFAULT_EMBEDDED_SANDBOX_VERSION)}/embeddable-sandbox.umd.production.min.js?runtime=${encodeURIComponent(runtime)}`,
    config: {
      target: '#embeddableSandbox',
      initialState: { includeCookies: false },
      hideCookieToggle: false,
      endpointIsEditable: false,
      runtime,
      runTelemetry: true,
      allowDynamicStyles: false,
    },
  };
}

const SANDBOX_CDN = 'https://embeddable-sandbox.cdn.apollographql.com';
// Apollo Server's own lists, for the Sandbox; GraphiQL adds inline styles (Monaco writes <style> elements),
// data: images and fonts, and blob: workers.
const CDN_SCRIPTS = [
  'https://apollo-server-landing-page.cdn.apollographql.com',
  SANDBOX_CDN,
  'https://embeddable-explorer.cdn.apollographql.com',
];
const CDN_STYLES = [...CDN_SCRIPTS, 'https://fonts.googleapis.com'];
const CDN_FRAMES = ['https://explorer.embed.apollographql.com', 'https://sandbox.embed.apollographql.com', 'https://embed.apollo.local:3000'];
const NONCE = '\u0000nonce\u0000';

function apolloServerVersion(): string {
  // @apollo/server does not export its package.json; its main entry is <package>/dist/cjs/index.js.
  const main = createRequire(import.meta.url).resolve('@apollo/server');
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(main), '..', '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
  if (manifest.name !== '@apollo/server' || !manifest.version) throw new Error(`cannot tell @apollo/server's version from ${main}`);
  return manifest.version;
}

/** The page, split where the per-response nonce goes. */
async function renderPage(options: ExplorerLandingPageOptions): Promise<string[]> {
  const sandboxTimeoutMs = options.sandboxTimeoutMs ?? DEFAULT_SANDBOX_TIMEOUT_MS;
  const tokenHelp = options.tokenHelp ?? DEFAULT_TOKEN_HELP;
  const sandbox = sandboxEmbed();
  const assets = await options.assets();
  const pageScript = readFileSync(new URL('./page.js', import.meta.url), 'utf8');
  const config = {
    sandboxScriptUrl: sandbox.scriptUrl,
    sandboxConfig: sandbox.config,
    sandboxTimeoutMs,
    tokenPlaceholder: TOKEN_PLACEHOLDER,
    assetsUrl: assets.path,
    // Options of @graphql-yoga/render-graphiql's GraphiQL (and GraphiQL's own, passed through).
    graphiql: {
      title: 'Gateway explorer',
      logo: LOGO,
      headers: JSON.stringify({ Authorization: `Bearer ${TOKEN_PLACEHOLDER}` }, null, 2),
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: defaultQuery(tokenHelp),
    },
  };
  const csp = [
    `script-src 'self' 'nonce-${NONCE}' ${CDN_SCRIPTS.join(' ')}`,
    `style-src 'self' 'unsafe-inline' ${CDN_STYLES.join(' ')}`,
    `img-src 'self' data: blob: https://apollo-server-landing-page.cdn.apollographql.com`,
    `manifest-src https://apollo-server-landing-page.cdn.apollographql.com`,
    `frame-src ${CDN_FRAMES.join(' ')}`,
    `worker-src blob:`,
  ].join('; ');
  const html = `<!DOCTYPE html>
<html lang="en" data-explorer="loading">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="Content-Security-Policy" content="${csp}" />
    <meta name="viewport" content="width=device-width,initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>Gateway explorer</title>
    <style>${PAGE_STYLE}</style>
  </head>
  <body>
    <noscript>The explorer needs JavaScript. Without it, POST queries to this URL with any HTTP client.</noscript>
    <div id="sandbox-notice">
      <h1>Loading Apollo Sandbox…</h1>
      <p>Apollo Sandbox is loaded from Apollo's CDN. If your browser cannot reach it, this page opens the gateway's own explorer instead, within ${Math.round(sandboxTimeoutMs / 1000)} s.</p>
      <p><button id="use-local-explorer" type="button">Use the local explorer now</button></p>
    </div>
    <div id="embeddableSandbox"></div>
    <div id="local-explorer" hidden>
      <div id="local-explorer-bar" role="note">
        <strong>Local explorer.</strong> <span id="local-explorer-reason"></span>: this is the gateway's own GraphiQL, which needs nothing but the gateway.
        Token: <code>npm run token -- --sub &lt;id&gt; --scopes &lt;a,b&gt;</code> (README, Authentication), then replace <code>${escapeHtml(TOKEN_PLACEHOLDER)}</code> under Headers.
        Subscriptions run over graphql-ws on this URL, with the same header.
        <a id="try-sandbox" href="">Try Apollo Sandbox again</a>
      </div>
      <div id="graphiql"></div>
    </div>
    <script type="application/json" id="explorer-config">${jsonForHtml(config)}</script>
    <script nonce="${NONCE}">${pageScript}</script>
  </body>
</html>
`;
  if (pageScript.includes('</script') || pageScript.includes('<!--')) throw new Error('page.js cannot be inlined as it is');
  const parts = html.split(NONCE);
  if (parts.length !== 3) throw new Error('the landing page has a stray nonce marker');
  return parts;
}

function defaultQuery(tokenHelp: string): string {
  const lines = [
    "This is the gateway's own GraphiQL, served by the gateway alone (no CDN): it works offline.",
    'The schema comes from this endpoint by introspection; Docs are in the sidebar.',
    '',
    'Operations that need a caller need a token. Print one with',
    ...tokenHelp.split('\n'),
    '',
    `and put it in place of ${TOKEN_PLACEHOLDER} under Headers (until then requests go out without a token).`,
    'Subscriptions run over graphql-ws on this same URL; the Authorization header is sent as the',
    "connection's `authorization` parameter.",
  ];
  return `${lines.map((line) => (line ? `# ${line}` : '#')).join('\n')}\n\n`;
}

/** JSON inside a <script> data block: no `<` at all, so no `</script>` or `<!--` can end or bend it. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const LOGO = `<svg viewBox="0 0 40 40" width="32" height="32" aria-hidden="true"><g fill="none" stroke="#e10098" stroke-width="2.5"><path d="M20 6 32 13v14L20 34 8 27V13z"/><path d="M20 6 8 27h24z"/></g><g fill="#e10098"><circle cx="20" cy="6" r="3"/><circle cx="32" cy="13" r="3"/><circle cx="32" cy="27" r="3"/><circle cx="20" cy="34" r="3"/><circle cx="8" cy="27" r="3"/><circle cx="8" cy="13" r="3"/></g></svg>`;

const PAGE_STYLE = `
  html, body { margin: 0; height: 100%; }
  body { overflow: hidden; font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }
  #sandbox-notice { padding: 1em 1.5em; color: #333; opacity: 0; animation: appear 0.3s 0.5s forwards; }
  #sandbox-notice h1 { font-size: 1.4em; font-weight: 600; }
  @keyframes appear { to { opacity: 1; } }
  #embeddableSandbox { width: 100vw; height: 100vh; position: absolute; top: 0; }
  #embeddableSandbox:empty { display: none; }
  #embeddableSandbox iframe { background-color: white; height: 100%; width: 100%; border: none; }
  #local-explorer { display: flex; flex-direction: column; height: 100vh; }
  #local-explorer[hidden] { display: none; }
  #local-explorer-bar { flex: none; padding: 6px 12px; font-size: 13px; line-height: 1.5; color: #333; background: #fbf3f8; border-bottom: 1px solid #e8d5e1; }
  #local-explorer-bar code { font-size: 12px; background: #fff; padding: 0 3px; border-radius: 3px; white-space: nowrap; }
  #local-explorer-bar a { margin-left: 0.5em; }
  #graphiql { flex: 1; min-height: 0; }
  #graphiql > .graphiql-container { height: 100%; }
`;
