// The end-to-end flow, one function per phase, so the test reads as the story a user goes through and a
// phase can be tried on its own. Labels and testids are the ones the screens set (renderer/src/screens).
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { RunDetail } from '../../core/service/api.js';
import { OUTPUT_DIR, describeProblems, newProblems, screenshot, screenshotBothThemes, watchedContext, type App } from './harness.js';

export const DATASET = '/usr/share/datasets/fashion-mnist';
export const TRAIN_TIMEOUT = 180_000;

export interface RunPlan {
  name: string;
  limit: number;
  teacher: { depth: number; width: number; epochs: number };
  student: { depth: number; width: number };
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
}

// ---- small helpers ------------------------------------------------------------------------------------

export async function step(page: Page, key: string): Promise<void> {
  await page.getByTestId(`wizard-step-${key}`).waitFor({ state: 'visible', timeout: 20_000 });
}

export async function next(page: Page, key: string): Promise<void> {
  await page.getByTestId('wizard-next').click();
  try {
    await step(page, key);
  } catch (err) {
    const errors = await page.locator('.field-error, .error-box').allTextContents();
    throw new Error(`Next did not reach step "${key}"${errors.length ? `; errors shown: ${errors.join(' | ')}` : ''}`, { cause: err });
  }
}

export async function jumpTo(page: Page, title: RegExp, key: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: title }).click();
  await step(page, key);
}

export async function fill(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(value);
  await input.blur();
  // What the person typed is what the field holds (nothing the app did at the same time spliced into it).
  await expect.poll(() => input.inputValue()).toBe(value);
}

export async function imagesLoaded(scope: Locator): Promise<void> {
  await expect.poll(() => scope.evaluate((el) => [...el.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0))).toBe(true);
}

