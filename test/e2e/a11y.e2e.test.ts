// Accessibility and narrow windows, end to end (issue #14): axe-core (WCAG 2 A/AA and 2.1 A/AA) on every
// screen and state of the app in serve mode with Debian's Chromium, in the light and the dark theme, and no
// screen that scrolls sideways in an 800 px window; in English, then the main screens again in Chinese (?lang=zh). Runs are made cheaply (256 images, one epoch) through the
// API, one through the wizard. Screenshots at 1280 and 800 px go to test-output/a11y/.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  REPO_ROOT, describeProblems, findChromiumBinary, launchChromium, missingBuild, newProblems, startApp, watchedContext,
  type App, type Problems,
} from './harness.js';
import { DATASET, fill, next, step } from './flow.js';
import type { StudyView } from '../../core/service/api.js';
import type { RunSummary } from '../../core/runs/types.js';

vi.mock('../../serve/files.js', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../serve/files.js')>();
  const { resolve } = await import('node:path');
  return { ...orig, defaultStaticDir: () => (process.env.E2E_STATIC_DIR ? resolve(process.env.E2E_STATIC_DIR) : orig.defaultStaticDir()) };
});

const OUT = path.join(REPO_ROOT, 'test-output', 'a11y');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LIMIT = 256;
const DONE_TIMEOUT = 240_000;

const chromiumBinary = findChromiumBinary();
const whyNot = !chromiumBinary
  ? 'Chromium is not installed (looked for /usr/bin/chromium and $CHROME_PATH; on Debian: apt-get install chromium)'
  : missingBuild() ?? (!existsSync(path.join(DATASET, 'train-images-idx3-ubyte.gz'))
    ? `Fashion-MNIST is not at ${DATASET} (on Debian: apt-get install dataset-fashion-mnist)` : null);
if (whyNot && !process.env.CI) console.warn(`[a11y] skipping the accessibility test: ${whyNot}`);

/** A tiny run: 256 Fashion-MNIST images, one epoch, on wasm. */
function tinyConfig(name: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 2, name, seed: 1,
    data: { path: DATASET, format: 'idx', inputShape: [28, 28, 1], limit: LIMIT, testLimit: LIMIT, augment: false },
    teacher: { source: 'train', model: { family: 'wrn', depth: 10, widen: 1 }, training: { epochs: 1 } },
    student: { model: { family: 'wrn', depth: 10, widen: 1 } },
    method: 'at',
    attention: { fn: { kind: 'sum-p', p: 2 }, beta: 100, form: 'code' },
    training: { epochs: 1, batchSize: 64, lr: 0.05, momentum: 0.9, weightDecay: 0.0005, schedule: { kind: 'cosine' } },
    backend: 'wasm', probes: 4,
    ...over,
  };
}

interface Violation { screen: string; id: string; impact: string | null; help: string; nodes: { target: string; summary: string }[] }

