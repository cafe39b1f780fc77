import type { GraphQLServerContext } from '@apollo/server';
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
    for (const id of ['explorer-config', 'local-explorer-assets']) {
      const block = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(first)?.[1];
      expect(block, id).toBeDefined();
      expect(() => JSON.parse(block!)).not.toThrow();
    }
  });
});

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