export async function runIdFromUrl(page: Page): Promise<string> {
  await page.waitForFunction(() => /^#\/runs\/[^/?]+$/.test(location.hash), undefined, { timeout: 30_000 });
  return decodeURIComponent((await page.evaluate(() => location.hash)).replace(/^#\/runs\//, ''));
}

/** The text of a testid, '' when it is not on the page (does not wait). */
async function textOf(page: Page, testid: string): Promise<string> {
  const l = page.getByTestId(testid);
  return (await l.count()) > 0 ? ((await l.first().textContent()) ?? '').trim() : '';
}

async function attr(l: Locator, name: string): Promise<string | null> {
  return (await l.count()) > 0 ? l.first().getAttribute(name) : null;
}

/**
 * After "done": the dashboard catches up with the stored run (it re-reads summary and log at most every 2 s):
 * the header's best top-1 is the run's final best and the log has its closing line.
 */
export async function dashboardSettled(page: Page, app: App, runId: string): Promise<void> {
  const detail = await app.call<RunDetail>('getRun', runId);
  const best = detail.summary.best;
  expect(best, `run ${detail.summary.name} has a best epoch`).toBeTruthy();
  // No testid for it (CONTRACTS lists none): the <dd> after the "Best test top-1" term.
  const bestCell = page.locator('dt', { hasText: 'Best test top-1' }).locator('xpath=following-sibling::dd[1]');
  await expect.poll(async () => ((await bestCell.count()) ? (await bestCell.first().textContent())?.trim() : ''), {
    timeout: 15_000, message: 'the dashboard shows the final best top-1',
  }).toBe(`${(best!.top1 * 100).toFixed(1)}% (epoch ${best!.epoch})`);
  await expect.poll(() => textOf(page, 'run-log'), { timeout: 15_000, message: 'the log shows the run finishing' }).toMatch(/\bdone\b/);
}

// ---- phases -------------------------------------------------------------------------------------------

/** The wizard from an empty form to "Start training"; returns the new run's id (the dashboard is open). */
export async function wizardAtRun(page: Page, app: App, plan: RunPlan): Promise<string> {
  await page.goto(`${app.url}#/new`);
  await step(page, 'dataset');
  await fill(page, 'Dataset path', DATASET);
  await fill(page, 'Training images (limit)', String(plan.limit));
  await fill(page, 'Test images', String(plan.limit));
  const summary = page.getByTestId('dataset-summary');
  await expect.poll(() => summary.locator('[data-field="classes"]').textContent(), { timeout: 30_000 }).toMatch(/^10/);
  await expect.poll(() => summary.locator('[data-field="shape"]').textContent()).toContain('28×28');
  await expect.poll(() => page.getByTestId('dataset-samples').locator('img').count()).toBeGreaterThan(0);
  await imagesLoaded(page.getByTestId('dataset-samples'));
  await screenshotBothThemes(page, 'wizard-dataset');
  await next(page, 'teacher');

  await page.getByLabel('Train a teacher first', { exact: true }).check();
  await fill(page, 'Teacher depth', String(plan.teacher.depth));
  await fill(page, 'Teacher width', String(plan.teacher.width));
  await fill(page, 'Teacher epochs', String(plan.teacher.epochs));
  const teacherName = `WRN-${plan.teacher.depth}-${plan.teacher.width}`;
  await expect.poll(() => page.getByTestId('teacher-estimate').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`${teacherName}[\\s\\S]*Parameters`));
  await screenshot(page, 'wizard-teacher');
  await next(page, 'student');

  await fill(page, 'Student depth', String(plan.student.depth));
  await fill(page, 'Student width', String(plan.student.width));
  const studentName = `WRN-${plan.student.depth}-${plan.student.width}`;
  await expect.poll(() => page.getByTestId('student-estimate').textContent(), { timeout: 30_000 }).toMatch(new RegExp(`${studentName}[\\s\\S]*Parameters`));
  await expect.poll(() => page.getByTestId('compression-ratio').textContent()).toMatch(/×/);
  await screenshot(page, 'wizard-student');
  await next(page, 'attention');

  await page.getByLabel('Method', { exact: true }).selectOption('at');
  await page.getByLabel('Attention function', { exact: true }).selectOption('sum-p');
  // p and β sit under "Advanced" with the paper's values.
  await page.getByTestId('attention-advanced').locator('summary').click();
  await fill(page, 'p', '2');
  await fill(page, 'β (AT weight)', '1000');
  const preview = page.getByTestId('attention-preview');
  await expect.poll(() => preview.locator('canvas').count(), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect.poll(() => attr(preview.locator('[data-checksum]'), 'data-checksum')).toMatch(/\d/);
  await screenshotBothThemes(page, 'wizard-attention');
  await next(page, 'hints');

  await expect.poll(() => page.getByTestId('hint-pairs').locator('svg').count()).toBeGreaterThan(0);
  await expect.poll(() => page.getByTestId('hint-pairs').locator('table tbody tr').count()).toBeGreaterThan(0);
  await screenshot(page, 'wizard-hints');
  await next(page, 'training');

  // The presets, timed on this machine; this test's tiny recipe goes under Custom.
  await expect.poll(() => page.getByTestId('preset-quick').textContent(), { timeout: 60_000 }).toMatch(/epochs, batch \d+.*about .+ here/);
  await screenshot(page, 'wizard-training-presets');
  await page.getByRole('radio', { name: /^Custom/ }).check();
  await fill(page, 'Epochs', String(plan.epochs));
  await fill(page, 'Batch size', String(plan.batchSize));
  await fill(page, 'Learning rate', String(plan.lr));
  await fill(page, 'Seed', String(plan.seed));
  await page.getByLabel('Backend', { exact: true }).selectOption('wasm');
  await fill(page, 'Run name', plan.name);
  await screenshot(page, 'wizard-training');
  await next(page, 'review');

  const review = page.getByTestId('review-summary');
  await expect.poll(() => review.textContent()).toContain(plan.name);
  await expect.poll(() => review.textContent()).toMatch(new RegExp(`${plan.epochs} epochs, batch ${plan.batchSize}`));
  await expect.poll(() => page.getByTestId('duration-estimate').textContent(), { timeout: 60_000 }).toMatch(/about .+ on/);
  await screenshotBothThemes(page, 'wizard-review');

  await page.getByTestId('wizard-start').click();
  return runIdFromUrl(page);
}

/** On the dashboard of a run that is training: charts and attention maps change, then it is done. */
export async function watchTraining(page: Page, name: string, epochs: number): Promise<{ points: string[]; checksums: string[] }> {
  await expect.poll(() => textOf(page, 'run-status'), { timeout: 30_000 }).toMatch(/queued|running|done/);
  const points = new Set<string>();
  const checksums = new Set<string>();
  let midShot = false;
  await expect.poll(async () => {
    const pts = await attr(page.getByTestId('chart-loss'), 'data-points');
    if (pts && pts !== '0') points.add(pts);
    // Student maps of student-phase snapshots only (the panel shows the teacher's snapshot before the first).
    const shown = await page.getByTestId('attention-panel').locator('output').textContent({ timeout: 200 }).catch(() => '');
    const cs = /student epoch/.test(shown ?? '') ? await attr(page.locator('[data-testid^="attention-student-"]'), 'data-checksum') : null;
    if (cs) checksums.add(cs);
    const status = await textOf(page, 'run-status');
    // One shot mid-way through the student phase, when the charts and the attention maps both have data.
    if (!midShot && points.size >= 2 && checksums.size >= 1 && status === 'running' && /^student/.test(await textOf(page, 'run-phase'))) {
      midShot = true;
      await screenshotBothThemes(page, 'dashboard-training');
    }
    if (status === 'failed' || status === 'cancelled') throw new Error(`run "${name}" ended ${status}: ${await textOf(page, 'run-log')}`);
    return status;
  }, { timeout: TRAIN_TIMEOUT, interval: 250 }).toBe('done');
  // The last epoch's snapshot may land just after the status: count it once the panel shows it.
  const output = page.getByTestId('attention-panel').locator('output');
  await expect.poll(() => output.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`student epoch ${epochs} of ${epochs}`));
  const last = await attr(page.locator('[data-testid^="attention-student-"]'), 'data-checksum');
  if (last) checksums.add(last);
  return { points: [...points], checksums: [...checksums] };
}

/** A finished run's dashboard: every chart has data, and the epoch slider changes the attention maps. */
export async function checkFinishedDashboard(page: Page, app: App, runId: string): Promise<void> {
  await dashboardSettled(page, app, runId);
  for (const id of ['chart-loss', 'chart-loss-parts', 'chart-at-pairs', 'chart-accuracy', 'chart-lr']) {
    await expect.poll(() => attr(page.getByTestId(id), 'data-points').then(Number), { timeout: 10_000, message: `${id} has data` }).toBeGreaterThan(0);
  }
  for (const id of ['run-phase', 'images-per-sec', 'run-backend']) {
    await expect.poll(() => textOf(page, id), { message: `${id} shows something` }).not.toBe('');
  }
  await expect.poll(() => textOf(page, 'run-backend')).toMatch(/wasm/);
  const slider = page.getByLabel('Epoch', { exact: true });
  const firstMap = page.locator('[data-testid^="attention-student-"]').first();
  const last = await firstMap.getAttribute('data-checksum');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect.poll(() => slider.inputValue()).toBe((await slider.getAttribute('min')) ?? '1');
  await expect.poll(() => firstMap.getAttribute('data-checksum'), { message: 'the first epoch\'s student map differs from the last one\'s' }).not.toBe(last);
  await screenshot(page, 'dashboard-epoch-first');
  await page.keyboard.press('End');
  await expect.poll(() => firstMap.getAttribute('data-checksum')).toBe(last);
  await screenshotBothThemes(page, 'dashboard-done');

  // Try it: one of the run's own probe images, as a person would pick a file.
  const probes = await app.call<{ pngBase64: string[] }>('getProbes', runId);
  await page.getByTestId('try-file').setInputFiles({ name: 'probe.png', mimeType: 'image/png', buffer: Buffer.from(probes.pngBase64[0]!, 'base64') });
  const student = page.getByTestId('try-student');
  await expect.poll(() => student.locator('ol li').count(), { timeout: 60_000, message: 'the student\'s top 3' }).toBe(3);
  await expect.poll(() => page.getByTestId('try-teacher').locator('ol li').count()).toBe(3);
  expect(await student.textContent()).toMatch(/\d+\.\d%/);
  await screenshot(page, 'dashboard-try-it');
}

/** The page does not scroll sideways in an 800 px wide window. */
export async function noSidewaysScroll(page: Page, what: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 800, height: before?.height ?? 900 });
  await page.waitForTimeout(300); // layout and charts settle
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  await screenshot(page, `${what}-800px`);
  if (before) await page.setViewportSize(before);
  expect(width, `${what} at 800 px scrolls sideways`).toBeLessThanOrEqual(800);
}

