// One self-contained HTML report for one or more runs: inline CSS, inline SVG charts, PNG data URIs.
// Nothing is fetched (no scripts, no links to other hosts), so it opens offline and can be mailed.
import { perClassPR } from '../eval/precisionRecall.js';
import { confusionTable } from './confusion.js';
import { escapeHtml, fmtNum, fmtPct } from './escape.js';
import { attentionOverlayPng, pngDataUri } from './heatmap.js';
import { lineChart, type Series } from './lineChart.js';
import type { ReportRun } from './load.js';
import { replicateGroups, replicateKey, type Spread } from '../runs/replicates.js';
import { reportDate, reportText, type ReportT } from '../i18n/report.js';
import type { Lang } from '../i18n/lang.js';

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

function configTable(r: ReportRun, t: ReportT): string {
  const c = r.config;
  return kv([
    [t('cfg.name'), c.name], [t('cfg.method'), c.method], [t('cfg.models'), r.models], [t('cfg.dataset'), c.data.path],
    [t('cfg.data'), json(c.data)], [t('cfg.teacher'), c.teacher ? json(c.teacher) : t('none')], [t('cfg.student'), json(c.student)],
    [t('cfg.attention'), json(c.attention)], [t('cfg.kd'), json(c.kd)], [t('cfg.training'), json(c.training)], [t('cfg.seed'), c.seed], [t('cfg.backend'), c.backend],
  ]);
}

function environmentTable(r: ReportRun, t: ReportT): string {
  const env = r.environment;
  if (!env) return `<p>${escapeHtml(t('env.none'))}</p>`;
  const backend = env.backend as { name?: string; reason?: string } | undefined;
  const student = env.student as { params?: number; multiplyAdds?: number; sizeBytes?: number; latencyMs?: number } | undefined;
  const os = env.os as { platform?: string; release?: string; arch?: string } | undefined;
  const cpu = env.cpu as { model?: string; cores?: number } | undefined;
  return kv([
    [t('env.backend'), backend ? `${backend.name ?? '?'} — ${backend.reason ?? ''}` : undefined],
    [t('env.versions'), env.versions ? json(env.versions) : undefined],
    [t('env.os'), os ? `${os.platform} ${os.release} ${os.arch}` : undefined],
    [t('env.cpu'), cpu ? t('env.cores', { model: String(cpu.model), n: String(cpu.cores) }) : undefined],
    [t('env.params'), student?.params !== undefined ? fmtNum(student.params) : undefined],
    [t('env.madds'), student?.multiplyAdds !== undefined ? fmtNum(student.multiplyAdds) : undefined],
    [t('env.size'), student?.sizeBytes !== undefined ? `${(student.sizeBytes / 1024).toFixed(1)} KiB` : undefined],
    [t('env.latency'), student?.latencyMs !== undefined ? t('env.latencyValue', { ms: student.latencyMs.toFixed(3) }) : undefined],
    [t('env.recorded'), env.recordedAt as string | undefined],
  ]);
}

function resultsTable(r: ReportRun, t: ReportT): string {
  const s = r.status;
  const st = s.results.student;
  const te = s.results.teacher;
  return kv([
    [t('res.status'), `${t(`status.${s.status}`)}${s.error ? ` — ${s.error}` : ''}`],
    [t('res.studentBest'), st?.best ? t('res.atEpoch', { value: fmtPct(st.best.top1), epoch: st.best.epoch }) : undefined],
    [t('res.studentLast'), st?.last ? t('res.atEpoch', { value: fmtPct(st.last.top1), epoch: st.last.epoch }) : undefined],
    [t('res.teacherBest'), te?.best ? t('res.atEpoch', { value: fmtPct(te.best.top1), epoch: te.best.epoch }) : undefined],
    [t('res.teacherLast'), te?.last ? t('res.atEpoch', { value: fmtPct(te.last.top1), epoch: te.last.epoch }) : undefined],
    [t('res.agreement'), fmtPct(r.studentEpochs.at(-1)?.test.agreement)],
    [t('res.time'), t('res.seconds', { s: s.activeSeconds.toFixed(1) })],
  ]);
}

