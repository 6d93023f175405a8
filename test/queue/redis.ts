// A private redis-server for a test (a random loopback port, no persistence unless asked), stopped after.
// Without redis-server the queue tests skip and say why; under CI=true they fail instead.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Redis } from 'ioredis';

export const REDIS_SERVER = process.env.ATSTUDIO_TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export function redisMissing(): string | null {
  if (existsSync(REDIS_SERVER) || spawnSync(REDIS_SERVER, ['--version']).status === 0) return null;
  const why = `${REDIS_SERVER} is missing (apt-get install redis-server, or set ATSTUDIO_TEST_REDIS_SERVER)`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`queue tests need redis-server: ${why}`);
  console.log(`queue tests skip: ${why}`);
  return why;
}

export const FMNIST = '/usr/share/datasets/fashion-mnist';

/** Whether the queue tests that train can run: Fashion-MNIST first, then redis-server (each says why not; CI=true fails). */
export function queueTrainingSkips(): boolean {
  if (!existsSync(path.join(FMNIST, 'train-images-idx3-ubyte.gz'))) {
    if (process.env.CI === 'true') throw new Error(`${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
    console.log(`queue tests skip: ${FMNIST} is missing (apt-get install dataset-fashion-mnist)`);
    return true;
  }
  return redisMissing() !== null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface TestRedis {
  url: string;
  port: number;
  /** Stop (SIGKILL: a crash, nothing saved) and start again on the same port. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(dir: string, opts: { password?: string } = {}): Promise<TestRedis> {
  const p = await freePort();
  const auth = opts.password ? ['--requirepass', opts.password] : [];
  let child: ChildProcess | null = null;
  const up = async () => {
    child = spawn(REDIS_SERVER, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...auth], { stdio: 'ignore' });
    const probe = new Redis({ port: p, host: '127.0.0.1', ...(opts.password ? { password: opts.password } : {}), lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    await probe.connect().catch(() => undefined);
    await probe.ping();
    probe.disconnect();
  };
  const down = async () => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  await up();
  return {
    url: `redis://${opts.password ? `:${encodeURIComponent(opts.password)}@` : ''}127.0.0.1:${p}`,
    port: p,
    async restart(downMs = 1000) {
      await down();
      await new Promise((r) => setTimeout(r, downMs));
      await up();
    },
    stop: down,
  };
}
