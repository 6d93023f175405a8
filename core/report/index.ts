// core/report: self-contained HTML reports of runs, read back from their folders.
export { renderReport } from './html.js';
export { loadReportRun, type ReportRun } from './load.js';
export { lineChart, tickLabel, type Series } from './lineChart.js';
export { attentionOverlayPng, pngDataUri, colorAt } from './heatmap.js';
export { confusionTable } from './confusion.js';
export { escapeHtml } from './escape.js';
export { renderStudyReport } from './study.js';
