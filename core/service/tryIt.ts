// "Try it": a finished run's student (and its teacher, where the run has one) on an image the person
// brings: the top classes with probabilities, and each network's attention maps on that image. The image
// goes through the same preprocessing as training (meta.json's normalization, resized to the input shape).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { tf } from '../tf.js';
import { attentionMap } from '../attention/index.js';
import { resolveAttentionFn } from '../attention/attentionFn.js';
import { normalizeBatch } from '../data/batches.js';
import { convertImage } from '../data/resize.js';
import type { RunStore } from '../runs/runStore.js';
import { inputShapeOf, loadTeacherNet } from '../train/networks.js';
import type { TryImageResult, TryNetResult } from './api.js';
import { ServiceError } from './errors.js';
import { scale01 } from './preview.js';
import { plainTapName } from './wizard.js';

/** Largest image accepted (base64 of a few MB): a photo from a phone, not a video. */
export const MAX_TRY_BYTES = 12 * 1024 * 1024;

/** PNG or JPEG bytes → RGB(A) pixels (HWC, uint8) with their channel count. */
export function decodeImage(bytes: Buffer): { data: Uint8Array; h: number; w: number; c: number } {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const png = PNG.sync.read(bytes);
    return { data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), h: png.height, w: png.width, c: 4 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return { data: img.data, h: img.height, w: img.width, c: 4 };
  }
  throw new ServiceError('invalid', 'the image must be a PNG or JPEG file');
}

/** Softmax of logits, then the `k` most probable classes. */
export function topK(logits: ArrayLike<number>, k: number, classes?: string[]): TryNetResult['top'] {
  const max = Math.max(...Array.from(logits));
  const exp = Array.from(logits, (v) => Math.exp(v - max));
  const sum = exp.reduce((a, v) => a + v, 0);
  return exp.map((e, label) => ({ label, p: e / sum, ...(classes?.[label] !== undefined ? { className: classes[label] } : {}) }))
    .sort((a, b) => b.p - a.p).slice(0, k);
}

async function runNet(modelJson: string, img: { data: Uint8Array; h: number; w: number; c: number }): Promise<TryNetResult & { classes?: string[] }> {
  const loaded = await loadTeacherNet(modelJson);
  const net = loaded.net;
  try {
    const shape = inputShapeOf(net.model);
    if (!shape) throw new ServiceError('internal', `${modelJson} has no fixed input shape`);
    const pixels = convertImage(img.data, img.h, img.w, img.c, shape);
    const norm = loaded.meta?.normalization;
    const input = norm ? normalizeBatch(pixels, shape[2], norm) : Float32Array.from(pixels, (v) => v / 255);
    const fn = resolveAttentionFn(undefined); // Σ|A|², the paper's default, for display
    const outs = tf.tidy(() => {
      const x = tf.tensor4d(input, [1, ...shape], 'float32');
      const out = net.tapped.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
      const all = Array.isArray(out) ? out : [out];
      return [all[0]!, ...net.taps.map((_, j) => attentionMap(all[j + 1] as tf.Tensor4D, fn))];
    });
    let values: Float32Array[];
    try {
      values = (await Promise.all(outs.map((t) => t.data()))) as Float32Array[];
    } finally {
      tf.dispose(outs);
    }
    const classes = loaded.meta?.classes;
    return {
      top: topK(values[0]!, 3, classes),
      maps: net.taps.map((t, j) => ({ tap: plainTapName(t.name), h: t.shape[0], w: t.shape[1], map: scale01(values[j + 1]!) })),
      ...(classes ? { classes } : {}),
    };
  } finally {
    net.model.dispose();
  }
}

export async function tryImage(runId: string, imageBase64: string, ctx: { store: RunStore }): Promise<TryImageResult> {
  if (typeof imageBase64 !== 'string' || imageBase64.length === 0) throw new ServiceError('invalid', 'tryImage takes a run id and the image as base64 (PNG or JPEG)');
  const bytes = Buffer.from(imageBase64.replace(/^data:[^,]*,/, ''), 'base64');
  if (bytes.byteLength > MAX_TRY_BYTES) throw new ServiceError('invalid', `the image is ${Math.round(bytes.byteLength / 1e6)} MB; at most ${MAX_TRY_BYTES / 1024 / 1024} MB`);
  const img = decodeImage(bytes);
  const run = await ctx.store.open(runId);
  const studentFile = run.modelPath('student');
  if (!existsSync(studentFile)) throw new ServiceError('not-found', `run ${runId} has no saved student yet: it is saved when training finishes`);
  const student = await runNet(studentFile, img);
  // The teacher this run learned from: trained in the run, or a finished run's network.
  const t = run.config.method !== 'baseline' ? run.config.teacher : undefined;
  let teacherFile: string | null = null;
  if (t?.source === 'train') teacherFile = run.modelPath('teacher');
  else if (t?.source === 'run') teacherFile = (await ctx.store.open(t.run).catch(() => null))?.modelPath(t.role ?? 'student') ?? null;
  else if (t?.source === 'file' && path.extname(t.path) === '.json') teacherFile = t.path;
  const teacher = teacherFile && existsSync(teacherFile) ? await runNet(teacherFile, img).catch(() => null) : null;
  const { classes, ...s } = student;
  return { student: s, ...(teacher ? { teacher: { top: teacher.top, maps: teacher.maps } } : {}), ...(classes ? { classes } : {}) };
}
