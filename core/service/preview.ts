// previewAttention: the teacher's attention maps on one sample image, for the wizard's attention step.
// A 'train' teacher is built from the zoo with a fixed seed (random weights: trained=false); a 'file' or
// 'run' teacher is loaded as training loads it. Maps are attentionMap (the loss's own function) on the tapped
// activations, then scaled to [0,1] for display. Loaded models are kept for a short while (the wizard asks
// again when only the function or the sample changes).
import { existsSync } from 'node:fs';
import { PNG } from 'pngjs';
import { tf } from '../tf.js';
import { attentionMap } from '../attention/index.js';
import { resolveAttentionFn } from '../attention/attentionFn.js';
import type { AttentionFn, TeacherConfig } from '../config/types.js';
import { loadDataset } from '../data/load.js';
import { computeNormalization } from '../data/normalization.js';
import { normalizeBatch } from '../data/batches.js';
import { convertImage } from '../data/resize.js';
import type { Normalization } from '../data/types.js';
import type { RunStore } from '../runs/runStore.js';
import { buildNet, inputShapeOf, loadTeacherNet, withConfigTaps, type Net } from '../train/networks.js';
import type { AttentionPreview, AttentionPreviewRequest, DatasetView } from './api.js';
import { ServiceError } from './errors.js';
import type { PathPolicy } from './paths.js';
import { datasetView, plainTapName } from './wizard.js';

export const PREVIEW_SEED = 1;
const CACHE_MS = 30_000;
const UNTRAINED_NOTE = 'These maps come from an untrained network (random weights): they show where the architecture looks before learning, and become meaningful once the teacher is trained.';

interface Cached { net: Net; normalization: Normalization | null; trained: boolean; timer: NodeJS.Timeout }
const cache = new Map<string, Cached>();

/** Drop every cached model now (tests; the service's close). */
export function clearPreviewCache(): void {
  for (const [k, c] of cache) {
    clearTimeout(c.timer);
    c.net.dispose();
    cache.delete(k);
  }
}

function remember(key: string, value: Omit<Cached, 'timer'>): Cached {
  const old = cache.get(key);
  if (old) { clearTimeout(old.timer); old.net.dispose(); }
  for (const [k, c] of cache) if (cache.size >= 3 && k !== key) { clearTimeout(c.timer); c.net.dispose(); cache.delete(k); }
  const timer = setTimeout(() => {
    const c = cache.get(key);
    if (c) { cache.delete(key); c.net.dispose(); }
  }, CACHE_MS);
  timer.unref();
  const entry = { ...value, timer };
  cache.set(key, entry);
  return entry;
}

export interface PreviewContext { paths: PathPolicy; store: RunStore }

export async function previewAttention(req: AttentionPreviewRequest, ctx: PreviewContext): Promise<AttentionPreview> {
  if (!req || typeof req !== 'object' || !req.data || !req.teacher) throw new ServiceError('invalid', 'previewAttention takes { data: { path }, teacher, fn, sample?, taps? }');
  let fn: AttentionFn;
  try {
    fn = resolveAttentionFn(req.fn ?? undefined);
  } catch (err) {
    throw new ServiceError('invalid', `attention function: ${(err as Error).message}`);
  }
  const dataDir = ctx.paths.check(req.data.path, 'dataset folder', 'read');
  const view = await datasetView(dataDir, req.data.format);
  const index = req.sample ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= view.samples.length) {
    throw new ServiceError('invalid', `sample must be an index from 0 to ${view.samples.length - 1}, got ${JSON.stringify(req.sample)}`);
  }
  const sample = view.samples[index]!;
  const { key, load } = teacherSource(req.teacher, view, ctx);
  let entry = cache.get(key);
  if (!entry) entry = remember(key, await load());
  const base = entry.net;
  let net: Net = base;
  if (req.taps?.length) {
    try {
      net = withConfigTaps(base, req.taps, 'teacher');
    } catch (err) {
      throw new ServiceError('invalid', (err as Error).message);
    }
  }
  const inputShape = inputShapeOf(base.model) ?? view.imageShape;
  const normalization = entry.normalization ?? await datasetNormalization(dataDir, req.data.format, inputShape, view.imageShape);

  const pixels = samplePixels(sample.pngBase64, view.imageShape[2], inputShape);
  const maps: AttentionPreview['maps'] = [];
  {
    const raw = tf.tidy(() => {
      const x = tf.tensor4d(normalizeBatch(pixels, inputShape[2], normalization), [1, ...inputShape], 'float32');
      const out = net.tapped.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      return net.taps.map((_, j) => attentionMap(outs[j + 1] as tf.Tensor4D, fn));
    });
    let values: Float32Array[];
    try {
      values = (await Promise.all(raw.map((m) => m.data()))) as Float32Array[];
    } finally {
      tf.dispose(raw);
    }
    net.taps.forEach((t, j) => {
      maps.push({ tap: plainTapName(t.name), h: t.shape[0], w: t.shape[1], map: scale01(values[j]!) });
    });
  }
  // A retapped view (req.taps) shares the cached model's layers and holds no weights: nothing to free.
  const className = view.classes[sample.label];
  return {
    imagePngBase64: sample.pngBase64, label: sample.label, ...(className !== undefined ? { className } : {}),
    trained: entry.trained,
    ...(entry.trained ? {} : { note: UNTRAINED_NOTE }),
    maps,
  };
}

