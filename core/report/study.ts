// A study's HTML report: the question, the table (mean ± sample sd of best and final top-1 per method,
// the paired difference from the baseline with its 95 % interval) and one plain sentence per method,
// then the runs it was made of. Self-contained like the run report: inline CSS, nothing fetched.
import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './html.js';
import { percent, points, type PairedDifference } from '../study/results.js';
import type { StudyView } from '../study/view.js';
import { rowSentence } from '../study/sentence.js';
import type { Spread } from '../runs/replicates.js';
import { reportDate, reportText, type ReportT } from '../i18n/report.js';
import type { Lang } from '../i18n/lang.js';

function meanSd(s: Spread | undefined): string {
  if (!s) return '–';
  return `${percent(s.mean)}${s.n > 1 ? ` ± ${points(s.sd)}` : ''} <small>(n = ${s.n})</small>`;
}

function diff(d: PairedDifference | undefined, t: ReportT): string {
  if (!d) return '–';
  const ci = d.low !== undefined && d.high !== undefined ? t('study.ci', { low: points(d.low), high: points(d.high) }) : t('study.oneSeed');
  return `${escapeHtml(points(d.mean, true))} <small>(${escapeHtml(ci)})</small>`;
}

export function renderStudyReport(v: StudyView, opts: { generatedAt?: Date; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'en';
  const t = reportText(lang);
  const title = t('study.title', { name: v.name });
  const th = (keys: Parameters<ReportT>[0][]) => keys.map((k) => `<th>${escapeHtml(t(k as 'none'))}</th>`).join('');
  const rows = v.results.rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td><td>${r.done}/${r.planned}</td><td>${meanSd(r.best)}</td><td>${meanSd(r.last)}</td>`
    + `<td>${r.method === 'baseline' ? '' : diff(r.diffLast, t)}</td><td>${r.method === 'baseline' ? '' : diff(r.diffBest, t)}</td></tr>`).join('');
  const sentences = v.results.rows.map((r) => `<li>${escapeHtml(rowSentence(t, r, v.results))}</li>`).join('');
  const runs = v.runs.map((r) => `<tr><td>${escapeHtml(r.method)}${r.beta !== undefined ? ` (β = ${escapeHtml(r.beta)})` : ''}</td><td>${escapeHtml(r.seed)}</td>`
    + `<td>${escapeHtml(t(`status.${r.status}`))}</td><td>${r.bestTop1 !== undefined ? percent(r.bestTop1) : '–'}</td><td>${r.lastTop1 !== undefined ? percent(r.lastTop1) : '–'}</td>`
    + `<td><code>${escapeHtml(r.runId ?? '–')}</code></td></tr>`).join('');
  const teacher = v.teacher
    ? `<p>${t('study.teacher', { run: `<code>${escapeHtml(v.teacher.runId ?? '–')}</code>`, status: escapeHtml(t(`status.${v.teacher.status}`)), top1: v.teacher.lastTop1 !== undefined ? percent(v.teacher.lastTop1) : '–' })}</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>${t('study.intro', { date: escapeHtml(reportDate(opts.generatedAt ?? new Date(), lang)), id: `<code>${escapeHtml(v.id)}</code>`, status: escapeHtml(t(`status.${v.status}`)), interrupted: v.interrupted ? ` ${escapeHtml(t('study.interrupted'))}` : '', finished: v.finished, total: v.total, methods: escapeHtml(v.methods.join(', ')), seeds: escapeHtml(v.seeds.join(', ')), betas: v.betas ? escapeHtml(t('study.betas', { list: v.betas.join(', ') })) : '' })}</p>
${v.error ? `<p class="warn">${escapeHtml(v.error)}</p>` : ''}
${teacher}
<h2>${escapeHtml(t('study.found'))}</h2><ul>${sentences}</ul>
<h2>${escapeHtml(t('study.results'))}</h2>
<p>${escapeHtml(t('study.resultsIntro'))}</p>
<table><tr>${th(['study.col.method', 'study.col.runs', 'study.col.best', 'study.col.final', 'study.col.dFinal', 'study.col.dBest'])}</tr>${rows}</table>
<h2>${escapeHtml(t('study.runs'))}</h2>
<table><tr>${th(['study.col.method', 'study.col.seed', 'study.col.status', 'study.col.best', 'study.col.final', 'study.col.run'])}</tr>${runs}</table>
</body></html>
`;
}
