import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type HTTPRequest, type Page, type ResponseForRequest } from 'puppeteer-core';

// What the functions evaluated in the page use of its globals (the project compiles without the DOM library).
interface PageElement {
  textContent: string | null;
  hidden: boolean;
  dataset: Record<string, string | undefined>;
  style: { top: string };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
export interface PageDocument extends PageElement {
  documentElement: PageElement;
  addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
}
declare const document: PageDocument;
declare const window: Record<string, unknown>;

/**
 * Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. Missing: undefined locally (the
 * browser tests are skipped, and say so), an error in CI (CI=true), so a CI machine without it never
 * passes by skipping.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', commandPath('chromium')];
  const found = candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate));
  if (!found && process.env['CI'] === 'true') throw new Error('Chromium is required in CI (apt-get install chromium, or set CHROMIUM_PATH), and was not found');
  return found;
}

function commandPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Headless Chromium that can reach 127.0.0.1 only: every other host name fails to resolve. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      // Chromium refuses to start its sandbox as root (CI runs as root).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--disable-dev-shm-usage',
    ],
  });
}

/** What to do with a request for a host other than the gateway's: abort it (offline), answer it, or never answer. */
export type OutsideRequest = 'offline' | 'hang' | Partial<ResponseForRequest>;

export interface PageWatch {
  /** Every request the page made for a host other than 127.0.0.1, in order. */
  readonly outside: string[];
  /** Uncaught errors in the page. */
  readonly errors: string[];
  /** Content-Security-Policy violations (`directive blocked-uri`). */
  cspViolations(): Promise<string[]>;
}

/**
 * Sets the page up before it loads anything: requests for 127.0.0.1 (and data:/blob: URLs) go through,
 * every other one is recorded and answered by `outside` (aborted as offline, by default).
 */
export async function watchPage(page: Page, outside: (url: URL) => OutsideRequest = () => 'offline'): Promise<PageWatch> {
  const watch = { outside: [] as string[], errors: [] as string[] };
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  await page.evaluateOnNewDocument(() => {
    const violations: string[] = [];
    window['cspViolations'] = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return void request.continue();
    watch.outside.push(request.url());
    const answer = outside(url);
    if (answer === 'offline') void request.abort('internetdisconnected');
    else if (answer !== 'hang') void request.respond(answer);
  });
  return {
    ...watch,
    cspViolations: () => page.evaluate(() => window['cspViolations'] as string[]),
  };
}

/** Generous, for a loaded two-core machine: GraphiQL is a 10 MB page. */
export const WAIT = { timeout: 20_000 };

/** Which explorer the landing page shows (`<html data-explorer>`), once it is no longer loading. */
export async function explorerState(page: Page): Promise<{ explorer: string; reason: string | undefined }> {
  await page.waitForFunction(() => document.documentElement.dataset['explorer'] !== 'loading', WAIT);
  return page.evaluate(() => ({ explorer: document.documentElement.dataset['explorer']!, reason: document.documentElement.dataset['explorerReason'] }));
}

/** Waits until GraphiQL is up with its editors (Monaco starts them after the first render). */
export async function waitForGraphiQL(page: Page): Promise<void> {
  await page.waitForSelector('.graphiql-execute-button', WAIT);
  await page.waitForFunction(() => !!document.querySelector(`.monaco-editor[data-uri$="-request-headers.json"] .view-line`), WAIT);
}

type Editor = 'operation.graphql' | 'request-headers.json' | 'response.json';

/** The text of one of GraphiQL's (Monaco) editors, as shown: its rendered lines in order. */
export function editorText(page: Page, editor: Editor): Promise<string> {
  return page.evaluate(
    (uri) =>
      [...document.querySelectorAll(`.monaco-editor[data-uri$="-${uri}"] .view-line`)]
        .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
        .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
        .join('\n'),
    editor,
  );
}

/** Waits until the answer pane shows `text` (whitespace aside), then returns what it shows (the lines in view). */
export async function waitForAnswer(page: Page, text: string): Promise<string> {
  await page.waitForFunction(
    (wanted) => (document.querySelector('.monaco-editor[data-uri$="-response.json"] .view-lines')?.textContent ?? '').replace(/\s+/g, '').includes(wanted),
    WAIT,
    text.replace(/\s+/g, ''),
  );
  return editorText(page, 'response.json');
}

/** Replaces the headers editor's content as a user typing (pasting) it would. */
export async function setHeaders(page: Page, headers: Record<string, string>): Promise<void> {
  await page.click('.monaco-editor[data-uri$="-request-headers.json"] .view-lines');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.keyboard.sendCharacter(JSON.stringify(headers));
  const expected = JSON.stringify(headers);
  await page.waitForFunction(
    (wanted) => (document.querySelector('.monaco-editor[data-uri$="-request-headers.json"] .view-lines')?.textContent ?? '').replace(/\s+/g, '') === wanted.replace(/\s+/g, ''),
    WAIT,
    expected,
  );
}

/** The landing page at `url`, with GraphiQL's query editor starting with `query` (its `?query=` parameter). */
export function explorerUrl(url: string, query?: string): string {
  return query ? `${url}?query=${encodeURIComponent(query)}` : url;
}
