import type { GraphQLServerContext } from '@apollo/server';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { DEFAULT_SANDBOX_TIMEOUT_MS, sandboxEmbed } from '../../gateway/explorer/landing-page.ts';
import { startTestGateway, type TestGateway } from '../support/test-gateway.ts';
import { signTestToken } from '../support/tokens.ts';
import { editorText, explorerState, explorerUrl, findChromium, launchChromium, setHeaders, waitForAnswer, waitForGraphiQL, WAIT, watchPage, type OutsideRequest, type PageDocument, type PageWatch } from './browser.ts';

type OnTestFinished = TestContext['onTestFinished'];

declare const document: PageDocument;
declare const window: Record<string, unknown>;

const chromium = findChromium();
if (!chromium) console.warn('test/explorer: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH): the browser tests are skipped');

let stack: TestGateway;
beforeAll(async () => {
  stack = await startTestGateway();
});
afterAll(async () => {
  await stack?.close();
});

describe('the landing page', () => {
  it("embeds Apollo Sandbox exactly as Apollo Server's own landing page does", async () => {
    const listener = await ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }).serverWillStart!({} as GraphQLServerContext);
    const landingPage = await listener!.renderLandingPage!();
    const apolloHtml = typeof landingPage.html === 'string' ? landingPage.html : await landingPage.html();
    const scriptUrl = /<script nonce="[^"]*" src="(https:\/\/embeddable-sandbox\.cdn\.apollographql\.com\/[^"]+)"><\/script>/.exec(apolloHtml)?.[1];
    const config = /var embeddedSandboxConfig = (\{.*\});/.exec(apolloHtml)?.[1];
    expect(scriptUrl).toBeDefined();
    expect(sandboxEmbed()).toEqual({ scriptUrl, config: JSON.parse(config!) });
  });

  it('is served with a new nonce each time, and its data blocks cannot end their <script>', async () => {
    const load = async () => (await fetch(stack.gateway.url, { headers: { accept: 'text/html' } })).text();
    const [first, second] = [await load(), await load()];
    const nonce = (html: string) => /'nonce-([0-9a-f]{32})'/.exec(html)?.[1];
    expect(nonce(first)).toBeDefined();
    expect(nonce(second)).toBeDefined();
    expect(nonce(first)).not.toBe(nonce(second));
    expect(first).toContain(`<script nonce="${nonce(first)}">`);
    const block = /<script type="application\/json" id="explorer-config">([^<]*)<\/script>/.exec(first)?.[1];
    expect(block).toBeDefined();
    expect(() => JSON.parse(block!)).not.toThrow();
  });

  it("is small: GraphiQL's code is served apart, gzipped and cacheable for good, under a name that changes with it", async () => {
    const html = await (await fetch(stack.gateway.url, { headers: { accept: 'text/html' } })).text();
    // It was over 9 MB with GraphiQL and Monaco inlined.
    expect(html.length).toBeLessThan(50_000);
    const { assetsUrl } = JSON.parse(/<script type="application\/json" id="explorer-config">([^<]*)<\/script>/.exec(html)![1]!) as { assetsUrl: string };
    expect(assetsUrl).toMatch(/^\/explorer\/graphiql-[0-9a-f]{16}\.json$/);
    const url = new URL(assetsUrl, stack.gateway.url);

    // Node's http, so that the bytes on the wire are seen as they are, not decoded by fetch.
    const gzipped = await getRaw(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gzipped.headers['vary']).toBe('accept-encoding');
    const assets = JSON.parse(gunzipSync(gzipped.body).toString('utf8')) as Record<string, string>;
    expect(Object.keys(assets).sort()).toEqual(['css', 'editorWorkerService', 'graphqlWorker', 'js', 'jsonWorker']);
    expect(assets['js']).toContain('renderYogaGraphiQL');
    expect(gzipped.body.length).toBeLessThan(JSON.stringify(assets).length / 2);

    const plain = await getRaw(url, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8'))).toEqual(assets);

    const other = await fetch(new URL('/explorer/graphiql-0000000000000000.json', stack.gateway.url));
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: 'no route for GET /explorer/graphiql-0000000000000000.json' });
  });
});

