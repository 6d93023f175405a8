// The package's main export is the core's public API: importing the built package by its own name from
// the project root (Node's package self-reference) must give the documented names and one tf instance
// (the engine of the installed @tensorflow/tfjs-core).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const expectedNames = [
  'tf',
  'selectBackend',
  'registerWasmTrainingKernels',
  'createModel',
  'summarizeModel',
  'estimateModel',
  'withTaps',
  'proposeTaps',
  'loadTeacher',
  'attentionMap',
  'atLoss',
  'pairHints',
  'kdLoss',
  'gradAtLoss',
  'crossEntropy',
];

describe('package exports', () => {
  it('import("attention-transfer-studio") gives the core API after a build', () => {
    expect(existsSync(path.join(root, 'dist/core/index.js')), 'run `npm run build` first').toBe(true);
    const script = `
      const m = await import('attention-transfer-studio');
      const tfjs = await import('@tensorflow/tfjs-core');
      console.log(JSON.stringify({ names: Object.keys(m), sameTf: m.tf.engine() === tfjs.engine() }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const { names, sameTf } = JSON.parse(out.trim().split('\n').pop()!);
    for (const name of expectedNames) expect(names).toContain(name);
    expect(sameTf).toBe(true);
  });
});
