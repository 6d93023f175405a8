// `atstudio report <run…> [--out file] [--lang en|zh] [--pdf]`: one self-contained HTML report of one run or
// a comparison of several (the app's "Export report"), in English or Chinese; --pdf prints it through
// headless Chromium as the app's serve mode does.
import * as path from 'node:path';
import type { CliIO } from '../io.js';
import { resolveRunId } from '../lookup.js';
import { resolveRunsDir } from '../runsDir.js';
import { UsageError } from '../errors.js';
import { RunStore } from '../engine.js';
import { loadReportRun } from '../../core/report/load.js';
import { renderReport } from '../../core/report/html.js';
import { defaultPdfRenderer } from '../../core/report/chromiumPdf.js';
import { atomicWrite } from '../../core/io/atomicWrite.js';
import type { Lang } from '../../core/i18n/lang.js';

export interface ReportFlags { out?: string; lang?: Lang; pdf?: boolean; json?: boolean; runsDir?: string }

export async function reportCommand(io: CliIO, refs: string[], flags: ReportFlags): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const store = new RunStore(runsDir);
  const runs = [];
  for (const ref of refs) runs.push(await loadReportRun(await store.open(await resolveRunId(store, ref, runsDir))));
  const stem = runs.length === 1 ? `report-${runs[0]!.id}` : 'comparison';
  const out = path.resolve(io.cwd, flags.out ?? `${stem}.${flags.pdf ? 'pdf' : 'html'}`);
  const html = renderReport(runs, { lang: flags.lang ?? 'en' });
  if (flags.pdf) {
    const render = defaultPdfRenderer(io.env);
    if (!render) throw new UsageError('--pdf needs Chromium: install chromium (or set CHROME_PATH), or leave out --pdf for the HTML report');
    await render(html, out);
  } else {
    await atomicWrite(out, html);
  }
  if (flags.json) io.stdout.write(JSON.stringify({ runs: runs.map((r) => r.id), lang: flags.lang ?? 'en', path: out }) + '\n');
  else io.stdout.write(`${out}\n`);
  return 0;
}
