// End-to-end harness: Debian's Chromium (driven by playwright-core) against serve mode started in this
// process — startServeMode, as `atstudio serve` and `npm start` start it (service, training in a child engine
// process, Chromium PDF renderer, HTTP + WebSocket server) on a free loopback port, with a temporary runs folder. Needs `npm run build` first (dist/ for the engine, renderer/dist for the UI).
// Every page: 1280×800, console errors and page errors collected (the test fails on any), and every
// request to anything but this loopback server blocked and recorded (proves the UI fetches nothing).
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { defaultEngineScript } from '../../core/service/index.js';
import { startServeMode } from '../../serve/index.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUTPUT_DIR = path.join(REPO_ROOT, 'test-output', 'e2e');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** $CHROME_PATH when set (null when it is not executable), else Debian's /usr/bin/chromium (or chromium-browser); null if none. */
export function findChromiumBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : null;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (executable(p)) return p;
  return null;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * The built renderer: renderer/dist, or $E2E_STATIC_DIR (a private build, so that a parallel `vite build`
 * cannot empty renderer/dist mid-test; the test file points serve mode's defaultStaticDir at it).
 */
export function staticDir(): string {
  return process.env.E2E_STATIC_DIR ? path.resolve(process.env.E2E_STATIC_DIR) : path.join(REPO_ROOT, 'renderer', 'dist');
}

/** What is missing for the e2e test to run, or null. */
export function missingBuild(): string | null {
  const ui = staticDir();
  if (!existsSync(path.join(ui, 'index.html'))) return `the UI is not built (${ui}/index.html missing): run npm run build`;
  const engine = defaultEngineScript();
  if (!existsSync(engine)) return `the engine is not built (${engine} missing): run npm run build`;
  return null;
}

export interface App {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** Serve mode's token (on loopback too): contexts from watchedContext carry it as the cookie. */
  token: string;
  runsDir: string;
  /** Everything serve mode logged (requests refused, API calls that failed). */
  log: string[];
  /** One API call over HTTP, as the page makes it. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

/** The token of the app startApp started last (contexts made after it carry it). */
let appToken: { url: string; token: string } | null = null;

/**
 * Serve mode in this process: startServeMode (serve/serveMode.ts — createService with childProcessEngine, the
 * Chromium PDF renderer, startServer), as `atstudio serve` and `npm start` run it, on 127.0.0.1 port 0 with a
 * temporary runs folder and the UI of staticDir().
 */
export async function startApp(opts: { chromiumBinary?: string | null } = {}): Promise<App> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-e2e-'));
  const runsDir = path.join(tmp, 'runs');
  mkdirSync(runsDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.chromiumBinary ? { CHROME_PATH: opts.chromiumBinary } : {}) };
  const log: string[] = [];
  const serve = await startServeMode({ runsDir, host: '127.0.0.1', port: 0, cwd: tmp, env, staticDir: staticDir(), log: (line) => log.push(line) });
  const url = serve.server.url.replace(/\/?$/, '/');
  const token = serve.server.token;
  if (!token) throw new Error(`serve mode has no token:\n${log.join('\n')}`);
  const call = async <T,>(method: string, ...args: unknown[]): Promise<T> => {
    const res = await fetch(`${url}api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ args }) });
    const body = (await res.json()) as { ok: boolean; result?: T; error?: { code: string; message: string } };
    if (!body.ok) throw new Error(`${method}: [${body.error?.code}] ${body.error?.message}`);
    return body.result as T;
  };
  appToken = { url, token };
  return {
    url, token, runsDir, log, call,
    async close() {
      await Promise.race([serve.close(), new Promise((r) => setTimeout(r, 30_000))]).catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** true for URLs a page may load: this machine over http(s)/ws, or in-page schemes (data:, blob:, about:). */
export function isLocalUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return false;
  return LOOPBACK.has(u.hostname);
}

export interface Problems {
  consoleErrors: string[];
  pageErrors: string[];
  blockedRequests: string[];
  /** Controls a screen reader could not name (checked on every screenshot). */
  unnamedControls: string[];
  /** API calls answered with an error status: what was asked and what the service said. */
  failedApiCalls: string[];
}

export function newProblems(): Problems {
  return { consoleErrors: [], pageErrors: [], blockedRequests: [], unnamedControls: [], failedApiCalls: [] };
}

const problemsOf = new WeakMap<Page, Problems>();

/** Visible inputs, selects, buttons and links without an accessible name, described for the failure message. */
export async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (el: Element): boolean => {
      const aria = el.getAttribute('aria-label')?.trim();
      if (aria) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim())) return true;
      if ((el as HTMLInputElement).labels?.length && [...(el as HTMLInputElement).labels!].some((l) => l.textContent?.trim())) return true;
      if (el.getAttribute('title')?.trim()) return true;
      if ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent?.trim()) return true;
      return false;
    };
    const out: string[] = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')) {
      const box = (el as HTMLElement).getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered (closed dialogs, hidden file inputs)
      if (!named(el)) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

export function describeProblems(p: Problems): string {
  const parts: string[] = [];
  if (p.consoleErrors.length) parts.push(`console errors:\n  ${p.consoleErrors.join('\n  ')}`);
  if (p.pageErrors.length) parts.push(`page errors:\n  ${p.pageErrors.join('\n  ')}`);
  if (p.blockedRequests.length) parts.push(`blocked non-loopback requests:\n  ${p.blockedRequests.join('\n  ')}`);
  if (p.unnamedControls.length) parts.push(`controls without an accessible name:\n  ${p.unnamedControls.join('\n  ')}`);
  if (p.failedApiCalls.length) parts.push(`API calls that failed:\n  ${p.failedApiCalls.join('\n  ')}`);
  return parts.join('\n');
}

/**
 * A browser context whose pages are watched: non-loopback requests are aborted and recorded (http via
 * route; WebSockets cannot be routed without replacing the page's WebSocket class, so a non-loopback one is
 * recorded as a problem); `allow(url)` can narrow it further (e.g. the offline report allows nothing).
 */
export async function watchedContext(browser: Browser, problems: Problems, opts: { allow?: (url: string) => boolean; offline?: boolean } = {}): Promise<BrowserContext> {
  const allow = opts.allow ?? isLocalUrl;
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 }, acceptDownloads: true, colorScheme: 'light', reducedMotion: 'reduce',
    serviceWorkers: 'block', offline: opts.offline ?? false,
  });
  // What opening the printed address (…/?token=) leaves behind: the token cookie, for pages, requests and sockets.
  if (appToken) await context.addCookies([{ name: 'atstudio_token', value: appToken.token, url: appToken.url, httpOnly: true, sameSite: 'Strict' }]);
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (allow(url)) await route.continue();
    else {
      problems.blockedRequests.push(url);
      await route.abort('blockedbyclient');
    }
  });
  context.on('page', (page) => watchPage(page, problems));
  return context;
}

/** The screen a page is on (its hash route), for error messages. */
function where(page: Page): string {
  try {
    const u = new URL(page.url());
    return u.protocol === 'file:' ? path.basename(u.pathname) : u.hash || '/';
  } catch {
    return page.url();
  }
}

/** Records console errors and uncaught exceptions of one page. */
export function watchPage(page: Page, problems: Problems): void {
  problemsOf.set(page, problems);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // The blocked requests are reported on their own; Chromium logs them as console errors too.
    if (/ERR_BLOCKED_BY_CLIENT|ERR_INTERNET_DISCONNECTED/.test(text)) return;
    // A request the page's CSP refused is still an attempt to reach something it must not.
    const csp = /Refused to connect|violates the following Content Security Policy/.test(text) ? /'((?:https?|wss?):\/\/[^']+)'/.exec(text) : null;
    if (csp && !isLocalUrl(csp[1]!)) problems.blockedRequests.push(`${csp[1]} (refused by the page's CSP)`);
    const loc = msg.location();
    problems.consoleErrors.push(`[${where(page)}] ${text}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(`[${where(page)}] ${(err.stack ?? err.message).split('\n').slice(0, 6).join('\n    ')}`));
  page.on('websocket', (ws) => { if (!isLocalUrl(ws.url())) problems.blockedRequests.push(ws.url()); });
  // Chromium's console line for a failed fetch says only the status; the request and answer say why.
  page.on('response', (res) => {
    if (res.status() < 400 || !new URL(res.url()).pathname.startsWith('/api/')) return;
    const asked = (res.request().postData() ?? '').slice(0, 600);
    const at = where(page);
    res.text().then(
      (body) => problems.failedApiCalls.push(`[${at}] ${res.status()} ${new URL(res.url()).pathname} ${asked} → ${body.slice(0, 600)}`),
      () => problems.failedApiCalls.push(`[${at}] ${res.status()} ${new URL(res.url()).pathname} ${asked} (answer unreadable)`),
    );
  });
}

let shotCounter = 0;
export const screenshots: { file: string; screen: string }[] = [];

/** test-output/e2e/<nn>-<screen>.png (full page). */
export async function screenshot(page: Page, screen: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  shotCounter++;
  const file = path.join(OUTPUT_DIR, `${String(shotCounter).padStart(2, '0')}-${screen}.png`);
  // From the top: a full-page shot of a scrolled page draws the sticky header part-way down.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  screenshots.push({ file, screen });
  const problems = problemsOf.get(page);
  if (problems) for (const c of await unnamedControls(page)) problems.unnamedControls.push(`[${screen}] ${c}`);
  return file;
}

/** Emptied once per run so stale screenshots of an earlier run do not linger. */
export function resetOutput(): void {
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  mkdirSync(OUTPUT_DIR, { recursive: true });
  shotCounter = 0;
  screenshots.length = 0;
}

/** Switches the app's theme through its own selector (the choice is stored, so switch back after). */
export async function setTheme(page: Page, choice: 'light' | 'dark'): Promise<void> {
  await page.getByLabel('Theme', { exact: true }).selectOption(choice);
  await page.waitForFunction((c) => document.documentElement.dataset.theme === c, choice);
}

/** Light screenshot, then a dark one (…-dark.png), then back to light. */
export async function screenshotBothThemes(page: Page, screen: string): Promise<void> {
  await screenshot(page, screen);
  await setTheme(page, 'dark');
  await page.waitForTimeout(150); // let canvases re-colour
  await screenshot(page, `${screen}-dark`);
  await setTheme(page, 'light');
  await page.waitForTimeout(150);
}

/** Phase timings, printed and written to test-output/e2e/timings.json. */
export class Timings {
  readonly t0 = Date.now();
  readonly phases: { phase: string; seconds: number }[] = [];
  private last = Date.now();
  mark(phase: string): void {
    const now = Date.now();
    const seconds = Math.round((now - this.last) / 100) / 10;
    this.phases.push({ phase, seconds });
    this.last = now;
    console.log(`[e2e] ${phase}: ${seconds} s (total ${Math.round((now - this.t0) / 100) / 10} s)`);
  }
  total(): number {
    return Math.round((Date.now() - this.t0) / 100) / 10;
  }
}
