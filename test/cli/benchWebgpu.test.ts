// `atstudio bench --backend webgpu`: the built CLI, spawned (Dawn reads VK_ICD_FILENAMES once per
// process), on SwiftShader with a tiny model; and, where Dawn finds no adapter, the message says what is
// missing instead of a bare "no adapter". Stdout stays one JSON line although Dawn writes to stderr.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { skipWebgpuTests } from '../helpers/webgpu.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'dist/cli/main.js');
const skip = skipWebgpuTests('test/cli/benchWebgpu.test.ts');
const TINY = ['--steps', '2', '--warmup', '1', '--student', 'wrn-10-1', '--teacher', 'wrn-10-1', '--input-shape', '8x8x1'];

function run(args: string[], env: NodeJS.ProcessEnv) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', timeout: 240_000 });
}

describe.skipIf(skip)('atstudio bench --backend webgpu (SwiftShader)', () => {
  it('--json: the adapter, images/s per batch, peak GPU memory, no tensor growth; stdout is one JSON line', () => {
    const r = run(['bench', '--json', '--backend', 'webgpu', '--batch', '2', ...TINY], { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const b = JSON.parse(lines[0]!);
    expect(b).toMatchObject({ backendChoice: 'webgpu', backend: 'webgpu', adapter: { architecture: 'swiftshader', software: true } });
    expect(b.results.map((x: { batch: number }) => x.batch)).toEqual([2]);
    for (const x of b.results) {
      expect(x.numTensorsGrowth).toBe(0);
      expect(x.imagesPerSec).toBeGreaterThan(0);
      expect(x.teacherForwardImagesPerSec).toBeGreaterThan(0);
      expect(x.gpuMemory.peakAllocatedMB).toBeGreaterThanOrEqual(x.gpuMemory.peakInUseMB);
    }
    expect(r.stderr).toContain('backend: webgpu (google swiftshader');
  });
});

describe('atstudio bench --backend webgpu without an adapter', () => {
  it('exits non-zero and says what is missing', () => {
    const r = run(['bench', '--json', '--backend', 'webgpu', '--batch', '2', ...TINY], { VK_ICD_FILENAMES: '/nonexistent/vk_icd.json' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('backend webgpu was requested');
    expect(r.stderr).toMatch(/no WebGPU adapter: (the Vulkan loader libvulkan\.so\.1 is not installed|libvulkan\.so\.1 is installed, but the Vulkan driver manifest\(s\) named by VK_ICD_FILENAMES\/VK_DRIVER_FILES \(\/nonexistent\/vk_icd\.json\) do not exist)/);
  });
});
