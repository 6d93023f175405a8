// The desktop app's PDF renderer on the mock: a hidden, sandboxed, JS-disabled window loads the report from
// a temporary file, prints it, is destroyed, and the PDF lands atomically at the destination.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { electronPdfRenderer } from '../../electron/printPdf.js';
import type { PdfWindowCtor } from '../../electron/electronTypes.js';
import { FakeWebContents, mockElectron } from './mockElectron.js';

const dir = mkdtempSync(path.join(tmpdir(), 'atstudio-epdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('electron printToPDF renderer', () => {
  it('prints on a hidden, sandboxed window without JavaScript, then destroys it', async () => {
    const m = mockElectron();
    const Win = m.electron.BrowserWindow as unknown as PdfWindowCtor;
    const render = electronPdfRenderer(Win);
    const dest = path.join(dir, 'sub', 'report.pdf');
    const p = render('<h1>Report</h1>', dest);
    await p;
    const win = m.windows[0]! as unknown as { options: Record<string, any>; loaded: string[]; webContents: FakeWebContents; isDestroyed(): boolean };
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false });
    expect(win.options.webPreferences.preload).toBeUndefined();
    expect(win.loaded).toHaveLength(1);
    expect(win.loaded[0]).toMatch(/^file:\/\/.*report\.html$/);
    const tempHtml = fileURLToPath(win.loaded[0]!);
    expect(existsSync(tempHtml)).toBe(false); // the temporary copy is removed
    expect(win.webContents.printed).toEqual([{ printBackground: true, displayHeaderFooter: false, pageSize: 'A4' }]);
    expect(win.isDestroyed()).toBe(true);
    expect(readFileSync(dest, 'latin1')).toBe('%PDF-1.7 fake');
  });

  it('destroys the window and writes nothing when printing fails', async () => {
    const m = mockElectron();
    FakeWebContents.printResult = new Error('printing failed');
    try {
      const dest = path.join(dir, 'fail.pdf');
      await expect(electronPdfRenderer(m.electron.BrowserWindow as unknown as PdfWindowCtor)('<p>x</p>', dest)).rejects.toThrow('printing failed');
      expect(existsSync(dest)).toBe(false);
      expect(m.windows[0]!.isDestroyed()).toBe(true);
    } finally {
      FakeWebContents.printResult = new TextEncoder().encode('%PDF-1.7 fake');
    }
  });
});
