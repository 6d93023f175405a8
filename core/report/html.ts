// One self-contained HTML report for one or more runs: inline CSS, inline SVG charts, PNG data URIs.
// Nothing is fetched (no scripts, no links to other hosts), so it opens offline and can be mailed.
import { perClassPR } from '../eval/precisionRecall.js';
import { confusionTable } from './confusion.js';
import { escapeHtml, fmtNum, fmtPct } from './escape.js';
import { attentionOverlayPng, pngDataUri } from './heatmap.js';
import { lineChart, type Series } from './lineChart.js';
import type { ReportRun } from './load.js';
import { replicateGroups, replicateKey, type Spread } from '../runs/replicates.js';

export const REPORT_CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.cm td{text-align:right;min-width:28px}.charts{display:flex;flex-wrap:wrap;gap:12px}
.ct{font-size:13px;font-weight:600}.tk{font-size:10px;fill:#555}.maps{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0}figcaption{font-size:11px;color:#555;max-width:220px}.warn{color:#a40}code{font-size:12px}
img{image-rendering:auto;border:1px solid #ccc}
@page{size:A4;margin:14mm}@media print{body{margin:0 auto;max-width:none;font-size:12px}figure,table,svg,.charts>*,.maps>*{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}`;

function kv(rows: [string, unknown][]): string {
  return `<table>${rows.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${typeof v === 'string' && v.startsWith('<') ? v : escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

/** A nested config object as readable "key: value" pairs (dotted keys), one per line. */
function json(v: unknown): string {
  const lines: string[] = [];
  const walk = (x: unknown, prefix: string): void => {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      for (const [k, val] of Object.entries(x)) walk(val, prefix ? `${prefix}.${k}` : k);
    } else lines.push(`${prefix}: ${Array.isArray(x) ? x.map((e) => JSON.stringify(e)).join(', ') : String(x)}`);
  };
  walk(v, '');
  return `<code>${lines.map((l) => escapeHtml(l)).join('<br>')}</code>`;
}

function configTable(r: ReportRun): string {
  const c = r.config;
  return kv([
    ['name', c.name], ['method', c.method], ['models (student ← teacher)', r.models], ['dataset', c.data.path],
    ['data', json(c.data)], ['teacher', c.teacher ? json(c.teacher) : 'none'], ['student', json(c.student)],
    ['attention', json(c.attention)], ['kd', json(c.kd)], ['training', json(c.training)], ['seed', c.seed], ['backend (asked)', c.backend],
  ]);
}

function environmentTable(r: ReportRun): string {
  const env = r.environment;
  if (!env) return '<p>No environment recorded (the run has not started).</p>';
  const backend = env.backend as { name?: string; reason?: string } | undefined;
  const student = env.student as { params?: number; multiplyAdds?: number; sizeBytes?: number; latencyMs?: number } | undefined;
  const os = env.os as { platform?: string; release?: string; arch?: string } | undefined;
  const cpu = env.cpu as { model?: string; cores?: number } | undefined;
  return kv([
    ['backend', backend ? `${backend.name ?? '?'} — ${backend.reason ?? ''}` : undefined],
    ['versions', env.versions ? json(env.versions) : undefined],
    ['os', os ? `${os.platform} ${os.release} ${os.arch}` : undefined],
    ['cpu', cpu ? `${cpu.model} (${cpu.cores} cores)` : undefined],
    ['student parameters', student?.params !== undefined ? fmtNum(student.params) : undefined],
    ['student multiply-adds / image', student?.multiplyAdds !== undefined ? fmtNum(student.multiplyAdds) : undefined],
    ['student size', student?.sizeBytes !== undefined ? `${(student.sizeBytes / 1024).toFixed(1)} KiB` : undefined],
    ['latency (batch 1)', student?.latencyMs !== undefined ? `${student.latencyMs.toFixed(3)} ms/image` : undefined],
    ['recorded', env.recordedAt as string | undefined],
  ]);
}

function resultsTable(r: ReportRun): string {
  const s = r.status;
  const st = s.results.student;
  const te = s.results.teacher;
  return kv([
    ['status', `${s.status}${s.error ? ` — ${s.error}` : ''}`],
    ['student best top-1', st?.best ? `${fmtPct(st.best.top1)} (epoch ${st.best.epoch})` : undefined],
    ['student last top-1', st?.last ? `${fmtPct(st.last.top1)} (epoch ${st.last.epoch})` : undefined],
    ['teacher best top-1', te?.best ? `${fmtPct(te.best.top1)} (epoch ${te.best.epoch})` : undefined],
    ['teacher last top-1', te?.last ? `${fmtPct(te.last.top1)} (epoch ${te.last.epoch})` : undefined],
    ['agreement with the teacher', fmtPct(r.studentEpochs.at(-1)?.test.agreement)],
    ['training time', `${s.activeSeconds.toFixed(1)} s`],
  ]);
}

function attentionSection(r: ReportRun): string {
  const snap = r.snapshot;
  if (!snap || snap.pairs.length === 0) return '<p>No attention snapshot yet.</p>';
  const withTeacher = r.config.method !== 'baseline' && !!r.config.teacher;
  const pngs = r.probes?.pngs ?? [];
  const classes = r.probes?.classes ?? [];
  const figs = snap.pairs.map((p) => {
    const probe = pngs[p.probe];
    const img = (map: number[], who: string) =>
      `<img width="96" height="96" alt="${escapeHtml(`${who} attention, probe ${p.probe}`)}" src="${pngDataUri(attentionOverlayPng(map, p.h, p.w, probe))}">`;
    const original = probe ? `<img width="96" height="96" alt="probe ${p.probe}" src="${pngDataUri(probe)}">` : '';
    // A baseline has no teacher: its snapshot pairs the student's tap with itself, so no "teacher" map.
    if (!withTeacher) {
      return `<figure>${original}${img(p.studentMap, 'student')}`
        + `<figcaption>probe ${p.probe}${classes[p.probe] ? ` (${escapeHtml(classes[p.probe])})` : ''}: image, student ${escapeHtml(p.student)} — ${p.h}×${p.w}</figcaption></figure>`;
    }
    return `<figure>${original}${img(p.teacherMap, 'teacher')}${img(p.studentMap, 'student')}`
      + `<figcaption>probe ${p.probe}${classes[p.probe] ? ` (${escapeHtml(classes[p.probe])})` : ''}: image, teacher ${escapeHtml(p.teacher)}, student ${escapeHtml(p.student)} — ${p.h}×${p.w}</figcaption></figure>`;
  });
  const what = withTeacher ? "the image, the teacher's map and the student's map for each hint pair" : "the image and the student's map at each tap (a baseline has no teacher)";
  return `<p>${escapeHtml(snap.phase)} phase, epoch ${snap.epoch}: ${what} (bright = most attention).</p><div class="maps">${figs.join('')}</div>`;
}

function runSection(r: ReportRun): string {
  const last = r.studentEpochs.at(-1) ?? r.teacherEpochs.at(-1);
  return `<section id="${escapeHtml(r.id)}"><h2>${escapeHtml(r.config.name)} <small>(${escapeHtml(r.id)})</small></h2>
<h3>Results</h3>${resultsTable(r)}
<h3>Configuration</h3>${configTable(r)}
<h3>Environment</h3>${environmentTable(r)}
<h3>Confusion matrix (${last ? `${escapeHtml(last.phase)}, epoch ${last.epoch}` : 'none'})</h3>${last ? confusionTable(last.test.confusion, classNamesFor(r)) : '<p>No epoch finished yet.</p>'}
${last && last.test.confusion.length ? prTable(last.test.confusion, classNamesFor(r)) : ''}
<h3>Attention maps</h3>${attentionSection(r)}</section>`;
}

/** Per-class precision and recall of a confusion matrix. */
function prTable(confusion: number[][], classes: string[]): string {
  const rows = perClassPR(confusion).map((c, i) => `<tr><th>${escapeHtml(classes[i] ?? String(i))}</th><td>${fmtPct(c.precision)}</td><td>${fmtPct(c.recall)}</td><td>${c.support}</td></tr>`);
  return `<h3>Precision and recall per class</h3><table class="pr"><tr><th>class</th><th>precision</th><th>recall</th><th>test images</th></tr>${rows.join('')}</table>`;
}

/** Class names by index: from the saved model's meta.json, else those the probes name, else numbers. */
function classNamesFor(r: ReportRun): string[] {
  if (r.classes?.length) return r.classes;
  const names: string[] = [];
  const p = r.probes;
  if (p?.classes) p.labels.forEach((label, i) => { names[label] = p.classes![i]; });
  return names;
}

function charts(runs: ReportRun[]): string {
  const series = (pick: (m: ReportRun['studentEpochs'][number]) => number) =>
    runs.map((r): Series => ({ name: r.config.name, points: r.studentEpochs.map((m) => [m.epoch, pick(m)]) }));
  return `<div class="charts">${lineChart({ title: 'Training loss (student)', xLabel: 'epoch', series: series((m) => m.train.loss) })}`
    + `${lineChart({ title: 'Test top-1 (student)', xLabel: 'epoch', series: series((m) => m.test.top1) })}</div>`;
}

function summaryTable(runs: ReportRun[]): string {
  const rows = runs.map((r) => {
    const st = r.status.results.student;
    const student = r.environment?.student as { params?: number } | undefined;
    return `<tr><td><a href="#${escapeHtml(r.id)}">${escapeHtml(r.config.name)}</a></td><td>${escapeHtml(r.config.method)}</td><td>${escapeHtml(r.models)}</td>`
      + `<td>${escapeHtml(r.config.seed)}</td><td>${escapeHtml(r.status.status)}</td><td>${fmtPct(st?.best?.top1)}</td><td>${fmtPct(st?.last?.top1)}</td><td>${fmtNum(student?.params)}</td></tr>`;
  });
  return `<table><tr><th>run</th><th>method</th><th>student ← teacher</th><th>seed</th><th>status</th><th>best top-1</th><th>last top-1</th><th>parameters</th></tr>${rows.join('')}</table>`
    + replicateTable(runs);
}

/** "82.0% ± 2.0 (80.0–84.0%, n = 3)": mean ± sample standard deviation in percentage points. */
function fmtSpread(s: Spread | undefined): string {
  if (!s) return '–';
  const pct = (v: number) => (v * 100).toFixed(1);
  return `${pct(s.mean)}% ± ${pct(s.sd)} (${pct(s.min)}–${pct(s.max)}%, n = ${s.n})`;
}

/** Runs that repeat one experiment with different seeds, as mean ± spread; nothing when there are none. */
function replicateTable(runs: ReportRun[]): string {
  const groups = replicateGroups(runs.map((r) => ({
    runId: r.id, name: r.config.name, replicateKey: replicateKey(r.config), seed: r.config.seed,
    bestTop1: r.status.results.student?.best?.top1, lastTop1: r.status.results.student?.last?.top1,
  })));
  if (!groups.length) return '';
  const models = new Map(runs.map((r) => [r.id, `${r.config.method} · ${r.models}`]));
  const rows = groups.map((g) => `<tr><td>${escapeHtml(models.get(g.runIds[0]!) ?? '')}</td><td>${escapeHtml(g.seeds.join(', '))}</td>`
    + `<td>${fmtSpread(g.bestTop1)}</td><td>${fmtSpread(g.lastTop1)}</td></tr>`);
  return `<h2>Across seeds</h2><p>Runs whose configurations differ only in the seed, summarised as mean ± sample standard deviation `
    + `(percentage points): how much of a difference between methods the seed alone can make.</p>`
    + `<table><tr><th>experiment</th><th>seeds</th><th>best top-1</th><th>last top-1</th></tr>${rows.join('')}</table>`;
}

export function renderReport(runs: ReportRun[], opts: { title?: string; generatedAt?: Date } = {}): string {
  const title = opts.title ?? (runs.length === 1 ? `Attention Transfer Studio — ${runs[0].config.name}` : `Attention Transfer Studio — ${runs.length} runs`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>Generated ${escapeHtml((opts.generatedAt ?? new Date()).toISOString())}. Attention transfer after Zagoruyko &amp; Komodakis, ICLR 2017. Accuracies are on the test split; "best" and "last" are the best and the last epoch.</p>
${summaryTable(runs)}
${charts(runs)}
${runs.map(runSection).join('\n')}
</body></html>
`;
}
