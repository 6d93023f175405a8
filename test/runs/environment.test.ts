import * as os from 'node:os';
import { beforeAll, expect, it } from 'vitest';
import { collectEnvironment } from '../../core/runs/environment.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(async () => {
  await useBackend('cpu');
});

it('records backend, versions and machine', () => {
  const env = collectEnvironment({ name: 'cpu', reason: 'forced by --backend cpu', attempts: [], versions: { 'tfjs-core': '4.22.0' } });
  expect(env.backend).toMatchObject({ name: 'cpu', reason: 'forced by --backend cpu', tfBackend: 'cpu' });
  expect(env.versions).toMatchObject({ node: process.versions.node, tfjs: '4.22.0', 'tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-wasm': '4.22.0' });
  expect(env.os).toEqual({ platform: process.platform, release: os.release(), arch: process.arch, hostname: os.hostname() });
  expect(env.cpu.cores).toBe(os.cpus().length);
  expect(env.memoryBytes).toBe(os.totalmem());
  expect(JSON.parse(JSON.stringify(env))).toEqual(env); // plain JSON
});
