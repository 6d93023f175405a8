// Reports of runs: the self-contained HTML report written to a file, or printed to PDF by the renderer
// the adapter gave (serve: headless Chromium; Electron: printToPDF).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atomicWrite } from '../io/atomicWrite.js';
import { renderReport } from '../report/html.js';
import { loadReportRun } from '../report/load.js';
import type { RunStore } from '../runs/runStore.js';
import type { ExportResult } from './api.js';
import { ServiceError } from './errors.js';
import type { PathPolicy } from './paths.js';
import { openRun } from './runQueries.js';
import { reportLang } from './reportOptions.js';

export type RenderPdf = (html: string, destPath: string) => Promise<void>;

export interface ReportContext { store: RunStore; paths: PathPolicy }

async function reportHtml(ctx: ReportContext, runIds: unknown, what: string, opts: unknown): Promise<string> {
  const lang = reportLang(opts);
  if (!Array.isArray(runIds) || runIds.length === 0) throw new ServiceError('invalid', `${what} needs at least one run id`);
  const runs = [];
  for (const id of runIds) runs.push(await loadReportRun(await openRun(ctx.store, id)));
  return renderReport(runs, { lang });
}

export async function exportReport(ctx: ReportContext, runIds: unknown, destPath: unknown, opts?: unknown): Promise<ExportResult> {
  if (!Array.isArray(runIds) || runIds.length === 0) throw new ServiceError('invalid', 'exportReport needs at least one run id');
  const dest = ctx.paths.check(destPath, 'report file', 'write');
  const html = Buffer.from(await reportHtml(ctx, runIds, 'exportReport', opts), 'utf8');
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await atomicWrite(dest, html);
  return { path: dest, bytes: html.byteLength };
}

/** Without a renderer: 'unavailable', saying what would make it work. */
export async function exportReportPdf(ctx: ReportContext, render: RenderPdf | undefined, runIds: unknown, destPath: unknown, opts?: unknown): Promise<ExportResult> {
  if (!render) throw new ServiceError('unavailable', 'PDF export needs Chromium (or the desktop app), and none was found here: install chromium (or set CHROME_PATH), or export the HTML report and print it from a browser');
  const dest = ctx.paths.check(destPath, 'PDF file', 'write');
  const html = await reportHtml(ctx, runIds, 'exportReportPdf', opts);
  try {
    await render(html, dest);
  } catch (err) {
    throw new ServiceError('internal', `printing the report to PDF failed: ${(err as Error).message}`);
  }
  const st = await fs.stat(dest);
  return { path: dest, bytes: st.size };
}
