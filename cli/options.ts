// Option parsers shared by the commands; a bad value is a usage error (exit 2) that names the option.
import { InvalidArgumentError } from 'commander';
import { isWrnDepth, type ModelFamilySpec } from './engine.js';

export const BACKENDS = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number ≥ 1.');
  }
  return n;
}

/** "64" or "64,128": batch sizes, each a whole number ≥ 1. */
export function positiveIntList(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) throw new InvalidArgumentError('expected whole numbers ≥ 1, separated by commas (e.g. 64,128).');
  return parts.map((p) => positiveInt(p));
}

export function backendName(value: string): string {
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${BACKENDS.join(', ')}.`);
  }
  return value;
}

/** "wrn-16-1" → WRN depth 16 widen 1; also "resnet-18", "resnet-34", "nin-thin", "nin-wide". */
export function modelName(value: string): ModelFamilySpec {
  const v = value.trim().toLowerCase();
  let m = /^wrn-(\d+)-(\d+)$/.exec(v);
  if (m) {
    const depth = Number(m[1]);
    const widen = Number(m[2]);
    if (!isWrnDepth(depth) || widen < 1) throw new InvalidArgumentError('a WRN is wrn-<depth>-<widen> with depth 6n+4 (10, 16, 22, …), e.g. wrn-16-1.');
    return { family: 'wrn', depth, widen };
  }
  m = /^resnet-?(18|34)$/.exec(v);
  if (m) return { family: 'resnet', depth: Number(m[1]) as 18 | 34 };
  m = /^nin-(thin|wide)$/.exec(v);
  if (m) return { family: 'nin', variant: m[1] as 'thin' | 'wide' };
  throw new InvalidArgumentError('expected wrn-<depth>-<widen>, resnet-18, resnet-34, nin-thin or nin-wide.');
}

/** "28x28x1" → [28, 28, 1] (height, width, channels). */
export function shape(value: string): [number, number, number] {
  const m = /^(\d+)[x×](\d+)[x×](\d+)$/.exec(value.trim());
  if (!m || [m[1], m[2], m[3]].some((v) => Number(v) < 1)) throw new InvalidArgumentError('expected height×width×channels, e.g. 28x28x1.');
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
