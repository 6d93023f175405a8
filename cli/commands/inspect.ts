// `atstudio inspect <dataset>`: what the engine sees in a dataset folder before a run.
import * as path from 'node:path';
import type { CliIO } from '../io.js';
import { inspectDataset } from '../engine.js';

export async function inspectCommand(io: CliIO, dir: string, flags: { json?: boolean }): Promise<number> {
  const info = await inspectDataset(path.resolve(io.cwd, dir));
  if (flags.json) {
    // Sample images are PNG bytes for the wizard; on the command line only their count is useful.
    const { samples, ...rest } = info;
    io.stdout.write(JSON.stringify({ ...rest, samples: samples.length }) + '\n');
    return 0;
  }
  const [h, w, c] = info.imageShape;
  const lines = [
    `path:    ${info.path}`,
    `format:  ${info.format}`,
    `classes: ${info.classes.length} (${info.classes.join(', ')})`,
    `train:   ${info.trainCount} images`,
    `test:    ${info.testCount} images`,
    ...(info.validationCount !== undefined ? [`validation: ${info.validationCount} images`] : []),
    `shape:   ${h}×${w}×${c} (height × width × channels)`,
    ...(info.notes ?? []).map((n) => `note:    ${n}`),
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}
