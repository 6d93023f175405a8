// The acceptance walk of issue 14, the way a person new to the app goes: from an empty runs folder, the
// wizard with the *Quick look* preset → a finished AT run → Try it on a Fashion-MNIST picture → a baseline
// (Duplicate, method Baseline) → Compare (latency measured, per-class precision and recall, Try it on both)
// → the report as PDF and the student as a zip. Every control is found by id, data-testid or role, never by
// its English words, so the same walk runs in every language of the UI (`?lang=`).
import { gunzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunDetail } from '../../core/service/api.js';
import { REPO_ROOT, unnamedControls, type App } from './harness.js';
import { DATASET, imagesLoaded, next, runIdFromUrl, step } from './flow.js';

export type Lang = 'en' | 'zh';
/** The word for the teacher network, in each language of the UI. */
const TEACHER: Record<Lang, RegExp> = { en: /teacher/i, zh: /教师/ };

/** Small enough for two busy cores: Quick look keeps a limit the person set, and fits its epochs to it. */
export const WALK = { images: 160, testImages: 100, probes: 2, teacherEpochs: 1, depth: 10, teacherWiden: 2, studentWiden: 1 };
const RUN_TIMEOUT = 400_000;

/** Its own folder: app.e2e.test.ts empties test-output/e2e when it starts, and may run alongside. */
export const WALK_DIR = path.join(REPO_ROOT, 'test-output', 'e2e-walk');
let shots = 0;

