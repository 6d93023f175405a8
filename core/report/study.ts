// A study's HTML report: the question, the table (mean ± sample sd of best and final top-1 per method,
// the paired difference from the baseline with its 95 % interval) and one plain sentence per method,
// then the runs it was made of. Self-contained like the run report: inline CSS, nothing fetched.
import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './html.js';
import { percent, points, type PairedDifference } from '../study/results.js';
import type { StudyView } from '../study/view.js';
import type { Spread } from '../runs/replicates.js';

function meanSd(s: Spread | undefined): string {
  if (!s) return '–';
  return `${percent(s.mean)}${s.n > 1 ? ` ± ${points(s.sd)}` : ''} <small>(n = ${s.n})</small>`;
}

function diff(d: PairedDifference | undefined): string {
  if (!d) return '–';
  const ci = d.low !== undefined && d.high !== undefined ? `${points(d.low)} to ${points(d.high)}` : 'one seed: no interval';
  return `${escapeHtml(points(d.mean, true))} <small>(${escapeHtml(ci)})</small>`;
}

export function renderStudyReport(v: StudyView, opts: { generatedAt?: Date } = {}): string {
  const title = `Attention Transfer Studio — study: ${v.name}`;
  const rows = v.results.rows.map((r) => `<tr><td>${escapeHtml(r.label)}</td><td>${r.done}/${r.planned}</td><td>${meanSd(r.best)}</td><td>${meanSd(r.last)}</td>`
    + `<td>${r.method === 'baseline' ? '' : diff(r.diffLast)}</td><td>${r.method === 'baseline' ? '' : diff(r.diffBest)}</td></tr>`).join('');
  const sentences = v.results.rows.map((r) => `<li>${escapeHtml(r.sentence)}</li>`).join('');
  const runs = v.runs.map((r) => `<tr><td>${escapeHtml(r.method)}${r.beta !== undefined ? ` (β = ${escapeHtml(r.beta)})` : ''}</td><td>${escapeHtml(r.seed)}</td>`
    + `<td>${escapeHtml(r.status)}</td><td>${r.bestTop1 !== undefined ? percent(r.bestTop1) : '–'}</td><td>${r.lastTop1 !== undefined ? percent(r.lastTop1) : '–'}</td>`
    + `<td><code>${escapeHtml(r.runId ?? '–')}</code></td></tr>`).join('');
  const teacher = v.teacher
    ? `<p>The teacher was trained once, in run <code>${escapeHtml(v.teacher.runId ?? '–')}</code> (${escapeHtml(v.teacher.status)}; final test top-1 ${v.teacher.lastTop1 !== undefined ? percent(v.teacher.lastTop1) : '–'}), and every other run learned from that one teacher.</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Generated ${escapeHtml((opts.generatedAt ?? new Date()).toISOString())}. Study <code>${escapeHtml(v.id)}</code>: ${escapeHtml(v.status)}${v.interrupted ? ' (interrupted)' : ''}, ${v.finished} of ${v.total} runs finished. Methods ${escapeHtml(v.methods.join(', '))}; seeds ${escapeHtml(v.seeds.join(', '))}${v.betas ? `; β ${escapeHtml(v.betas.join(', '))}` : ''}.</p>
${v.error ? `<p class="warn">${escapeHtml(v.error)}</p>` : ''}
${teacher}
<h2>What the study found</h2><ul>${sentences}</ul>
<h2>Results</h2>
<p>Test top-1 as mean ± sample standard deviation over the seeds (percentage points). Δ is the method minus the baseline, seed by seed (the same seed gives both runs the same data order and the same starting weights), with a 95 % confidence interval from the paired t distribution. "Final" is the last epoch; "best" is the best epoch, which is chosen on the test split and so reads a little high.</p>
<table><tr><th>method</th><th>runs</th><th>best top-1</th><th>final top-1</th><th>Δ final vs baseline (95 % CI)</th><th>Δ best vs baseline (95 % CI)</th></tr>${rows}</table>
<h2>Runs</h2>
<table><tr><th>method</th><th>seed</th><th>status</th><th>best top-1</th><th>final top-1</th><th>run</th></tr>${runs}</table>
</body></html>
`;
}
