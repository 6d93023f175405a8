// startServeMode: the one way serve mode starts (`atstudio serve`, `npm start`'s fallback, the e2e harness):
// folders by one rule, a token by default, the service's API behind it, PDFs with Chromium when it is found.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findChromium } from '../../core/report/chromiumPdf.js';
import { DATASETS_DIR } from '../../core/service/directory.js';
import { startServeMode, type ServeMode } from '../../serve/index.js';

const call = async (serve: ServeMode, method: string, args: unknown[]) => {
  const res = await fetch(`${serve.server.url}api/${method}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.server.token}` }, body: JSON.stringify({ args }),
  });
  return { status: res.status, body: await res.json() as { ok: boolean; result?: unknown; error?: { code: string; message: string } } };
};

const chromium = findChromium(process.env);
const noChromium = chromium ? null : 'Chromium is not installed (apt-get install chromium, or set CHROME_PATH)';
if (noChromium) {
  if (process.env.CI === 'true') throw new Error(`serveMode.test: ${noChromium}`);
  console.warn(`serveMode.test: skipping the PDF renderer test: ${noChromium}`);
}

describe('startServeMode', () => {
  let tmp: string;
  let serve: ServeMode | null = null;
  beforeEach(() => { tmp = mkdtempSync(path.join(tmpdir(), 'atstudio-servemode-')); });
  afterEach(async () => {
    await serve?.close();
    serve = null;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('on loopback without roots: the runs folder and the working folder, the datasets folder listed, a token', async () => {
    const runsDir = path.join(tmp, 'runs');
    serve = await startServeMode({ runsDir, port: 0, cwd: tmp, env: { CHROME_PATH: '/nowhere/chromium' } });
    expect(serve.fileRoots).toEqual([runsDir, tmp]);
    expect(serve.listedAlso).toBe(DATASETS_DIR);
    expect(serve.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(serve.server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(await call(serve, 'listRuns', [])).toEqual({ status: 200, body: { ok: true, result: [] } });
    // CHROME_PATH names no executable: no PDF renderer, and the service says what is missing.
    const pdf = await call(serve, 'exportReportPdf', [['x'], path.join(tmp, 'r.pdf')]);
    expect(pdf.status).toBe(503);
    expect(pdf.body.error?.code).toBe('unavailable');
  });

  it('named roots replace the working folder and confine reads; no folder is listed besides them', async () => {
    const runsDir = path.join(tmp, 'runs');
    const root = path.join(tmp, 'data');
    serve = await startServeMode({ runsDir, port: 0, cwd: tmp, env: {}, roots: [root], token: 'a'.repeat(64) });
    expect(serve.fileRoots).toEqual([runsDir, root]);
    expect(serve.listedAlso).toBeNull();
    expect(serve.server.token).toBe('a'.repeat(64));
    const outside = await call(serve, 'inspectDataset', ['/etc']);
    expect(outside.body.error?.code).toBe('forbidden');
  });

  it.skipIf(!!noChromium)('with Chromium found, the service gets a PDF renderer (npm start exports PDFs too)', async () => {
    serve = await startServeMode({ runsDir: path.join(tmp, 'runs'), port: 0, cwd: tmp, env: { CHROME_PATH: chromium! } });
    // Not 'unavailable': the renderer is there, and the unknown run is what is wrong.
    const pdf = await call(serve, 'exportReportPdf', [['no-such-run'], path.join(tmp, 'r.pdf')]);
    expect(pdf.body.error?.code).toBe('not-found');
  });

  it('a port in use: the service is closed and the error thrown', async () => {
    const runsDir = path.join(tmp, 'runs');
    serve = await startServeMode({ runsDir, port: 0, cwd: tmp, env: {} });
    await expect(startServeMode({ runsDir, port: serve.server.port, cwd: tmp, env: {} })).rejects.toThrow();
  });
});