function attentionSection(r: ReportRun, t: ReportT): string {
  const snap = r.snapshot;
  if (!snap || snap.pairs.length === 0) return `<p>${escapeHtml(t('att.none'))}</p>`;
  const withTeacher = r.config.method !== 'baseline' && !!r.config.teacher;
  const pngs = r.probes?.pngs ?? [];
  const classes = r.probes?.classes ?? [];
  const figs = snap.pairs.map((p) => {
    const probe = pngs[p.probe];
    const img = (map: number[], who: 'teacher' | 'student') =>
      `<img width="96" height="96" alt="${escapeHtml(t(`att.alt.${who}`, { probe: p.probe }))}" src="${pngDataUri(attentionOverlayPng(map, p.h, p.w, probe))}">`;
    const original = probe ? `<img width="96" height="96" alt="${escapeHtml(t('att.altProbe', { probe: p.probe }))}" src="${pngDataUri(probe)}">` : '';
    const probeName = escapeHtml(`${t('att.probe', { probe: p.probe })}${classes[p.probe] ? ` (${classes[p.probe]})` : ''}`);
    // A baseline has no teacher: its snapshot pairs the student's tap with itself, so no "teacher" map.
    if (!withTeacher) {
      return `<figure>${original}${img(p.studentMap, 'student')}`
        + `<figcaption>${t('att.capBaseline', { probe: probeName, student: escapeHtml(p.student), h: p.h, w: p.w })}</figcaption></figure>`;
    }
    return `<figure>${original}${img(p.teacherMap, 'teacher')}${img(p.studentMap, 'student')}`
      + `<figcaption>${t('att.capPair', { probe: probeName, teacher: escapeHtml(p.teacher), student: escapeHtml(p.student), h: p.h, w: p.w })}</figcaption></figure>`;
  });
  const what = withTeacher ? t('att.whatPair') : t('att.whatBaseline');
  return `<p>${escapeHtml(t('att.head', { phase: t(`phase.${snap.phase}`), epoch: snap.epoch, what }))}</p><div class="maps">${figs.join('')}</div>`;
}

function runSection(r: ReportRun, t: ReportT): string {
  const last = r.studentEpochs.at(-1) ?? r.teacherEpochs.at(-1);
  return `<section id="${escapeHtml(r.id)}"><h2>${escapeHtml(r.config.name)} <small>(${escapeHtml(r.id)})</small></h2>
<h3>${escapeHtml(t('sec.results'))}</h3>${resultsTable(r, t)}
<h3>${escapeHtml(t('sec.config'))}</h3>${configTable(r, t)}
<h3>${escapeHtml(t('sec.env'))}</h3>${environmentTable(r, t)}
<h3>${escapeHtml(t('sec.confusion', { which: last ? t('sec.confusionWhich', { phase: t(`phase.${last.phase}`), epoch: last.epoch }) : t('none') }))}</h3>${last ? confusionTable(last.test.confusion, classNamesFor(r), { none: t('cm.none'), corner: t('cm.corner') }) : `<p>${escapeHtml(t('sec.noEpoch'))}</p>`}
${last && last.test.confusion.length ? prTable(last.test.confusion, classNamesFor(r), t) : ''}
<h3>${escapeHtml(t('sec.attention'))}</h3>${attentionSection(r, t)}</section>`;
}

/** Per-class precision and recall of a confusion matrix. */
function prTable(confusion: number[][], classes: string[], t: ReportT): string {
  const rows = perClassPR(confusion).map((c, i) => `<tr><th>${escapeHtml(classes[i] ?? String(i))}</th><td>${fmtPct(c.precision)}</td><td>${fmtPct(c.recall)}</td><td>${c.support}</td></tr>`);
  const th = (k: 'pr.class' | 'pr.precision' | 'pr.recall' | 'pr.images') => `<th>${escapeHtml(t(k))}</th>`;
  return `<h3>${escapeHtml(t('pr.title'))}</h3><table class="pr"><tr>${th('pr.class')}${th('pr.precision')}${th('pr.recall')}${th('pr.images')}</tr>${rows.join('')}</table>`;
}

/** Class names by index: from the saved model's meta.json, else those the probes name, else numbers. */
function classNamesFor(r: ReportRun): string[] {
  if (r.classes?.length) return r.classes;
  const names: string[] = [];
  const p = r.probes;
  if (p?.classes) p.labels.forEach((label, i) => { names[label] = p.classes![i]; });
  return names;
}

