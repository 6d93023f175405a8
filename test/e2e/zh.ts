// The Chinese pass of the end-to-end test: the app opened with ?lang=zh, switched through the header,
// every screen visited and saved as zh-*.png, and a comparison report exported in Chinese.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunSummary } from '../../core/runs/types.js';
import { screenshot, type App } from './harness.js';
import { next, step } from './flow.js';

const h1 = (page: Page) => page.locator('main h1').first().textContent();
const soft = async (wait: () => PromiseLike<unknown>): Promise<void> => { try { await wait(); } catch { /* see the caller */ } };

export async function chinesePass(page: Page, app: App): Promise<void> {
  const runs = (await app.call<RunSummary[]>('listRuns')).filter((r) => r.status === 'done');
  await page.evaluate(() => localStorage.removeItem('atstudio.wizardDraft.v1')).catch(() => undefined);

  // ?lang=zh: the whole frame in Chinese, <html lang> set.
  await page.goto(`${app.url}?lang=zh#/runs`);
  await expect.poll(() => h1(page)).toBe('运行');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
  const nav = page.getByRole('navigation', { name: '主导航' });
  expect((await nav.getByRole('link').allTextContents()).map((s) => s.trim())).toEqual(['新建运行', '运行', '比较', '研究']);
  await screenshot(page, 'zh-runs');

  // The header switch: English, then Chinese again; the choice is kept.
  await page.getByTestId('lang-switch').selectOption('en');
  await expect.poll(() => h1(page)).toBe('Runs');
  await page.getByTestId('lang-switch').selectOption('zh');
  await expect.poll(() => h1(page)).toBe('运行');
  await page.goto(`${app.url}#/runs`);
  await expect.poll(() => h1(page)).toBe('运行');

  // The wizard, step by step to the review (nothing is started).
  await page.goto(`${app.url}#/new`);
  await step(page, 'dataset');
  await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 20_000 }).toMatch(/训练 .*测试/);
  await screenshot(page, 'zh-wizard-dataset');
  for (const key of ['teacher', 'student', 'attention', 'hints', 'training', 'review']) {
    await next(page, key);
    // The presets and the estimate time real steps: while another run trains they may wait for the engine,
    // so the screenshot shows whichever it is then (both texts are Chinese either way).
    if (key === 'training') await soft(() => expect.poll(() => page.getByTestId('preset-quick').textContent(), { timeout: 30_000 }).toMatch(/轮/));
    if (key === 'review') await soft(() => expect.poll(() => page.getByTestId('duration-estimate').textContent(), { timeout: 30_000 }).toMatch(/约/));
    expect(await page.getByTestId(`wizard-step-${key}`).textContent()).toMatch(/[\u4e00-\u9fff]/);
    await screenshot(page, `zh-wizard-${key}`);
  }
  expect(await page.getByTestId('wizard-start').textContent()).toMatch('开始训练');
  await page.getByTestId('wizard-start-over').click();

  // A finished run's dashboard, with Try it.
  if (runs[0]) {
    await page.goto(`${app.url}#/run/${runs[0].id}`);
    await expect.poll(() => page.getByTestId('run-status').textContent()).toBe('已完成');
    await expect.poll(() => page.getByTestId('chart-loss').getAttribute('data-points').then(Number)).toBeGreaterThan(0);
    expect(await page.getByTestId('try-it').textContent()).toMatch('试一试');
    await screenshot(page, 'zh-dashboard');
  }

  // Compare (both runs when there are two) and its report in Chinese.
  await page.goto(`${app.url}#/compare?ids=${runs.slice(0, 2).map((r) => r.id).join(',')}`);
  await expect.poll(() => h1(page)).toBe('比较运行');
  if (runs.length >= 2) {
    await expect.poll(() => page.getByTestId('compare-table').locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
    await screenshot(page, 'zh-compare');
    await page.getByTestId('export-report').click();
    const link = page.getByTestId('export-outcome-report').getByTestId('export-link');
    await expect.poll(() => link.count(), { timeout: 60_000 }).toBe(1);
    const html = await (await page.request.get(new URL((await link.getAttribute('href'))!, app.url).href)).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('每个类别的精确率和召回率');
    await page.goto(new URL((await link.getAttribute('href'))!, app.url).href);
    await page.waitForLoadState('load');
    await screenshot(page, 'zh-report');
  } else {
    await screenshot(page, 'zh-compare');
  }

  await page.goto(`${app.url}#/studies`);
  await expect.poll(() => h1(page)).toBe('研究');
  await screenshot(page, 'zh-studies');

  // Leave English behind for whatever runs next in this browser context.
  await page.goto(`${app.url}#/runs`);
  await page.getByTestId('lang-switch').selectOption('en');
  await expect.poll(() => h1(page)).toBe('Runs');
}
