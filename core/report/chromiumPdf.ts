// A PDF renderer for `atstudio serve`: headless Chromium prints a temporary file:// copy of the HTML report
// (no header/footer) into a temporary file, which is then moved into place atomically.
import { spawn } from 'node:child_process';
import { accessSync, constants, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { atomicWrite } from '../io/atomicWrite.js';

export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** $CHROME_PATH (when it is an executable), else the first of CHROMIUM_NAMES on $PATH; null when none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const exe = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (env.CHROME_PATH && exe(env.CHROME_PATH)) return env.CHROME_PATH;
  for (const name of CHROMIUM_NAMES) {
    for (const dir of (env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      const p = path.join(dir, name);
      if (exe(p)) return p;
    }
  }
  return null;
}

export interface ChromiumPdfOptions { binary: string; timeoutMs?: number }

/** renderPdf(html, dest) with headless Chromium. Rejects with Chromium's stderr tail when it fails. */
export function chromiumPdfRenderer(opts: ChromiumPdfOptions): (html: string, destPath: string) => Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return async (html, destPath) => {
    const work = await fs.mkdtemp(path.join(tmpdir(), 'atstudio-pdf-'));
    try {
      const htmlFile = path.join(work, 'report.html');
      const pdfFile = path.join(work, 'report.pdf');
      await fs.writeFile(htmlFile, html, 'utf8');
      const args = [
        '--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--disable-background-networking',
        '--disable-extensions', '--disable-dev-shm-usage', '--no-pdf-header-footer', '--hide-scrollbars',
        `--user-data-dir=${path.join(work, 'profile')}`, `--print-to-pdf=${pdfFile}`, pathToFileURL(htmlFile).href,
      ];
      await new Promise<void>((resolve, reject) => {
        const child = spawn(opts.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`Chromium did not finish printing the PDF within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        child.on('error', (err) => { clearTimeout(timer); reject(new Error(`could not start Chromium (${opts.binary}): ${err.message}`)); });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else reject(new Error(`Chromium failed to print the PDF (${signal ?? `exit code ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        });
      });
      const pdf = await fs.readFile(pdfFile).catch(() => null);
      if (!pdf || pdf.byteLength < 5 || pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw new Error('Chromium exited without writing a PDF');
      await fs.mkdir(path.dirname(destPath), { recursive: true });
      await atomicWrite(destPath, pdf);
    } finally {
      await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
    }
  };
}

/** The serve command's renderer: Chromium when found, else undefined (exportReportPdf then says why). */
export function defaultPdfRenderer(env: NodeJS.ProcessEnv = process.env): ((html: string, destPath: string) => Promise<void>) | undefined {
  const binary = findChromium(env);
  return binary ? chromiumPdfRenderer({ binary }) : undefined;
}
