// PDF export: the Chromium renderer serve mode uses (with the real binary when it is installed), the
// service's 'unavailable' error without a renderer, and the report's print CSS.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumPdfRenderer, findChromium } from '../../core/report/chromiumPdf.js';
import { renderReport } from '../../core/report/index.js';
import { createService } from '../../core/service/index.js';
import { parseRunConfig } from '../../core/config/index.js';
import { RunStore } from '../../core/runs/runStore.js';
import { tempDir, tinyConfig } from './harness.js';

const tmp = tempDir('atstudio-pdf-');
afterAll(() => tmp.cleanup());
const chromium = findChromium();
if (!chromium) console.log('pdf.test: skipping the Chromium print test: no chromium/chromium-browser/google-chrome on PATH and no $CHROME_PATH');

describe('PDF export', () => {
  it('finds Chromium through $CHROME_PATH first, then PATH; null when there is none', () => {
    const fake = path.join(tmp.dir, 'my-chrome');
    writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ CHROME_PATH: fake, PATH: '' })).toBe(fake);
    expect(findChromium({ PATH: tmp.dir })).toBeNull();
    writeFileSync(path.join(tmp.dir, 'chromium-browser'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ PATH: tmp.dir })).toBe(path.join(tmp.dir, 'chromium-browser'));
  });

  it.skipIf(!chromium)('prints HTML to a PDF with headless Chromium', async () => {
    const dest = path.join(tmp.dir, 'out', 'report.pdf');
    await chromiumPdfRenderer({ binary: chromium!, timeoutMs: 90_000 })('<!doctype html><html><body><h1>Hello PDF</h1><table><tr><td>1</td></tr></table></body></html>', dest);
    const bytes = readFileSync(dest);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(bytes.byteLength).toBeGreaterThan(500);
  }, 120_000);

  it.skipIf(!chromium)("exports a run's report as PDF through the service (Chromium renderer)", async () => {
    const runsDir = path.join(tmp.dir, 'runs-pdf');
    const run = await new RunStore(runsDir).create(parseRunConfig(tinyConfig({ name: 'pdf run' })));
    const api = createService({ runsDir, renderPdf: chromiumPdfRenderer({ binary: chromium!, timeoutMs: 90_000 }) });
    try {
      const dest = path.join(tmp.dir, 'exports', 'run.pdf');
      const r = await api.exportReportPdf([run.id], dest);
      expect(r.path).toBe(dest);
      const bytes = readFileSync(dest);
      expect(r.bytes).toBe(bytes.byteLength);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      // A4 (595 × 842 pt, the report's @page), not US Letter (612 × 792).
      expect(bytes.toString('latin1')).toMatch(/\/MediaBox \[0 0 59[456](\.\d+)? 84[123](\.\d+)?\]/);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('reports a failing binary without leaving a file behind', async () => {
    const bad = path.join(tmp.dir, 'bad-chrome');
    writeFileSync(bad, '#!/bin/sh\necho broken >&2\nexit 3\n', { mode: 0o755 });
    const dest = path.join(tmp.dir, 'bad.pdf');
    await expect(chromiumPdfRenderer({ binary: bad })('<p>x</p>', dest)).rejects.toThrow(/exit code 3.*broken/);
    expect(existsSync(dest)).toBe(false);
  });

  it("rejects with 'unavailable' when the service has no renderer, and uses the one it is given", async () => {
    const runsDir = path.join(tmp.dir, 'runs');
    const none = createService({ runsDir });
    try {
      await expect(none.exportReportPdf(['x'], path.join(tmp.dir, 'r.pdf'))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Chromium/) });
    } finally {
      await none.close();
    }
    const seen: string[] = [];
    const api = createService({ runsDir, renderPdf: async (html, dest) => { seen.push(html); writeFileSync(dest, '%PDF-1.4 fake'); } });
    try {
      await expect(api.exportReportPdf([], path.join(tmp.dir, 'r.pdf'))).rejects.toMatchObject({ code: 'invalid' });
      await expect(api.exportReportPdf(['nosuchrun'], path.join(tmp.dir, 'r.pdf'))).rejects.toMatchObject({ code: 'not-found' });
      expect(seen).toHaveLength(0);
    } finally {
      await api.close();
    }
  });

  it('the report has print CSS that keeps figures and tables on one page', () => {
    const html = renderReport([]);
    expect(html).toMatch(/@media print\{[^]*figure,table[^]*break-inside:avoid/);
  });
});