/** Runs library → Duplicate → method Baseline, new name → Start; waits until it is done; returns its id. */
export async function baselineByDuplicate(page: Page, app: App, fromId: string, name: string, limit: number): Promise<string> {
  await page.goto(`${app.url}#/runs`);
  const row = page.locator(`[data-testid="run-row"][data-run-id="${fromId}"]`);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  // "Duplicate" is a link to #/new?from=<id> (accessible name "Duplicate <name> as a new run").
  await row.getByRole('link', { name: /^Duplicate\b/ }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/new\?from=/);
  await expect.poll(() => page.locator('[data-testid^="wizard-step-"]').count(), { timeout: 20_000 }).toBe(1);
  await jumpTo(page, /Attention/, 'attention');
  await page.getByLabel('Method', { exact: true }).selectOption('baseline');
  await jumpTo(page, /Training/, 'training');
  await fill(page, 'Run name', name);
  await jumpTo(page, /Review/, 'review');
  const review = page.getByTestId('review-summary');
  await expect.poll(() => review.textContent()).toContain(name);
  await expect.poll(() => review.textContent()).toMatch(/Baseline/);
  await expect.poll(() => review.textContent(), { timeout: 30_000, message: 'the duplicate read the dataset (and its limit)' }).toMatch(new RegExp(`${limit} training and\\s+${limit} test images`));
  await expect.poll(() => page.getByTestId('duration-estimate').textContent(), { timeout: 60_000 }).toMatch(/about .+ on/);
  await screenshot(page, 'wizard-review-baseline');
  await page.getByTestId('wizard-start').click();
  const id = await runIdFromUrl(page);
  await expect.poll(async () => {
    const status = await textOf(page, 'run-status');
    if (status === 'failed' || status === 'cancelled') throw new Error(`the baseline run ended ${status}: ${await textOf(page, 'run-log')}`);
    return status;
  }, { timeout: TRAIN_TIMEOUT, interval: 500 }).toBe('done');
  await dashboardSettled(page, app, id);
  await expect.poll(() => attr(page.getByTestId('chart-accuracy'), 'data-points').then(Number)).toBeGreaterThan(0);
  await screenshot(page, 'dashboard-baseline-done');
  return id;
}