function charts(runs: ReportRun[], t: ReportT): string {
  const series = (pick: (m: ReportRun['studentEpochs'][number]) => number) =>
    runs.map((r): Series => ({ name: r.config.name, points: r.studentEpochs.map((m) => [m.epoch, pick(m)]) }));
  const empty = t('chart.noData');
  return `<div class="charts">${lineChart({ title: t('chart.loss'), xLabel: t('chart.epoch'), series: series((m) => m.train.loss), empty })}`
    + `${lineChart({ title: t('chart.top1'), xLabel: t('chart.epoch'), series: series((m) => m.test.top1), empty })}</div>`;
}

function summaryTable(runs: ReportRun[], t: ReportT): string {
  const rows = runs.map((r) => {
    const st = r.status.results.student;
    const student = r.environment?.student as { params?: number } | undefined;
    return `<tr><td><a href="#${escapeHtml(r.id)}">${escapeHtml(r.config.name)}</a></td><td>${escapeHtml(r.config.method)}</td><td>${escapeHtml(r.models)}</td>`
      + `<td>${escapeHtml(r.config.seed)}</td><td>${escapeHtml(t(`status.${r.status.status}`))}</td><td>${fmtPct(st?.best?.top1)}</td><td>${fmtPct(st?.last?.top1)}</td><td>${fmtNum(student?.params)}</td></tr>`;
  });
  const head = (['sum.run', 'sum.method', 'sum.models', 'sum.seed', 'sum.status', 'sum.best', 'sum.last', 'sum.params'] as const)
    .map((k) => `<th>${escapeHtml(t(k))}</th>`).join('');
  return `<table><tr>${head}</tr>${rows.join('')}</table>`
    + replicateTable(runs, t);
}

/** "82.0% ± 2.0 (80.0–84.0%, n = 3)": mean ± sample standard deviation in percentage points. */
function fmtSpread(s: Spread | undefined): string {
  if (!s) return '–';
  const pct = (v: number) => (v * 100).toFixed(1);
  return `${pct(s.mean)}% ± ${pct(s.sd)} (${pct(s.min)}–${pct(s.max)}%, n = ${s.n})`;
}

/** Runs that repeat one experiment with different seeds, as mean ± spread; nothing when there are none. */
function replicateTable(runs: ReportRun[], t: ReportT): string {
  const groups = replicateGroups(runs.map((r) => ({
    runId: r.id, name: r.config.name, replicateKey: replicateKey(r.config), seed: r.config.seed,
    bestTop1: r.status.results.student?.best?.top1, lastTop1: r.status.results.student?.last?.top1,
  })));
  if (!groups.length) return '';
  const models = new Map(runs.map((r) => [r.id, `${r.config.method} · ${r.models}`]));
  const rows = groups.map((g) => `<tr><td>${escapeHtml(models.get(g.runIds[0]!) ?? '')}</td><td>${escapeHtml(g.seeds.join(', '))}</td>`
    + `<td>${fmtSpread(g.bestTop1)}</td><td>${fmtSpread(g.lastTop1)}</td></tr>`);
  const head = (['rep.experiment', 'rep.seeds', 'sum.best', 'sum.last'] as const).map((k) => `<th>${escapeHtml(t(k))}</th>`).join('');
  return `<h2>${escapeHtml(t('rep.title'))}</h2><p>${escapeHtml(t('rep.intro'))}</p>`
    + `<table><tr>${head}</tr>${rows.join('')}</table>`;
}

/** The report in `lang` (English by default): every heading, label and sentence from core/i18n/report.*.ts. */
export function renderReport(runs: ReportRun[], opts: { title?: string; generatedAt?: Date; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'en';
  const t = reportText(lang);
  const title = opts.title ?? (runs.length === 1 ? t('title.one', { name: runs[0].config.name }) : t('title.many', { n: runs.length }));
  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(t('intro', { date: reportDate(opts.generatedAt ?? new Date(), lang) }))}</p>
${summaryTable(runs, t)}
${charts(runs, t)}
${runs.map((r) => runSection(r, t)).join('\n')}
</body></html>
`;
}
