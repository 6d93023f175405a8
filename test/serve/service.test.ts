// Serve mode in front of the real application service (createService, in-process engine on wasm): a tiny
// run started over HTTP, watched by two browser clients (renderer/api/httpClient.ts over WebSocket), one
// of which disconnects mid-run; the other sees it to done, and the run's files are readable over HTTP.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useBackend } from '../helpers/backend.js';
import { createService, type AtStudioService } from '../../core/service/index.js';
import type { RunEvent } from '../../core/events/types.js';
import { createHttpClient, type WebSocketCtor } from '../../renderer/api/httpClient.js';
import { startServer, type RunningServer } from '../../serve/index.js';
import { FASHION_DIR, tinyConfig } from '../service/harness.js';
import { rawRequest, tempDir, waitFor } from './harness.js';

const tmp = tempDir();
const runsDir = path.join(tmp.dir, 'runs');
let service: AtStudioService;
let srv: RunningServer;
const Ws = WebSocket as unknown as WebSocketCtor;

beforeAll(async () => {
  await useBackend('wasm');
  service = createService({ runsDir, roots: [tmp.dir, FASHION_DIR] });
  srv = await startServer({ api: service, port: 0, runsDir, token: null });
});
afterAll(async () => {
  await srv?.close();
  await service?.close();
  tmp.cleanup();
});

describe('serve mode with the real service', () => {
  it('maps the service errors (not-found, invalid, forbidden) to statuses', async () => {
    const c = createHttpClient(srv.url, { WebSocket: Ws });
    await expect(c.getRun('20990101-000000-none-0000')).rejects.toMatchObject({ code: 'not-found', status: 404 });
    await expect(c.getRun('../../etc')).rejects.toMatchObject({ status: 400 });
    // Outside the roots given to the service: refused by the service's path policy.
    await expect(c.inspectDataset('/etc')).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    const cfg = await c.defaultConfig();
    expect(cfg.version).toBe(2);
  });

  it('two clients watch one run; one leaves mid-run; the other sees it through to done', async () => {
    const watcher = createHttpClient(srv.url, { WebSocket: Ws });
    const leaver = createHttpClient(srv.url, { WebSocket: Ws });
    const run = await watcher.startRun(tinyConfig({ name: 'served tiny' }));
    const seen: RunEvent[] = [];
    const left: RunEvent[] = [];
    watcher.subscribe((_id, e) => seen.push(e), run.id);
    leaver.subscribe((_id, e) => left.push(e), run.id);
    await waitFor(() => left.some((e) => e.type === 'step'), 60_000);
    leaver.close(); // the tab is closed mid-run
    const leftAt = left.length;
    await waitFor(() => seen.some((e) => e.type === 'done' || e.type === 'failed'), 90_000);
    expect(seen.map((e) => e.type)).toContain('done');
    expect(seen.filter((e) => e.type === 'epoch').length).toBeGreaterThanOrEqual(2); // teacher and student
    expect(left.length).toBe(leftAt);
    watcher.close();

    const detail = await createHttpClient(srv.url, { WebSocket: Ws }).getRun(run.id);
    expect(detail.status.status).toBe('done');
    const model = await rawRequest(srv.port, `/runs/${run.id}/files/models/student/model.json`);
    expect(model.status).toBe(200);
    expect(JSON.parse(model.body).modelTopology).toBeTruthy();
    const probe = await rawRequest(srv.port, `/runs/${run.id}/files/probes/probe-0.png`);
    expect(probe.status).toBe(200);
    expect(probe.headers['content-type']).toBe('image/png');
    expect((await rawRequest(srv.port, `/runs/${run.id}/files/../../package.json`)).status).toBe(400);
  });
});