/** Runs library with both runs: tick both, "Compare selected". */
export async function compareFromLibrary(page: Page, app: App, names: string[]): Promise<void> {
  await page.goto(`${app.url}#/runs`);
  await expect.poll(() => page.getByTestId('run-row').count()).toBe(names.length);
  await screenshotBothThemes(page, 'runs-library');
  await noSidewaysScroll(page, 'runs-library');
  for (const n of names) await page.getByLabel(`Select ${n}`, { exact: true }).check();
  await page.getByRole('button', { name: 'Compare selected' }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/compare\?ids=/);
}

/** The comparison screen: table rows, confusion matrices, charts, attention. */
export async function checkCompare(page: Page, runs: { id: string; name: string }[]): Promise<void> {
  const table = page.getByTestId('compare-table');
  await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBe(runs.length);
  const text = (await table.textContent()) ?? '';
  for (const r of runs) {
    expect(text).toContain(r.name);
    await expect.poll(() => page.getByTestId(`confusion-${r.id}`).locator('table').count(), { timeout: 20_000, message: `confusion matrix of ${r.name}` }).toBeGreaterThan(0);
  }
  await expect.poll(() => attr(page.getByTestId('compare-chart-top1'), 'data-points').then(Number)).toBeGreaterThanOrEqual(2 * runs.length);
  await expect.poll(() => attr(page.getByTestId('compare-chart-loss'), 'data-points').then(Number)).toBeGreaterThanOrEqual(2 * runs.length);
  await expect.poll(() => page.getByTestId('compare-attention').locator('canvas').count()).toBeGreaterThan(0);
  // One seed each: no accuracy is called best; the runs differ in method only.
  expect(await table.locator('td[data-col="bestTop1"][data-best]').count()).toBe(0);
  await screenshotBothThemes(page, 'compare');
  // Not yet: Compare still measures 1077 px wide in an 800 px window (an invisible element; see the report).
}