/** A GET over node:http: status, headers and the body's bytes as sent (no decoding). */
function getRaw(url: URL, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

describe.skipIf(!chromium)('the explorer in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromium!);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page in a fresh profile (GraphiQL keeps tabs and headers in localStorage), closed when the test ends. */
  async function open(onTestFinished: OnTestFinished, outside?: (url: URL) => OutsideRequest): Promise<{ page: Page; watch: PageWatch }> {
    const context = await browser.createBrowserContext();
    onTestFinished(() => context.close());
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    return { page, watch: await watchPage(page, outside) };
  }

  it('offline: tries Sandbox, switches to the local explorer by itself, and runs a query through the gateway', async ({ onTestFinished }) => {
    const { page, watch } = await open(onTestFinished);
    await page.goto(explorerUrl(stack.gateway.url, '{ echo(text: "hi") }'));
    expect(await explorerState(page)).toEqual({ explorer: 'local', reason: 'unreachable' });
    await waitForGraphiQL(page);

    await page.click('.graphiql-execute-button');
    expect(JSON.parse(await waitForAnswer(page, '"echo": "hi"'))).toEqual({ data: { echo: 'hi' } });

    // The only request that ever left 127.0.0.1 was Sandbox's script, tried first.
    expect(watch.outside).toEqual([sandboxEmbed().scriptUrl]);
    expect(watch.errors).toEqual([]);
    expect(await watch.cspViolations()).toEqual([]);
  });

  it('opens directly on ?explorer=local, shows the schema in Docs, and starts with an Authorization placeholder', async ({ onTestFinished }) => {
    const { page, watch } = await open(onTestFinished);
    await page.goto(`${stack.gateway.url}?explorer=local`);
    expect(await explorerState(page)).toEqual({ explorer: 'local', reason: 'chosen' });
    await waitForGraphiQL(page);

    expect(JSON.parse(await editorText(page, 'request-headers.json'))).toEqual({ Authorization: 'Bearer <token>' });
    expect(await editorText(page, 'operation.graphql')).toContain('npm run token -- --sub ada');

    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    await page.waitForFunction(() => document.querySelector('.graphiql-doc-explorer')?.textContent?.includes('subscription: Subscription'), WAIT);
    // The root type's fields, from introspection of this gateway.
    const types = await page.$$('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name');
    const names = await Promise.all(types.map((type) => type.evaluate((element) => element.textContent)));
    await types[names.indexOf('Query')]!.click();
    await page.waitForFunction(() => document.querySelector('.graphiql-doc-explorer')?.textContent?.includes('echo(text: String!): String!'), WAIT);
    expect(watch.outside).toEqual([]);
    expect(watch.errors).toEqual([]);
  });

  it('runs subscriptions over graphql-ws, with the Authorization header as the connection parameter', async ({ onTestFinished }) => {
    const { page, watch } = await open(onTestFinished);
    await page.goto(explorerUrl(stack.gateway.url, 'subscription { whoamiLive }'));
    expect((await explorerState(page)).explorer).toBe('local');
    await waitForGraphiQL(page);
    const started = stack.stats.subscriptionsStarted;

    await setHeaders(page, { Authorization: `Bearer ${await signTestToken({ sub: 'ada' })}` });
    await page.click('.graphiql-execute-button');
    expect(JSON.parse(await waitForAnswer(page, '"whoamiLive": "ada"'))).toEqual({ data: { whoamiLive: 'ada' } });
    expect(stack.stats.subscriptionsStarted).toBe(started + 1);
    expect(watch.errors).toEqual([]);
  });

  // These two mostly wait for the fallback timeout: they run side by side.
  it.concurrent("keeps Apollo Sandbox when Apollo's CDN answers, and never loads the local explorer", async ({ onTestFinished, expect }) => {
    // A stand-in for Sandbox's script: what the embed code needs, recording how it was called.
    const fakeSandbox = `window.EmbeddedSandbox = function (options) {
      window.sandboxOptions = options;
      var frame = document.createElement('iframe');
      frame.title = 'Apollo Sandbox (stand-in)';
      document.querySelector(options.target).appendChild(frame);
    };`;
    const { page, watch } = await open(onTestFinished, (url) =>
      url.hostname === 'embeddable-sandbox.cdn.apollographql.com' ? { status: 200, contentType: 'application/javascript', body: fakeSandbox } : 'offline',
    );
    await page.goto(stack.gateway.url);
    expect(await explorerState(page)).toEqual({ explorer: 'sandbox', reason: undefined });
    expect(await page.evaluate(() => window['sandboxOptions'])).toEqual({
      ...sandboxEmbed().config,
      initialEndpoint: stack.gateway.url,
    });
    expect(await page.$$eval('#embeddableSandbox iframe', (frames) => frames.length)).toBe(1);

    // Past the fallback timeout, it is still Sandbox, and GraphiQL never ran.
    await page.waitForFunction((ms) => performance.now() > ms, WAIT, DEFAULT_SANDBOX_TIMEOUT_MS + 1_000);
    expect(await page.evaluate(() => document.documentElement.dataset['explorer'])).toBe('sandbox');
    expect(await page.evaluate(() => 'YogaGraphiQL' in window || !!document.querySelector('.graphiql-container'))).toBe(false);
    expect(await page.evaluate(() => document.querySelector('#local-explorer')?.hidden)).toBe(true);
    // Nor was its code ever fetched.
    expect(await page.evaluate(() => performance.getEntriesByType('resource').filter((entry) => entry.name.includes('/explorer/')).length)).toBe(0);
    expect(watch.outside).toEqual([sandboxEmbed().scriptUrl]);
    expect(watch.errors).toEqual([]);
  });

  it.concurrent("switches after the timeout when Apollo's CDN never answers", async ({ onTestFinished, expect }) => {
    const { page, watch } = await open(onTestFinished, () => 'hang');
    await page.goto(explorerUrl(stack.gateway.url, '{ echo(text: "late") }'), { waitUntil: 'domcontentloaded' });
    expect(await page.evaluate(() => document.documentElement.dataset['explorer'])).toBe('loading');
    expect(await explorerState(page)).toEqual({ explorer: 'local', reason: 'timeout' });
    expect(await page.evaluate(() => performance.now())).toBeGreaterThanOrEqual(DEFAULT_SANDBOX_TIMEOUT_MS);
    await waitForGraphiQL(page);
    await page.click('.graphiql-execute-button');
    expect(JSON.parse(await waitForAnswer(page, '"echo": "late"'))).toEqual({ data: { echo: 'late' } });
    expect(watch.outside).toEqual([sandboxEmbed().scriptUrl]);
    expect(watch.errors).toEqual([]);
  });
});
