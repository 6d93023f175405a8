// Exports of one run or a comparison: an HTML or PDF report, metrics as CSV/JSON, the student model.
// Electron asks the user where to write (native dialogs); a browser cannot write on the engine's machine
// wherever it likes, so serve mode writes inside the (first) run's folder, <run.dir>/exports/<name>, and
// the page offers a link to download it through /runs/<id>/files/exports/<name>.
import type { ExportResult } from '../../../core/service/api.js';
import type { RunSummary } from '../../../core/runs/types.js';
import { api as defaultApi, toUiError, type UiApi } from './api.js';
import { locale, t } from '../i18n/index.js';

export type ExportKind = 'report' | 'pdf' | 'metrics-csv' | 'metrics-json' | 'model' | 'model-onnx' | 'model-zip';

/** A button's label, in the app's language. */
export function exportLabel(kind: ExportKind): string {
  return t(`export.label.${kind}`);
}

/** Kinds that only make sense for one run. */
export const SINGLE_RUN_KINDS: readonly ExportKind[] = ['metrics-csv', 'metrics-json', 'model', 'model-onnx', 'model-zip'];

export interface ExportLink {
  label: string;
  href: string;
  /** File name for the `download` attribute (files); absent for things meant to be opened. */
  download?: string;
}

export interface ExportOutcome {
  kind: ExportKind;
  /** The file or folder name written (browser) — the last part of result.path. */
  name: string;
  result: ExportResult;
  /** Browser only: links to what was written (one per file of the model folder). */
  links: ExportLink[];
}

/** A short, stable tag for a list of run ids (FNV-1a, 8 hex digits), for comparison file names. */
export function idsHash(ids: readonly string[]): string {
  let h = 0x811c9dc5;
  const s = ids.join(',');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The file (or folder, for the model) name an export gets by default. */
export function exportName(kind: ExportKind, runIds: readonly string[]): string {
  const one = runIds.length === 1 ? runIds[0]! : null;
  const stem = one ? `report-${one}` : `comparison-${idsHash(runIds)}`;
  switch (kind) {
    case 'report': return `${stem}.html`;
    case 'pdf': return `${stem}.pdf`;
    case 'metrics-csv': return `metrics-${runIds[0]}.csv`;
    case 'metrics-json': return `metrics-${runIds[0]}.json`;
    case 'model': return `student-${runIds[0]}`;
    case 'model-onnx': return `student-${runIds[0]}.onnx`;
    case 'model-zip': return `student-${runIds[0]}.zip`;
  }
}

/** Joins path parts with the separator the base path already uses (the engine may run on Windows). */
export function joinPath(base: string, ...parts: string[]): string {
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  const trimmed = base.replace(/[\\/]+$/, '');
  return [trimmed, ...parts].join(sep);
}

const FILTERS = (): Partial<Record<ExportKind, { name: string; extensions: string[] }>> => ({
  report: { name: t('export.filter.report'), extensions: ['html'] },
  pdf: { name: t('export.filter.pdf'), extensions: ['pdf'] },
  'metrics-csv': { name: 'CSV', extensions: ['csv'] },
  'metrics-json': { name: 'JSON', extensions: ['json'] },
  'model-onnx': { name: t('export.filter.onnx'), extensions: ['onnx'] },
  'model-zip': { name: t('export.filter.zip'), extensions: ['zip'] },
});

export class ExportError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}


async function write(a: UiApi, kind: ExportKind, runIds: string[], dest: string): Promise<ExportResult> {
  switch (kind) {
    // Reports are written in the app's language.
    case 'report': return a.exportReport(runIds, dest, { lang: locale.current });
    case 'pdf': return a.exportReportPdf(runIds, dest, { lang: locale.current });
    case 'metrics-csv': return a.exportMetrics(runIds[0]!, dest, 'csv');
    case 'metrics-json': return a.exportMetrics(runIds[0]!, dest, 'json');
    case 'model': return a.exportModel(runIds[0]!, dest);
    case 'model-onnx': return a.exportModel(runIds[0]!, dest, 'onnx');
    case 'model-zip': return a.exportModel(runIds[0]!, dest, 'zip');
  }
}