describe.skipIf(!!whyNot && !process.env.CI)('accessibility (axe-core) and 800 px windows on every screen', () => {
  let app: App | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  const problems: Problems = newProblems();
  const violations: Violation[] = [];
  const wide: string[] = [];
  const checked: string[] = [];
  let shot = 0;

  beforeAll(async () => {
    if (whyNot) return;
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    app = await startApp({ chromiumBinary });
    browser = await launchChromium(chromiumBinary!);
    context = await watchedContext(browser, problems);
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    if (whyNot) return;
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (app) writeFileSync(path.join(OUT, 'serve.log'), app.log.join('\n') + '\n');
    // A11Y_KEEP_RUNS=1: keep the runs folder (test-output/a11y/runs) to look at the screens again with `atstudio serve`.
    if (app && process.env.A11Y_KEEP_RUNS) cpSync(app.runsDir, path.join(OUT, 'runs'), { recursive: true });
    await app?.close();
  }, 120_000);

  /** axe on the page as it is now; violations are collected (the test fails at the end, listing all). */
  async function axe(screen: string): Promise<void> {
    // Evaluated rather than added as a <script>: the app's CSP (script-src 'self') refuses inline scripts.
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async (tags) => {
      const r = await (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } })
        .axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300) })) }));
    }, TAGS);
    for (const v of result) violations.push({ screen, ...v });
    checked.push(screen);
    writeFileSync(path.join(OUT, 'axe.txt'), `${checked.length} checks: ${checked.join(', ')}\n\n${findings()}\n`);
  }

  /** Every violation (id, impact, summary, the first nodes' targets) and every screen too wide. */
  function findings(): string {
    return [
      ...violations.map((v) => `[${v.screen}] ${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 6).map((n) => `    ${n.target} — ${n.summary}`).join('\n')}`),
      ...wide.map((w) => `[sideways] ${w}`),
    ].join('\n');
  }

  async function save(name: string): Promise<void> {
    shot++;
    // From the top: a full-page shot of a scrolled page draws the sticky header part-way down.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true, animations: 'disabled' });
  }

  /** One screen: axe in light and dark, screenshots at 1280 and 800 px, and no sideways scroll at 800 px. */
  async function screen(name: string, opts: { narrow?: boolean; dark?: boolean } = {}): Promise<void> {
    await page.waitForTimeout(250); // charts and canvases settle
    await axe(name);
    await save(name);
    if (opts.dark !== false) {
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      await page.waitForTimeout(200);
      await axe(`${name} (dark)`);
      await save(`${name}-dark`);
      await page.emulateMedia({ colorScheme: 'light' });
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
    }
    if (opts.narrow !== false) {
      await page.setViewportSize({ width: 800, height: 600 });
      await page.waitForTimeout(400);
      const { sw, iw, culprits } = await page.evaluate(() => {
        const iw = window.innerWidth;
        // The widest elements that reach past the window, for the failure message.
        // Not clipped by a scrolling ancestor, or positioned (an absolute box escapes a scroller that is not its containing block).
        const clipped = (el: Element): boolean => {
          for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
          return false;
        };
        const culprits = [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > iw + 1)
          .filter((el) => ['absolute', 'fixed'].includes(getComputedStyle(el).position) || !clipped(el))
          .sort((x, y) => y.getBoundingClientRect().right - x.getBoundingClientRect().right)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
        return { sw: document.documentElement.scrollWidth, iw, culprits };
      });
      if (sw > iw) wide.push(`${name}: ${sw} px wide in a ${iw} px window (${culprits.join('; ')})`);
      await axe(`${name} (800 px)`);
      await save(`${name}-800px`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.waitForTimeout(150);
    }
  }

  async function waitDone(ids: string[]): Promise<void> {
    const deadline = Date.now() + DONE_TIMEOUT;
    for (;;) {
      const runs = await app!.call<RunSummary[]>('listRuns');
      const mine = runs.filter((r) => ids.includes(r.id));
      const bad = mine.find((r) => r.status === 'failed' || r.status === 'cancelled');
      if (bad) throw new Error(`run ${bad.name} ended ${bad.status}: ${await app!.call<string>('getLog', bad.id)}`);
      if (mine.length === ids.length && mine.every((r) => r.status === 'done')) return;
      if (Date.now() > deadline) throw new Error(`runs not done in time: ${mine.map((r) => `${r.name} ${r.status}`).join(', ')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function go(hash: string): Promise<void> {
    await page.goto(`${app!.url}${hash}`);
    await expect.poll(() => page.locator('main h1').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  }

  it('axe finds no WCAG 2/2.1 A or AA violation, and nothing scrolls sideways at 800 px', async () => {
    if (whyNot) throw new Error(`The accessibility test cannot run: ${whyNot}. CI must install it (see .ci/run).`);
    const a = app!;
    // The runs library before anything ran.
    await go('#/runs');
    await page.evaluate(() => localStorage.clear());
    await go('#/runs');
    await screen('runs-empty');

    // A first run through the API, training while the wizard is walked.
    const first = await a.call<RunSummary>('startRun', tinyConfig('a11y-at'));

    // The wizard, step by step, with an error shown inline, the file browser and the Advanced sections open.
    await go('#/new');
    await step(page, 'dataset');
    await fill(page, 'Dataset path', DATASET);
    await fill(page, 'Training images (limit)', '-5');
    await expect.poll(() => page.locator('.field-error').count()).toBeGreaterThan(0);
    await screen('wizard-dataset-error', { dark: false });
    await fill(page, 'Training images (limit)', String(LIMIT));
    await fill(page, 'Test images', String(LIMIT));
    await expect.poll(() => page.getByTestId('dataset-samples').locator('img').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screen('wizard-dataset');
    await page.getByRole('button', { name: /^Browse for Dataset path/ }).click();
    const browserDialog = page.locator('dialog[open]');
    await expect.poll(() => browserDialog.locator('[data-testid="fb-path"]').count(), { timeout: 10_000 }).toBe(1);
    await screen('file-browser');
    await browserDialog.getByRole('button', { name: 'Cancel' }).click();
    await next(page, 'teacher');
    await page.getByLabel('Train a teacher first', { exact: true }).check();
    await fill(page, 'Teacher depth', '10');
    await fill(page, 'Teacher width', '1');
    await fill(page, 'Teacher epochs', '1');
    await expect.poll(() => page.getByTestId('teacher-estimate').textContent(), { timeout: 30_000 }).toMatch(/Parameters/);
    await screen('wizard-teacher', { dark: false });
    await next(page, 'student');
    await expect.poll(() => page.getByTestId('student-estimate').textContent(), { timeout: 30_000 }).toMatch(/Parameters/);
    await screen('wizard-student', { dark: false });
    await next(page, 'attention');
    await page.getByTestId('attention-advanced').locator('summary').click();
    await expect.poll(() => page.getByTestId('attention-preview').locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await screen('wizard-attention-advanced');
    await next(page, 'hints');
    await expect.poll(() => page.getByTestId('hint-pairs').locator('table tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screen('wizard-hints', { dark: false });
    await next(page, 'training');
    await expect.poll(() => page.getByTestId('preset-quick').textContent(), { timeout: 90_000 }).toMatch(/about .+ here/);
    await screen('wizard-training-presets');
    await page.getByRole('radio', { name: /^Custom/ }).check();
    await fill(page, 'Epochs', '1');
    await fill(page, 'Batch size', '64');
    await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
    await fill(page, 'Run name', 'a11y-wizard');
    await page.getByTestId('training-advanced').locator('summary').click();
    await screen('wizard-training-custom-advanced', { dark: false });
    await next(page, 'review');
    await expect.poll(() => page.getByTestId('duration-estimate').textContent(), { timeout: 90_000 }).toMatch(/about .+ on/);
    await screen('wizard-review');
    await page.getByTestId('wizard-start').click();
    await page.waitForFunction(() => /^#\/runs\/[^/?]+$/.test(location.hash), undefined, { timeout: 30_000 });
    const wizardId = decodeURIComponent((await page.evaluate(() => location.hash)).replace(/^#\/runs\//, ''));
    // The "submitted" toast is up (for 6 s) over the dashboard of the queued or running run.
    await page.getByTestId('run-status').waitFor({ state: 'visible', timeout: 5000 });
    await expect.poll(() => page.getByTestId('notice-success').count()).toBeGreaterThan(0);
    await axe('dashboard-live with a toast');
    await save('dashboard-live-toast');
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 60_000 }).toMatch(/running|queued/);
    await screen('dashboard-live', { dark: false });
    // Cancel asks first.
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(1);
    await screen('dialog-confirm-cancel', { narrow: false, dark: false });
    await page.locator('dialog[open]').getByRole('button', { name: 'Cancel', exact: true }).click();

    // A study of two more runs that reuse the first run's teacher.
    await waitDone([first.id]);
    const studyConfig = tinyConfig('a11y-study', { teacher: { source: 'run', run: first.id } });
    delete studyConfig.method;
    const study = await a.call<StudyView>('startStudy', { ...studyConfig, methods: ['baseline', 'at'], seeds: 1 });
    await go('#/studies');
    await screen('studies-list', { dark: false });
    await go(`#/studies/${encodeURIComponent(study.id)}`);
    await screen('study-live', { dark: false });

    // The finished run's dashboard: charts, maps, confusion matrix, Try it, an export done.
    await go(`#/runs/${encodeURIComponent(first.id)}`);
    await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 30_000 }).toMatch(/done/);
    await expect.poll(() => page.locator('[data-testid^="attention-student-"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const probes = await a.call<{ pngBase64: string[] }>('getProbes', first.id);
    await page.getByTestId('try-file').setInputFiles({ name: 'probe.png', mimeType: 'image/png', buffer: Buffer.from(probes.pngBase64[0]!, 'base64') });
    await expect.poll(() => page.getByTestId('try-student').locator('ol li').count(), { timeout: 60_000 }).toBe(3);
    await screen('dashboard-done-try-it');
    await page.getByTestId('export-menu').getByRole('button').first().click();
    await expect.poll(() => page.locator('[data-testid^="export-outcome-"], [data-testid="export-error"]').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await axe('dashboard-done export finished, toast');
    await save('dashboard-export-toast');

    // Compare with two runs, then four.
    const deadline = Date.now() + DONE_TIMEOUT;
    for (let s = study; s.status !== 'done'; s = await a.call<StudyView>('getStudy', study.id)) {
      if (s.status === 'failed' || s.status === 'cancelled' || Date.now() > deadline) throw new Error(`the study is ${s.status}: ${s.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await waitDone([wizardId]);
    const all = await a.call<RunSummary[]>('listRuns');
    expect(all.length).toBe(4);
    await go(`#/compare?ids=${[first.id, wizardId].map(encodeURIComponent).join(',')}`);
    await expect.poll(() => page.getByTestId('compare-table').locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid^="confusion-"] table').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await screen('compare-2');
    await go(`#/compare?ids=${all.map((r) => encodeURIComponent(r.id)).join(',')}`);
    await expect.poll(() => page.getByTestId('compare-table').locator('tbody tr').count(), { timeout: 20_000 }).toBe(4);
    await expect.poll(() => page.locator('[data-testid^="confusion-"] table').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    await screen('compare-4');
    await go('#/compare');
    await screen('compare-picker', { dark: false });

    // The finished study, the runs library and its delete confirmation.
    await go(`#/studies/${encodeURIComponent(study.id)}`);
    await screen('study-done', { dark: false });
    await go('#/runs');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(4);
    await screen('runs-library');
    await page.getByRole('button', { name: /^Delete a11y-wizard/ }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(1);
    await screen('dialog-confirm-delete', { narrow: false, dark: false });
    await page.locator('dialog[open]').getByRole('button', { name: 'Cancel', exact: true }).click();
    await go('#/nowhere');
    await screen('not-found', { narrow: false, dark: false });

    // The same screens in Chinese (?lang=zh is kept for the pages after it): longer and shorter strings, another script.
    await page.goto(`${a.url}?lang=zh#/runs`);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(4);
    await screen('zh-runs-library');
    await go(`#/new?from=${encodeURIComponent(first.id)}`);
    await step(page, 'dataset');
    await expect.poll(() => page.getByTestId('dataset-samples').locator('img').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screen('zh-wizard-dataset', { dark: false });
    for (const key of ['teacher', 'student', 'attention', 'hints', 'training', 'review']) {
      await next(page, key);
      if (key === 'attention') await page.getByTestId('attention-advanced').locator('summary').click();
      if (key === 'training') {
        await expect.poll(() => page.getByTestId('preset-quick').textContent(), { timeout: 90_000 }).toMatch(/\d/);
        await page.getByTestId('training-advanced').locator('summary').click();
      }
      if (key === 'review') await expect.poll(() => page.getByTestId('duration-estimate').textContent(), { timeout: 90_000 }).toMatch(/\d/);
      await screen(`zh-wizard-${key}`, { dark: key === 'review' });
    }
    await go(`#/runs/${encodeURIComponent(first.id)}`);
    await expect.poll(() => page.locator('[data-testid^="attention-student-"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('try-file').setInputFiles({ name: 'probe.png', mimeType: 'image/png', buffer: Buffer.from(probes.pngBase64[1]!, 'base64') });
    await expect.poll(() => page.getByTestId('try-student').locator('ol li').count(), { timeout: 60_000 }).toBe(3);
    await screen('zh-dashboard-done-try-it');
    await go(`#/compare?ids=${[first.id, wizardId].map(encodeURIComponent).join(',')}`);
    await expect.poll(() => page.locator('[data-testid^="confusion-"] table').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await screen('zh-compare-2');
    await go(`#/compare?ids=${all.map((r) => encodeURIComponent(r.id)).join(',')}`);
    await expect.poll(() => page.locator('[data-testid^="confusion-"] table').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    await screen('zh-compare-4', { dark: false });
    await go('#/studies');
    await screen('zh-studies-list', { dark: false });
    await go(`#/studies/${encodeURIComponent(study.id)}`);
    await screen('zh-study-done', { dark: false });
    await go('#/runs');
    await page.getByTestId('run-row').first().locator('button.danger').click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(1);
    await screen('zh-dialog-confirm-delete', { narrow: false, dark: false });
    await page.keyboard.press('Escape');

    console.log(`[a11y] ${checked.length} axe passes, ${violations.length} violations, ${wide.length} screens too wide`);
    expect(findings(), 'axe violations and screens wider than 800 px').toBe('');
    expect(describeProblems(problems)).toBe('');
  }, 600_000);
});
