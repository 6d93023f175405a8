// rediss:// end to end: a redis-server that speaks only TLS (a throwaway self-signed certificate made
// with openssl), an `atstudio worker --queue rediss://… --queue-ca cert.pem` and a queue client with the
// same CA train one tiny run; without the CA the certificate is refused (verification is never off).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { builtBin } from '../cli/harness.js';
import { connectRunQueue, parseQueueUrl } from '../../core/queue/index.js';
import { parseRunConfig } from '../../core/config/runConfig.js';
import { RunStore } from '../../core/runs/runStore.js';
import { freePort, redisMissing, REDIS_SERVER } from './redis.js';

const FMNIST = '/usr/share/datasets/fashion-mnist';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'atstudio-tls-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** Why this test cannot run here, or null. Under CI a missing prerequisite fails instead. */
function missing(): string | null {
  let why: string | null = null;
  if (!existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'))) why = `${FMNIST} is missing (apt-get install dataset-fashion-mnist)`;
  else if (redisMissing() !== null) why = 'redis-server is missing';
  else if (spawnSync('openssl', ['version']).status !== 0) why = 'openssl is missing (apt-get install openssl)';
  else {
    // Debian's redis-server is built with TLS; a build without it refuses the tls-port directive (with it,
    // this probe exits at once: "Configured to not listen anywhere").
    const probe = spawnSync(REDIS_SERVER, ['--port', '0', '--tls-port', '0'], { encoding: 'utf8', timeout: 5000 });
    if (/FATAL CONFIG[\s\S]*tls/i.test(`${probe.stdout}${probe.stderr}`)) why = `${REDIS_SERVER} is built without TLS`;
  }
  if (why && (process.env.CI === 'true' || process.env.CI === '1')) throw new Error(`the rediss:// test needs: ${why}`);
  if (why) console.log(`rediss:// test skips: ${why}`);
  return why;
}
const skip = missing() !== null;

/** A self-signed certificate for 127.0.0.1 (its own CA), valid for a day. */
function makeCert(): { cert: string; key: string } {
  const cert = path.join(tmp, 'cert.pem');
  const key = path.join(tmp, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=atstudio-test', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}

async function startTlsRedis(cert: string, key: string): Promise<number> {
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', cert, '--tls-key-file', key,
    '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--dir', tmp], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const on = (d: Buffer) => { out += d.toString(); if (/Ready to accept connections/.test(out)) resolve(); };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`redis-server with TLS exited (${code}):\n${out}`)));
  });
  return port;
}

describe.skipIf(skip)('rediss:// (TLS) with a CA of its own', () => {
  it('a worker and a client with --queue-ca train a run; without the CA the certificate is refused', async () => {
    const { cert, key } = makeCert();
    const port = await startTlsRedis(cert, key);
    const url = `rediss://127.0.0.1:${port}`;

    // Node's own CAs do not know this certificate: the connection is refused, not silently accepted.
    const plain = new Redis({ ...parseQueueUrl(url).options, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const refused = new Promise<Error>((resolve) => plain.once('error', resolve));
    await plain.connect().catch(() => undefined);
    expect((await refused).message).toMatch(/self[- ]signed|certificate/i);
    plain.disconnect();

    const runsDir = path.join(tmp, 'runs');
    const env = { ...process.env, ATSTUDIO_BACKEND: 'wasm', ATSTUDIO_WASM_THREADS: '1', ATSTUDIO_QUEUE: url, ATSTUDIO_QUEUE_CA: '' };
    const worker = spawn(process.execPath, [builtBin(), 'worker', '--queue-ca', cert, '--runs-dir', runsDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(worker);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const on = (d: Buffer) => { out += d.toString(); if (/ready/.test(out)) resolve(); };
      worker.stdout!.on('data', on);
      worker.stderr!.on('data', on);
      worker.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${out}`)));
    });

    const store = new RunStore(runsDir);
    const q = await connectRunQueue({ url, caFile: cert, store, log: () => undefined, pollMs: 200 });
    try {
      const run = await store.create(parseRunConfig({
        version: 2, seed: 1, name: 'over TLS', method: 'baseline',
        data: { path: FMNIST, format: 'idx', limit: 16, testLimit: 16, augment: false },
        student: { model: { family: 'wrn', depth: 10, widen: 1 } },
        training: { epochs: 1, batchSize: 16, lr: 0.05, schedule: { kind: 'cosine' } },
        backend: 'wasm', probes: 0,
      }));
      const hosts = new Set<string>();
      const off = q.onEvent((id, _e, host) => { if (id === run.id) hosts.add(host); });
      const outcome = await q.runToEnd(run);
      off();
      expect(outcome).toEqual({ status: 'done' });
      expect((await run.readStatus()).status).toBe('done');
      expect([...hosts]).toEqual([os.hostname()]); // its events came back over TLS
      const environment = JSON.parse(readFileSync(path.join(runsDir, run.id, 'environment.json'), 'utf8')) as { worker?: { pid?: number } };
      expect(environment.worker?.pid).toBe(worker.pid);
    } finally {
      await q.close();
      worker.kill('SIGTERM');
    }
  }, 180_000);
});