/** "Export report (HTML)" on the page; fetches it through its link, checks it, saves it; returns the file. */
export async function exportHtmlReport(page: Page, app: App, runs: { id: string; name: string }[]): Promise<string> {
  await page.getByRole('button', { name: 'Export report (HTML)' }).click();
  const link = page.getByTestId('export-outcome-report').getByTestId('export-link');
  await expect.poll(() => link.count(), { timeout: 60_000 }).toBe(1);
  const res = await page.request.get(new URL((await link.getAttribute('href'))!, app.url).href);
  expect(res.status()).toBe(200);
  const html = await res.text();
  for (const r of runs) {
    expect(html).toContain(r.name);
    const detail = await app.call<RunDetail>('getRun', r.id);
    const best = detail.summary.best?.top1;
    expect(best, `run ${r.name} has a best top-1`).toBeTypeOf('number');
    expect(html).toContain(`${(best! * 100).toFixed(2)}%`);
  }
  expect((html.match(/<svg[\s>]/g) ?? []).length).toBeGreaterThanOrEqual(2);
  const external = [...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*/gi)].map((m) => m[0])
    .filter((u) => !/^(?:https?:)?\/\/www\.w3\.org\/(?:2000\/svg|1999\/xlink)/.test(u));
  expect(external, 'references to other origins in the report').toEqual([]);
  expect(html).not.toMatch(/<script[\s>]/i);
  expect(html).not.toMatch(/<link[^>]+rel=["']?stylesheet/i);
  const file = path.join(OUTPUT_DIR, 'comparison-report.html');
  writeFileSync(file, html);
  await screenshot(page, 'compare-exported');
  return file;
}

/** Opens a report file in a context that is offline and may load nothing but the file and data: URLs. */
export async function openReportOffline(browser: Browser, file: string): Promise<void> {
  const problems = newProblems();
  const offline = await watchedContext(browser, problems, { allow: (u) => u.startsWith('file:') || u.startsWith('data:'), offline: true });
  try {
    const rp = await offline.newPage();
    await rp.goto(pathToFileURL(file).href);
    const charts = await rp.evaluate(() => [...document.querySelectorAll('svg')].map((s) => {
      const r = s.getBoundingClientRect();
      return { w: r.width, h: r.height, marks: s.querySelectorAll('path, polyline, line, circle, rect').length };
    }));
    expect(charts.length).toBeGreaterThanOrEqual(2);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(50);
      expect(c.h).toBeGreaterThan(50);
      expect(c.marks).toBeGreaterThan(0);
    }
    const images = await rp.evaluate(() => [...document.images].map((i) => ({ ok: i.complete && i.naturalWidth > 0, src: i.src.slice(0, 40) })));
    expect(images.filter((i) => !i.ok), 'images that did not load offline').toEqual([]);
    await screenshot(rp, 'report-offline');
    await rp.close();
  } finally {
    await offline.close();
  }
  expect(problems.blockedRequests, 'requests made by the offline report').toEqual([]);
  expect(describeProblems(problems)).toBe('');
}

/** "Export PDF": a link to a real PDF. */
export async function exportPdf(page: Page, app: App): Promise<void> {
  await page.getByRole('button', { name: 'Export PDF' }).click();
  const link = page.getByTestId('export-outcome-pdf').getByTestId('export-link');
  const error = page.getByTestId('export-error');
  await expect.poll(async () => (await link.count()) > 0 || (await error.count()) > 0, { timeout: 90_000 }).toBe(true);
  // Serve mode prints PDFs with Chromium whenever it can find it, and this test has found it.
  if ((await link.count()) === 0) throw new Error(`PDF export failed: ${await error.textContent()}`);
  const res = await page.request.get(new URL((await link.first().getAttribute('href'))!, app.url).href);
  expect(res.status()).toBe(200);
  const body = await res.body();
  expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(body.byteLength).toBeGreaterThan(5_000);
  writeFileSync(path.join(OUTPUT_DIR, 'comparison-report.pdf'), body);
  await screenshot(page, 'compare-exported-pdf');
}