/**
 * The files of an exported model folder, for links: listed through the API when it can, else model.json and
 * the weight files its manifest names (read back over HTTP).
 */
async function modelFiles(a: UiApi, dir: string, runId: string, name: string): Promise<string[]> {
  const order = (x: string, y: string) => (x === 'model.json' ? -1 : y === 'model.json' ? 1 : x.localeCompare(y));
  if (typeof a.listDirectory === 'function') {
    try {
      const l = await a.listDirectory(dir);
      const files = l.entries.filter((e) => e.kind === 'file').map((e) => e.name);
      if (files.length > 0) return files.sort(order);
    } catch {
      // fall through: the export itself worked
    }
  }
  const url = a.runFileUrl(runId, `exports/${name}/model.json`);
  if (url && typeof fetch === 'function') {
    try {
      const res = await fetch(url);
      if (res.ok) {
        const model = (await res.json()) as { weightsManifest?: { paths?: string[] }[] };
        const weights = (model.weightsManifest ?? []).flatMap((g) => g.paths ?? []).filter((p) => !p.includes('/') && !p.includes('..'));
        return ['model.json', ...new Set(weights)];
      }
    } catch {
      // fall through
    }
  }
  return ['model.json'];
}

/** What the user reads when an export fails; 'unavailable' (no PDF renderer) is explained plainly. */
export function exportErrorMessage(kind: ExportKind, err: unknown): string {
  const e = err instanceof ExportError ? { code: err.code, message: err.message } : toUiError(err);
  if (kind === 'pdf' && e.code === 'unavailable') {
    return t('export.pdfUnavailable', { reason: e.message.replace(/\.?$/, '.') });
  }
  return e.message;
}

/**
 * Runs one export. Resolves null when the user cancelled the save dialog (nothing written); rejects with
 * the service's error otherwise.
 */
export async function runExport(kind: ExportKind, runIds: string[], runs: RunSummary[], a: UiApi = defaultApi): Promise<ExportOutcome | null> {
  if (runIds.length === 0) throw new ExportError('invalid', t('export.pickOne'));
  if (SINGLE_RUN_KINDS.includes(kind) && runIds.length !== 1) throw new ExportError('invalid', t('export.oneAtATime'));
  const name = exportName(kind, runIds);

  if (a.dialogs) {
    let dest: string | null;
    if (kind === 'model') {
      const folder = await a.dialogs.openFolder({ title: t('export.chooseFolder') });
      dest = folder ? joinPath(folder, name) : null;
    } else {
      const filter = FILTERS()[kind];
      dest = await a.dialogs.saveFile({ title: exportLabel(kind), defaultPath: name, ...(filter ? { filters: [filter] } : {}) });
    }
    if (!dest) return null;
    const result = await write(a, kind, runIds, dest);
    return { kind, name: dest.split(/[\\/]/).pop() ?? dest, result, links: [] };
  }

  const first = runs.find((r) => r.id === runIds[0]);
  if (!first) throw new ExportError('not-found', t('export.unknownFolder', { id: runIds[0] ?? '' }));
  const dest = joinPath(first.dir, 'exports', name);
  const result = await write(a, kind, runIds, dest);
  const links: ExportLink[] = [];
  if (kind === 'model') {
    for (const f of await modelFiles(a, dest, first.id, name)) {
      const href = a.runFileUrl(first.id, `exports/${name}/${f}`);
      if (href) links.push({ label: f, href, download: f });
    }
  } else {
    const href = a.runFileUrl(first.id, `exports/${name}`);
    if (href) links.push({ label: name, href, download: name });
  }
  return { kind, name, result, links };
}

/**
 * Serve mode: starts the download of what was just written, as a browser does for any download (one file;
 * a model folder of several files keeps its links). true when a download was started.
 */
export function startDownload(out: ExportOutcome, doc: Document = document): boolean {
  const link = out.links.length === 1 ? out.links[0]! : null;
  if (!link?.download) return false;
  const a = doc.createElement('a');
  a.href = link.href;
  a.download = link.download;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  return true;
}
