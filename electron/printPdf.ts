// The desktop app's PDF renderer: a hidden, sandboxed BrowserWindow with JavaScript disabled loads the HTML
// report from a temporary file, prints it (printToPDF, no header/footer), and closes. The result is written
// atomically to the destination.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { atomicWrite } from '../core/io/atomicWrite.js';
import type { PdfWindowCtor } from './electronTypes.js';

export function electronPdfRenderer(BrowserWindow: PdfWindowCtor, opts: { timeoutMs?: number } = {}): (html: string, destPath: string) => Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return async (html, destPath) => {
    const work = await fs.mkdtemp(path.join(tmpdir(), 'atstudio-pdf-'));
    const win = new BrowserWindow({
      show: false, width: 1100, height: 1400,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true, spellcheck: false },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const file = path.join(work, 'report.html');
      await fs.writeFile(file, html, 'utf8');
      const job = (async () => {
        await win.loadURL(pathToFileURL(file).href);
        return win.webContents.printToPDF({ printBackground: true, displayHeaderFooter: false, pageSize: 'A4' });
      })();
      const pdf = await Promise.race([job, new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`printing the PDF took longer than ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      })]);
      await fs.mkdir(path.dirname(destPath), { recursive: true });
      await atomicWrite(destPath, new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength));
    } finally {
      if (timer) clearTimeout(timer);
      if (!win.isDestroyed()) win.destroy();
      await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
    }
  };
}
