// Issue 14's acceptance walk (test/e2e/walk.ts) in Chromium against serve mode, from an empty runs folder,
// once per language. Any console error, page error or request off this machine fails it.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeProblems, findChromiumBinary, launchChromium, missingBuild, newProblems, startApp, watchedContext,
  type App, type Problems,
} from './harness.js';
import { DATASET } from './flow.js';
import { WALK_DIR, walk, walkShot, type Lang } from './walk.js';

// $E2E_STATIC_DIR: serve a private UI build instead of renderer/dist (see harness.staticDir).
vi.mock('../../serve/files.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../serve/files.js')>();
  const { resolve } = await import('node:path');
  return { ...orig, defaultStaticDir: () => (process.env.E2E_STATIC_DIR ? resolve(process.env.E2E_STATIC_DIR) : orig.defaultStaticDir()) };
});

// Both languages by default; $E2E_WALK_LANGS=en (or zh) walks one, e.g. to keep a local run short.
const LANGS = (process.env.E2E_WALK_LANGS ?? 'en,zh').split(',').map((l) => l.trim()).filter((l): l is Lang => l === 'en' || l === 'zh');

const chromiumBinary = findChromiumBinary();
const whyNot = !chromiumBinary
  ? 'Chromium is not installed (looked for /usr/bin/chromium and $CHROME_PATH; on Debian: apt-get install chromium)'
  : missingBuild() ?? (!existsSync(path.join(DATASET, 't10k-images-idx3-ubyte.gz'))
    ? `Fashion-MNIST is not at ${DATASET} (on Debian: apt-get install dataset-fashion-mnist)` : null);

if (whyNot && !process.env.CI) console.warn(`[e2e] skipping the acceptance walk: ${whyNot}`);

describe.skipIf(!!whyNot && !process.env.CI)('the acceptance walk (Quick look → AT run → Try it → baseline → Compare → PDF and zip)', () => {
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (whyNot) return;
    rmSync(WALK_DIR, { recursive: true, force: true }); // no screenshot of an earlier walk lingers
    browser = await launchChromium(chromiumBinary!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
  }, 60_000);

  for (const lang of LANGS) {
    it(`walks it in ${lang}`, async () => {
      if (whyNot) throw new Error(`The acceptance walk cannot run: ${whyNot}. CI must install it (see .ci/run).`);
      const t0 = Date.now();
      // A fresh serve mode each time: an empty runs folder.
      const app: App = await startApp({ chromiumBinary });
      const problems: Problems = newProblems();
      let context: BrowserContext | undefined;
      let page: Page | undefined;
      try {
        context = await watchedContext(browser!, problems);
        page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await walk(page, app, lang);
        expect(describeProblems(problems)).toBe('');
      } catch (err) {
        if (page) await walkShot(page, `walk-${lang}-FAILED`).catch(() => undefined);
        const seen = describeProblems(problems);
        if (seen && err instanceof Error) err.message += `\n\nThe browser also reported:\n${seen}`;
        throw err;
      } finally {
        mkdirSync(WALK_DIR, { recursive: true });
        writeFileSync(path.join(WALK_DIR, `walk-${lang}-serve.log`), app.log.join('\n') + '\n');
        await context?.close().catch(() => undefined);
        await app.close();
        console.log(`[e2e] walk (${lang}): ${Math.round((Date.now() - t0) / 1000)} s`);
      }
    }, 600_000);
  }
});
