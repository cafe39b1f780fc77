/**
 * `npx tsx test/explorer/take-screenshots.ts`: the README's two pictures of the landing page, taken in
 * headless Chromium against the whole stack (`npm start`'s, on free ports, with the emulators' demo data):
 *
 * - docs/explorer-sandbox.png: the page trying Apollo Sandbox (its CDN request held unanswered);
 * - docs/explorer-offline.png: the browser offline (every host but 127.0.0.1 refused): the local explorer,
 *   after running the README's catalogue query, with Docs open.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import type { RunningApp } from '../../app/start-app.ts';
import { startTestApp } from '../support/app.ts';
import { explorerState, explorerUrl, findChromium, launchChromium, waitForAnswer, waitForGraphiQL, WAIT, watchPage, type PageDocument } from './browser.ts';

declare const document: PageDocument;
declare const getComputedStyle: (element: unknown) => { opacity: string };
declare const requestAnimationFrame: (callback: (time: number) => void) => number;

const CATALOGUE_QUERY = `{
  products(first: 3) {
    nodes {
      name
      prices {
        unitAmount {
          formatted
        }
      }
    }
  }
}`;
const VIEWPORT = { width: 1440, height: 860 };
const docs = fileURLToPath(new URL('../../docs/', import.meta.url));

const chromium = findChromium();
if (!chromium) throw new Error('Chromium not found: apt-get install chromium, or set CHROMIUM_PATH');

let app: RunningApp | undefined;
let browser: Browser | undefined;
try {
  app = await startTestApp();
  browser = await launchChromium(chromium);
  mkdirSync(docs, { recursive: true });

  const trying = await browser.newPage();
  await trying.setViewport(VIEWPORT);
  await watchPage(trying, () => 'hang');
  await trying.goto(app.gateway.url, { waitUntil: 'domcontentloaded' });
  // The notice fades in (so that a quick Sandbox never flashes it); take it once it is fully there.
  await trying.waitForFunction(() => getComputedStyle(document.querySelector('#sandbox-notice')).opacity === '1', WAIT);
  if ((await trying.evaluate(() => document.documentElement.dataset['explorer'])) !== 'loading') throw new Error('the page stopped trying Sandbox too early');
  // The page is blank below the notice: keep the top of it.
  await trying.screenshot({ path: `${docs}explorer-sandbox.png`, clip: { x: 0, y: 0, width: VIEWPORT.width, height: 200 } });
  await trying.close();

  const offline = await browser.newPage();
  await offline.setViewport(VIEWPORT);
  const watch = await watchPage(offline);
  await offline.goto(explorerUrl(app.gateway.url, CATALOGUE_QUERY));
  const state = await explorerState(offline);
  if (state.explorer !== 'local') throw new Error(`expected the local explorer, got ${JSON.stringify(state)}`);
  await waitForGraphiQL(offline);
  await offline.click('.graphiql-execute-button');
  await waitForAnswer(offline, '"formatted"');
  await offline.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
  await offline.waitForFunction(() => !!document.querySelector('.graphiql-doc-explorer')?.textContent?.includes('Root Types'), WAIT);
  // Let the editors settle after the panel opened (Monaco lays itself out on the next frames).
  await offline.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await offline.screenshot({ path: `${docs}explorer-offline.png` });
  if (watch.errors.length > 0) throw new Error(`errors in the page: ${watch.errors.join('; ')}`);
  process.stdout.write(`wrote ${docs}explorer-sandbox.png and ${docs}explorer-offline.png (requests refused as offline: ${watch.outside.join(', ')})\n`);
} finally {
  await browser?.close();
  await app?.close();
}