/** test-output/e2e-walk/<nn>-<screen>.png (full page); fails on a control a screen reader could not name. */
export async function walkShot(page: Page, screen: string): Promise<string> {
  mkdirSync(WALK_DIR, { recursive: true });
  const file = path.join(WALK_DIR, `${String(++shots).padStart(2, '0')}-${screen}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  expect(await unnamedControls(page), `controls without a name on ${screen}`).toEqual([]);
  return file;
}

/** The first Fashion-MNIST test image as a PNG (what a person would save from the dataset and upload). */
export function fashionPng(index = 0): Buffer {
  const idx = gunzipSync(readFileSync(path.join(DATASET, 't10k-images-idx3-ubyte.gz')));
  const [h, w] = [idx.readUInt32BE(8), idx.readUInt32BE(12)];
  const png = new PNG({ width: w, height: h, colorType: 0 });
  const off = 16 + index * h * w;
  for (let i = 0; i < h * w; i++) {
    const v = idx[off + i]!;
    png.data[i * 4] = v;
    png.data[i * 4 + 1] = v;
    png.data[i * 4 + 2] = v;
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

async function fillId(page: Page, id: string, value: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.fill(value);
  await input.blur();
  await expect.poll(() => input.inputValue()).toBe(value);
}

async function waitDone(page: Page, app: App, id: string, what: string): Promise<void> {
  await expect.poll(async () => {
    const d = await app.call<RunDetail>('getRun', id);
    if (d.summary.status === 'failed' || d.summary.status === 'cancelled') throw new Error(`${what} ended ${d.summary.status}: ${d.status.error ?? ''}`);
    return d.summary.status;
  }, { timeout: RUN_TIMEOUT, interval: 1000, message: `${what} finishes` }).toBe('done');
  // The dashboard follows: its badge says done (data-status, whatever the words), and Try it appears.
  await expect.poll(() => page.getByTestId('run-status').getByTestId('status-badge').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
  await page.getByTestId('try-it').waitFor({ state: 'visible', timeout: 20_000 });
}

async function download(page: Page, app: App, outcome: string): Promise<Buffer> {
  const link = page.getByTestId(`export-outcome-${outcome}`).getByTestId('export-link');
  const error = page.getByTestId('export-error');
  await expect.poll(async () => (await link.count()) > 0 || (await error.count()) > 0, { timeout: 90_000, message: `export ${outcome}` }).toBe(true);
  if ((await link.count()) === 0) throw new Error(`export ${outcome} failed: ${await error.textContent()}`);
  const res = await page.request.get(new URL((await link.first().getAttribute('href'))!, app.url).href);
  expect(res.status()).toBe(200);
  return res.body();
}

/** The walk; returns the two runs' ids. Screenshots go to test-output/e2e-walk/<nn>-walk-<lang>-<screen>.png. */
export async function walk(page: Page, app: App, lang: Lang): Promise<{ atId: string; baseId: string }> {
  const shot = (screen: string) => walkShot(page, `walk-${lang}-${screen}`);
  const go = (hash: string) => page.goto(`${app.url}?lang=${lang}${hash}`);

  // An empty runs folder: the library says there is nothing yet.
  await go('#/runs');
  await page.evaluate(() => localStorage.clear()); // no kept wizard draft from an earlier walk
  await page.getByTestId('runs-empty').waitFor({ state: 'visible', timeout: 20_000 });
  await shot('runs-empty');

  // The wizard: Fashion-MNIST (a few hundred images), a WRN-10-2 teacher trained first, a WRN-10-1 student, AT.
  await go('#/new');
  await step(page, 'dataset');
  await fillId(page, 'wz-data-path', DATASET);
  await fillId(page, 'wz-data-limit', String(WALK.images));
  await fillId(page, 'wz-data-testLimit', String(WALK.testImages));
  const found = page.getByTestId('dataset-summary');
  await expect.poll(() => found.locator('[data-field="classes"]').textContent(), { timeout: 30_000 }).toMatch(/^10/);
  await imagesLoaded(page.getByTestId('dataset-samples'));
  await next(page, 'teacher');
  await page.locator('#wz-teacher-source').check(); // the first source: train a teacher first
  await fillId(page, 'wz-teacher-model-depth', String(WALK.depth));
  await fillId(page, 'wz-teacher-model-widen', String(WALK.teacherWiden));
  await fillId(page, 'wz-teacher-training-epochs', String(WALK.teacherEpochs));
  await expect.poll(() => page.getByTestId('teacher-estimate').textContent(), { timeout: 30_000 }).toContain(`WRN-${WALK.depth}-${WALK.teacherWiden}`);
  await next(page, 'student');
  await fillId(page, 'wz-student-model-depth', String(WALK.depth));
  await fillId(page, 'wz-student-model-widen', String(WALK.studentWiden));
  await expect.poll(() => page.getByTestId('student-estimate').textContent(), { timeout: 30_000 }).toContain(`WRN-${WALK.depth}-${WALK.studentWiden}`);
  await next(page, 'attention');
  await page.locator('#wz-method').selectOption('at');
  await next(page, 'hints');
  await next(page, 'training');
  // Quick look: chosen for a new draft, its plan measured on this machine.
  const quick = page.locator('input[name="wz-preset"][value="quick"]');
  await expect.poll(() => quick.isEnabled(), { timeout: 180_000, message: 'the presets are measured' }).toBe(true);
  await quick.check();
  await expect.poll(() => page.getByTestId('preset-quick').textContent()).toMatch(/\d/);
  await fillId(page, 'wz-name', `walk-${lang}-at`);
  await fillId(page, 'wz-probes', String(WALK.probes));
  await shot('wizard-quick-look');
  await next(page, 'review');
  await expect.poll(() => page.getByTestId('duration-estimate').textContent(), { timeout: 180_000 }).toMatch(/\d/);
  await shot('wizard-review');
  await page.getByTestId('wizard-start').click();
  const atId = await runIdFromUrl(page);
  const at = await app.call<RunDetail>('getRun', atId);
  // What Quick look chose: 2–10 epochs, a cosine schedule for such a short run, the images the person kept.
  expect(at.config.training.epochs).toBeGreaterThanOrEqual(2);
  expect(at.config.training.epochs).toBeLessThanOrEqual(10);
  expect(at.config.training.schedule.kind).toBe('cosine');
  expect(at.config.data.limit).toBe(WALK.images);
  await waitDone(page, app, atId, 'the AT run');
  await shot('dashboard-at-done');

  // Try it on the dashboard: a Fashion-MNIST picture; the student's top 3 and its teacher's.
  const picture = fashionPng(0);
  writeFileSync(path.join(WALK_DIR, 'walk-try.png'), picture);
  await page.getByTestId('try-file').setInputFiles({ name: 'ankle-boot.png', mimeType: 'image/png', buffer: picture });
  await expect.poll(() => page.getByTestId('try-student').locator('ol li').count(), { timeout: 60_000 }).toBe(3);
  await expect.poll(() => page.getByTestId('try-teacher').locator('ol li').count()).toBe(3);
  expect(await page.getByTestId('try-student').textContent()).toMatch(/\d+[.,]\d\s?%/);
  await expect.poll(() => page.getByTestId('try-student').locator('canvas').count()).toBeGreaterThan(0);
  await page.getByTestId('try-it').scrollIntoViewIfNeeded();
  await shot('dashboard-try-it');

  // The student as one zip: model.json, its weights, meta.json.
  await page.getByTestId('export-model-zip').click();
  const zip = unzipSync(new Uint8Array(await download(page, app, 'model-zip')));
  const names = Object.keys(zip);
  expect(names.some((n) => /(^|\/)model\.json$/.test(n)), `zip entries: ${names.join(', ')}`).toBe(true);
  expect(names.some((n) => /\.bin$/.test(n)), `zip entries: ${names.join(', ')}`).toBe(true);
  const metaName = names.find((n) => /(^|\/)meta\.json$/.test(n));
  expect(metaName, `zip entries: ${names.join(', ')}`).toBeTruthy();
  const meta = JSON.parse(Buffer.from(zip[metaName!]!).toString('utf8')) as Record<string, unknown>;
  expect(meta).toHaveProperty('normalization');
  const modelJson = JSON.parse(Buffer.from(zip[names.find((n) => /(^|\/)model\.json$/.test(n))!]!).toString('utf8')) as { weightsManifest: { paths: string[] }[] };
  for (const p of modelJson.weightsManifest.flatMap((m) => m.paths)) {
    const file = path.posix.normalize(p); // './weights.bin' → 'weights.bin'
    expect(names.some((n) => n === file || n.endsWith(`/${file}`)), `weights file ${p} in the zip (entries: ${names.join(', ')})`).toBe(true);
  }

  // A baseline to compare with: Duplicate the AT run, method Baseline.
  await go('#/runs');
  const row = page.locator(`[data-testid="run-row"][data-run-id="${atId}"]`);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.locator(`a[href="#/new?from=${encodeURIComponent(atId)}"]`).click();
  await expect.poll(() => page.locator('[data-testid^="wizard-step-"]').count(), { timeout: 20_000 }).toBe(1);
  await page.getByTestId('wizard-nav-attention').click();
  await step(page, 'attention');
  await page.locator('#wz-method').selectOption('baseline');
  await page.getByTestId('wizard-nav-training').click();
  await step(page, 'training');
  await fillId(page, 'wz-name', `walk-${lang}-baseline`);
  await page.getByTestId('wizard-nav-review').click();
  await step(page, 'review');
  await page.getByTestId('wizard-start').click();
  const baseId = await runIdFromUrl(page);
  expect(baseId).not.toBe(atId);
  const base = await app.call<RunDetail>('getRun', baseId);
  expect(base.config.method).toBe('baseline');
  expect(base.config.training.epochs).toBe(at.config.training.epochs);
  await waitDone(page, app, baseId, 'the baseline run');
  // A baseline's Try it says nothing of a teacher.
  expect(await page.getByTestId('try-it').textContent()).not.toMatch(TEACHER[lang]);
  await shot('dashboard-baseline-done');

  // Compare the two, picked in the library.
  await go('#/runs');
  await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
  for (const id of [atId, baseId]) await page.locator(`#sel-${id}`).check();
  await page.getByTestId('compare-selected').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/compare\?ids=/);
  const table = page.getByTestId('compare-table');
  await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
  // Latency: measured together now; both students are WRN-10-1, so neither is called the faster.
  await page.getByTestId('latency-measured').waitFor({ state: 'visible', timeout: 60_000 });
  expect(Number(await page.getByTestId('latency-measured').getAttribute('data-rounds'))).toBeGreaterThanOrEqual(15);
  for (const id of [atId, baseId]) {
    await expect.poll(() => table.locator(`tr[data-run-id="${id}"] td[data-col="latencyMs"]`).textContent()).toMatch(/\d/);
  }
  expect(await table.locator('td[data-col="latencyMs"][data-best]').count()).toBe(0);
  // Per-class precision and recall: one row per Fashion-MNIST class, for each run.
  for (const id of [atId, baseId]) {
    await expect.poll(() => page.getByTestId(`pr-${id}`).locator('tbody tr').count(), { timeout: 20_000 }).toBe(10);
  }
  await shot('compare');

  // Try it on Compare: one picture, both runs; the teacher only beside the AT run's student.
  await page.getByTestId('try-file').setInputFiles({ name: 'ankle-boot.png', mimeType: 'image/png', buffer: picture });
  await expect.poll(() => page.getByTestId('try-run').count(), { timeout: 60_000 }).toBe(2);
  const tryRun = (id: string) => page.locator(`[data-testid="try-run"][data-run-id="${id}"]`);
  await expect.poll(() => tryRun(atId).getByTestId('try-student').locator('ol li').count()).toBe(3);
  await expect.poll(() => tryRun(atId).getByTestId('try-teacher').count()).toBe(1);
  await expect.poll(() => tryRun(baseId).getByTestId('try-student').locator('ol li').count()).toBe(3);
  expect(await tryRun(baseId).getByTestId('try-teacher').count()).toBe(0);
  await page.getByTestId('try-it').scrollIntoViewIfNeeded();
  await shot('compare-try-it');

  // The comparison's report as a PDF.
  await page.getByTestId('export-pdf').click();
  const pdf = await download(page, app, 'pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.byteLength).toBeGreaterThan(5_000);
  writeFileSync(path.join(WALK_DIR, `walk-${lang}-comparison.pdf`), pdf);
  await shot('compare-exported');
  return { atId, baseId };
}
