// The study's HTML report: self-contained, the sentences and the table's numbers, user text escaped.
import { describe, expect, it } from 'vitest';
import { renderStudyReport } from '../../core/report/study.js';
import { studyResults } from '../../core/study/results.js';
import type { StudyRunResult, StudyView } from '../../core/study/types.js';

const runs: StudyRunResult[] = [
  { method: 'baseline', seed: 1, runId: 'b1', status: 'done', bestTop1: 0.81, lastTop1: 0.8 },
  { method: 'at', seed: 1, runId: 'a1', status: 'done', bestTop1: 0.83, lastTop1: 0.81 },
  { method: 'baseline', seed: 2, runId: 'b2', status: 'done', bestTop1: 0.83, lastTop1: 0.82 },
  { method: 'at', seed: 2, runId: 'a2', status: 'done', bestTop1: 0.85, lastTop1: 0.84 },
];
const view: StudyView = {
  id: 'study-1', name: 'AT <on> "Fashion"', status: 'done', interrupted: false, createdAt: '', updatedAt: '',
  methods: ['baseline', 'at'], seeds: [1, 2], teacher: { runId: 't1', status: 'done', lastTop1: 0.9 },
  runs, finished: 5, total: 5, secondsSpent: 100,
  results: studyResults([{ method: 'baseline' }, { method: 'at' }], runs),
};

describe('study report', () => {
  const html = renderStudyReport(view, { generatedAt: new Date('2026-12-06T07:00:00Z') });

  it('fetches nothing and escapes the study name', () => {
    expect(html).not.toMatch(/<script|<link|https?:\/\//);
    expect(html).toContain('AT &lt;on&gt; &quot;Fashion&quot;');
  });

  it('holds the sentences and the table: means ± sd and the paired difference', () => {
    // Both seeds +1 and +2 points: mean +1.5, sd 0.707, half-width 12.706 · 0.707 / √2 = 6.35.
    for (const r of view.results.rows) expect(html).toContain(r.sentence.replace(/'/g, '&#39;'));
    expect(html).toContain('<td>Baseline</td><td>2/2</td><td>82.0 % ± 1.4 <small>(n = 2)</small></td><td>81.0 % ± 1.4 <small>(n = 2)</small></td>');
    expect(html).toContain('+1.5 <small>(−4.9 to 7.9)</small>');
    expect(html).toContain('final test top-1 90.0 %');
  });

  it('in Chinese with lang "zh": headings, status, the interval and the teacher line', () => {
    const zh = renderStudyReport(view, { generatedAt: new Date('2026-12-06T07:00:00Z'), lang: 'zh' });
    expect(zh).toContain('<html lang="zh-CN">');
    for (const s of ['<h2>研究结论</h2>', '<h2>结果</h2>', '<h2>运行</h2>', '生成于 2026年12月6日 07:00 UTC', '已完成 5/5 个运行',
      '+1.5 <small>(−4.9 至 7.9)</small>', '最终测试 top-1 90.0 %', '<th>Δ 最终 vs 基线(95% 置信区间)</th>']) expect(zh).toContain(s);
    expect(zh).not.toContain('What the study found');
    // The plain sentences, worded again in Chinese from the same numbers (baseline sd over seeds 1.4 points).
    expect(zh).toContain('<li>Baseline(仅学生):最终 top-1 为 81.0 % ± 1.4(2 个种子)。</li>');
    expect(zh).toContain('<li>AT:在此训练量下检测不到差异(+1.5 个百分点,95% 置信区间 −4.9 至 7.9):仅种子本身就会让 top-1 变动 ±1.4。</li>');
    expect(zh).not.toMatch(/the student alone|no difference we can detect/);
  });
});