function teacherSource(t: TeacherConfig, view: DatasetView, ctx: PreviewContext): { key: string; load: () => Promise<Omit<Cached, 'timer'>> } {
  const numClasses = view.classes.length;
  if (t.source === 'train') {
    if (!t.model) throw new ServiceError('invalid', 'teacher.model is required for a teacher trained in the run');
    const key = JSON.stringify(['train', t.model, view.imageShape, numClasses]);
    return {
      key,
      load: async () => {
        let net: Net;
        try {
          net = buildNet(t.model, view.imageShape, numClasses, 'teacher_', PREVIEW_SEED);
        } catch (err) {
          throw new ServiceError('invalid', `cannot build the teacher: ${(err as Error).message}`);
        }
        return { net, normalization: null, trained: false };
      },
    };
  }
  if (t.source === 'file') {
    const file = ctx.paths.check(t.path, 'teacher model.json', 'read');
    return { key: JSON.stringify(['file', file]), load: () => loadSaved(file) };
  }
  if (t.source === 'run') {
    return {
      key: JSON.stringify(['run', t.run, t.role ?? 'student']),
      load: async () => {
        const run = await ctx.store.open(t.run);
        const file = run.modelPath(t.role ?? 'student');
        if (!existsSync(file)) throw new ServiceError('not-found', `run ${t.run} has no saved ${t.role ?? 'student'} model yet (it is saved when that phase finishes)`);
        return loadSaved(file);
      },
    };
  }
  throw new ServiceError('invalid', `teacher.source must be 'train', 'file' or 'run', got ${JSON.stringify((t as { source?: unknown }).source)}`);
}

async function loadSaved(modelJson: string): Promise<Omit<Cached, 'timer'>> {
  const loaded = await loadTeacherNet(modelJson);
  return { net: loaded.net, normalization: loaded.meta?.normalization ?? null, trained: true };
}

/** The training set's normalization (as training computes it), from the first images (memoized per folder). */
const norms = new Map<string, Normalization>();
async function datasetNormalization(dir: string, format: AttentionPreviewRequest['data']['format'], inputShape: [number, number, number], nativeShape: [number, number, number]): Promise<Normalization> {
  const key = JSON.stringify([dir, format, inputShape]);
  const hit = norms.get(key);
  if (hit) return hit;
  const same = inputShape.every((d, i) => d === nativeShape[i]);
  const ds = await loadDataset(dir, { limit: 1000, ...(format ? { format } : {}), ...(same ? {} : { inputShape }) });
  const n = computeNormalization(ds.train);
  if (norms.size > 20) norms.clear();
  norms.set(key, n);
  return n;
}

/** The sample's PNG decoded to HWC uint8 at the dataset's channel count, then converted to the model's input. */
function samplePixels(pngBase64: string, channels: number, inputShape: [number, number, number]): Uint8Array {
  const png = PNG.sync.read(Buffer.from(pngBase64, 'base64'));
  const rgba = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  const px = png.width * png.height;
  const c = channels === 1 ? 1 : 3;
  const img = new Uint8Array(px * c);
  for (let p = 0; p < px; p++) for (let k = 0; k < c; k++) img[p * c + k] = rgba[p * 4 + k]!;
  return convertImage(img, png.height, png.width, c, inputShape);
}

/** Values scaled to [0, 1] for drawing a map (all zeros when constant); Try it draws its maps the same way. */
export function scale01(v: ArrayLike<number>): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < v.length; i++) { lo = Math.min(lo, v[i]!); hi = Math.max(hi, v[i]!); }
  const span = hi - lo;
  return Array.from(v, (x) => (span > 0 ? (x - lo) / span : 0));
}
