// A fake AtStudioApi for component tests, with answers shaped like the engine's: Fashion-MNIST at
// /usr/share/datasets/fashion-mnist (28×28×1, 10 classes), the README's WRN parameter counts, the real
// hint pairing (pairHints), and a finished run to copy or learn from. Every method is a vi.fn, so a test
// can inspect calls or replace an answer (mockResolvedValueOnce / mockImplementation); resetFakeApi()
// restores the defaults between tests.
import { vi } from 'vitest';
import type { UiApi } from '../../renderer/src/lib/api.js';
import { pairHints, type HintPair } from '../../core/attention/hintPairs.js';
import type { ModelFamilySpec, RunConfig } from '../../core/config/types.js';
import type { TapInfo } from '../../core/models/types.js';
import type { RunSummary } from '../../core/runs/types.js';
import type { StudyView } from '../../core/study/types.js';
import { fakeQueueMethods } from './fakeQueue.js';
import type {
  AttentionPreview, AttentionPreviewRequest, BackendOption, DatasetView, DirectoryListing, DurationEstimate, EstimateRequest,
  ModelEstimate, RunDetail, TeacherFileView, ValidationResult,
} from '../../core/service/api.js';
import { definedOnly, type Patch } from '../../core/util/exactOptional.js';

export const FASHION = '/usr/share/datasets/fashion-mnist';
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
/** A 1×1 grey PNG. */
export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

/** An error as the transports deliver it: toUiError reads "[code] message". */
export function apiError(code: string, message: string): Error {
  return new Error(`[${code}] ${message}`);
}

/** The same as renderer/src/lib/api.ts's toUiError for errors without ApiError. */
export function toUiError(err: unknown): { code: string; message: string } {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^\[([a-z-]+)\] ([\s\S]*)$/.exec(text);
  return m ? { code: m[1]!, message: m[2]! } : { code: 'internal', message: text };
}

/** core/config/runConfig.ts defaultRunConfig(), as the engine returns it. */
export function defaultConfig(): RunConfig {
  return {
    version: 2,
    name: 'at WRN-16-1 ← WRN-16-2',
    seed: 42,
    data: { path: '', format: 'auto', validationSplit: 0, augment: true },
    teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } },
    student: { model: { family: 'wrn', depth: 16, widen: 1 } },
    method: 'at',
    attention: { fn: { kind: 'sum-p', p: 2 }, beta: 1000, form: 'code', betaDecay: 'none' },
    kd: { temperature: 4, alpha: 0.9 },
    gradAt: { beta: 0.1, flip: false },
    training: { epochs: 200, batchSize: 128, lr: 0.1, momentum: 0.9, weightDecay: 5e-4, schedule: { kind: 'step', milestones: [0.3, 0.6, 0.8], gamma: 0.2 } },
    backend: 'auto',
    probes: 4,
  };
}

export function fashionView(): DatasetView {
  return {
    path: FASHION, format: 'idx', classes: [...FASHION_CLASSES], trainCount: 60000, testCount: 10000, imageShape: [28, 28, 1],
    samples: FASHION_CLASSES.map((_, label) => ({ label, pngBase64: PNG_1PX })),
  };
}

/** README's table (32×32×3, 10 classes); other models scaled from WRN-16-1 by depth and width². */
const KNOWN: Record<string, { params: number; madds: number }> = {
  'WRN-16-1': { params: 175_066, madds: 26_700_000 },
  'WRN-16-2': { params: 691_674, madds: 101_100_000 },
  'WRN-40-1': { params: 563_930, madds: 83_300_000 },
  'WRN-40-2': { params: 2_243_546, madds: 327_600_000 },
  'ResNet-18': { params: 11_173_962, madds: 556_000_000 },
  'ResNet-34': { params: 21_282_122, madds: 1_160_000_000 },
  'NIN-thin': { params: 966_986, madds: 222_000_000 },
  'NIN-wide': { params: 3_839_498, madds: 880_000_000 },
};

export function modelName(m: ModelFamilySpec): string {
  return m.family === 'wrn' ? `WRN-${m.depth}-${m.widen}` : m.family === 'resnet' ? `ResNet-${m.depth}` : `NIN-${m.variant}`;
}

export function taps(m: ModelFamilySpec, [h, w]: [number, number, number]): TapInfo[] {
  const down = (k: number) => [Math.ceil(h / 2 ** k), Math.ceil(w / 2 ** k)] as const;
  if (m.family === 'wrn') return [0, 1, 2].map((g) => ({ name: `group${g}`, shape: [...down(g), 16 * 2 ** g * m.widen] as [number, number, number] }));
  if (m.family === 'resnet') return [0, 1, 2, 3].map((g) => ({ name: `group${g}`, shape: [...down(g), 64 * 2 ** g] as [number, number, number] }));
  return [0, 1, 2].map((g) => ({ name: `group${g}`, shape: [...down(g), 192] as [number, number, number] }));
}

export function estimate(req: EstimateRequest): ModelEstimate {
  const m = req.model;
  const name = modelName(m);
  let k = KNOWN[name];
  if (!k && m.family === 'wrn') {
    const base = KNOWN['WRN-16-1']!;
    const f = ((m.depth - 4) / 12) * m.widen * m.widen;
    k = { params: Math.round(base.params * f), madds: Math.round(base.madds * f) };
  }
  const area = (req.inputShape[0] * req.inputShape[1]) / (32 * 32);
  const params = k!.params;
  return { name, params, trainableParams: params - 1000, multiplyAdds: Math.round(k!.madds * area), sizeBytes: params * 4, taps: taps(m, req.inputShape) };
}

export const DONE_RUN: RunSummary = {
  id: '2026-11-27-teacher-wrn-40-2', dir: '/tmp/runs/2026-11-27-teacher-wrn-40-2', name: 'big teacher', status: 'done', interrupted: false,
  resumable: false, method: 'baseline', models: 'WRN-40-2', student: 'WRN-40-2', dataset: FASHION, seed: 42, phase: null, epoch: 10,
  epochs: 10, best: { epoch: 9, top1: 0.931 }, last: { epoch: 10, top1: 0.929 }, durationSeconds: 1800,
  createdAt: '2026-11-27T10:00:00.000Z', updatedAt: '2026-11-27T10:30:00.000Z',
};

const running: Patch<RunSummary> = {
  id: '2026-11-28-at-quick', dir: '/tmp/runs/2026-11-28-at-quick', name: 'quick AT', status: 'running', method: 'at',
  models: 'WRN-16-1 ← WRN-16-2', student: 'WRN-16-1', teacher: 'WRN-16-2', epoch: 2, best: undefined, last: undefined,
};
export const RUNNING_RUN: RunSummary = definedOnly({ ...DONE_RUN, ...running });

/** The config of the run "Duplicate" copies in the tests: KD, WRN-22-1 student, 12 epochs, cosine. */
export function copiedConfig(): RunConfig {
  const c = defaultConfig();
  return {
    ...c, name: 'my KD run', method: 'kd', seed: 7,
    data: { ...c.data, path: FASHION, limit: 500 },
    student: { model: { family: 'wrn', depth: 22, widen: 1 } },
    training: { ...c.training, epochs: 12, schedule: { kind: 'cosine' } },
  };
}

export function runDetail(id: string): RunDetail {
  if (id === DONE_RUN.id) {
    const c = defaultConfig();
    const config: RunConfig = { ...c, name: DONE_RUN.name, method: 'baseline', data: { ...c.data, path: FASHION }, student: { model: { family: 'wrn', depth: 40, widen: 2 } } };
    delete config.teacher;
    return { summary: DONE_RUN, config, status: {} as RunDetail['status'], environment: null };
  }
  if (id === 'copy-me') {
    return { summary: { ...DONE_RUN, id, name: 'my KD run', method: 'kd' }, config: copiedConfig(), status: {} as RunDetail['status'], environment: null };
  }
  throw apiError('not-found', `no run "${id}" in the runs folder`);
}

export const BACKENDS: BackendOption[] = [
  { name: 'tensorflow-gpu', available: false, reason: 'no CUDA GPU was found' },
  { name: 'webgpu', available: true, reason: 'only google swiftshader (SwiftShader driver 5.0.0), a software adapter: it emulates a GPU on the CPU, far slower than wasm, so Automatic never picks it',
    adapter: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', software: true } },
  { name: 'tensorflow', available: false, reason: '@tensorflow/tfjs-node is not installed for this platform' },
  { name: 'wasm', available: true, reason: 'WebAssembly with SIMD, 2 threads' },
  { name: 'cpu', available: true, reason: 'plain JavaScript: always works, slowest' },
];

function preview(req: AttentionPreviewRequest): AttentionPreview {
  const teacher = req.teacher;
  const model = teacher.source === 'train' ? teacher.model : { family: 'wrn', depth: 40, widen: 2 } as ModelFamilySpec;
  return {
    imagePngBase64: PNG_1PX, label: 9, className: 'Ankle boot', trained: teacher.source !== 'train',
    maps: taps(model, [28, 28, 1]).map((t) => ({ tap: t.name, h: t.shape[0], w: t.shape[1], map: Array.from({ length: t.shape[0] * t.shape[1] }, (_, i) => (i % 7) / 6) })),
  };
}

function duration(): DurationEstimate {
  return {
    backend: 'wasm', seconds: 754, measured: true,
    phases: [
      { phase: 'teacher', imagesPerSec: 180, epochs: 200, stepsPerEpoch: 469, seconds: 520 },
      { phase: 'student', imagesPerSec: 410, epochs: 200, stepsPerEpoch: 469, seconds: 234 },
    ],
  };
}

function listing(path?: string): DirectoryListing {
  const p = path ?? '/home/user';
  return {
    path: p, parent: p === '/' ? null : p.replace(/\/[^/]+\/?$/, '') || '/',
    entries: p === '/usr/share/datasets' ? [{ name: 'fashion-mnist', path: FASHION, kind: 'dir' }] : [],
    places: [{ label: 'Home', path: '/home/user' }, { label: 'fashion-mnist', path: FASHION }],
  };
}

function makeFake() {
  return {
    transport: 'browser' as const,
    dialogs: null,
    runFileUrl: vi.fn((runId: string, rel: string) => `/runs/${runId}/files/${rel}`),
    inspectDataset: vi.fn(async (path: string): Promise<DatasetView> => {
      if (path.replace(/\/+$/, '') === FASHION) return fashionView();
      throw apiError('invalid', `no dataset found in ${path} (expected CIFAR-10/100 binaries, IDX files, or one folder of images per class)`);
    }),
    estimateModel: vi.fn(async (req: EstimateRequest) => estimate(req)),
    inspectTeacherFile: vi.fn(async (path: string, chosen?: string[]): Promise<TeacherFileView> => {
      if (!path.endsWith('model.json')) throw apiError('invalid', `${path} is not a TF.js model (expected a model.json)`);
      const auto = taps({ family: 'wrn', depth: 16, widen: 2 }, [28, 28, 1]);
      // The stage outputs and, before each, a relu a person might pick instead.
      const layers: TapInfo[] = auto.flatMap((t) => [{ name: `${t.name}.block0.relu0`, shape: t.shape }, t]);
      const named = chosen?.length ? chosen.map((n) => {
        const l = layers.find((x) => x.name === n);
        if (!l) throw apiError('invalid', `${path}: no layer named '${n}'`);
        return l;
      }) : auto;
      return { path, inputShape: [28, 28, 1], numClasses: 10, params: 691_674, multiplyAdds: 80_000_000, sizeBytes: 691_674 * 4, taps: named, layers };
    }),
    proposeHintPairs: vi.fn(async (s: TapInfo[], t: TapInfo[], explicit?: HintPair[]) => {
      try {
        return pairHints(s, t, explicit);
      } catch (err) {
        throw apiError('invalid', (err as Error).message);
      }
    }),
    validateConfig: vi.fn(async (config: unknown): Promise<ValidationResult> => ({ ok: true, config: config as RunConfig, issues: [], warnings: [] })),
    defaultConfig: vi.fn(async () => defaultConfig()),
    backends: vi.fn(async () => BACKENDS.map((b) => ({ ...b }))),
    startRun: vi.fn(async (config: unknown): Promise<RunSummary> => ({
      ...RUNNING_RUN, id: 'new-run-1', name: (config as RunConfig).name ?? 'at WRN-16-1 ← WRN-16-2', status: 'queued',
    })),
    pauseRun: vi.fn(async () => {}),
    resumeRun: vi.fn(async () => {}),
    cancelRun: vi.fn(async () => {}),
    deleteRun: vi.fn(async () => {}),
    listRuns: vi.fn(async () => [DONE_RUN, RUNNING_RUN]),
    getRun: vi.fn(async (id: string) => runDetail(id)),
    getMetrics: vi.fn(async () => []),
    getSnapshots: vi.fn(async () => []),
    getProbes: vi.fn(async () => null),
    getLog: vi.fn(async () => ''),
    compareRuns: vi.fn(async () => []),
    measureLatency: vi.fn(async (ids: string[]) => ({ backend: 'wasm', batchSize: 1 as const, warmupRounds: 3, rounds: 15, measuredAt: '2026-12-06T06:00:00.000Z',
      rows: ids.map((runId, i) => ({ runId, medianMs: 1 + i })) })),
    tryImage: vi.fn(async () => ({ student: { top: [{ label: 7, className: 'Sneaker', p: 0.8 }, { label: 5, className: 'Sandal', p: 0.15 }, { label: 9, className: 'Ankle boot', p: 0.05 }], maps: [{ tap: 'group0', h: 2, w: 2, map: [1, 0, 0, 0] }] } })),
    exportReport: vi.fn(async (_ids: string[], dest: string) => ({ path: dest, bytes: 1000 })),
    exportReportPdf: vi.fn(async (_ids: string[], dest: string) => ({ path: dest, bytes: 1000 })),
    exportModel: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 1000 })),
    exportMetrics: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 1000 })),
    previewAttention: vi.fn(async (req: AttentionPreviewRequest) => preview(req)),
    estimateDuration: vi.fn(async () => duration()),
    listDirectory: vi.fn(async (path?: string) => listing(path)),
    validateStudy: vi.fn(async () => ({ ok: true, issues: [], warnings: [], runs: 0 })),
    startStudy: vi.fn(async (config: unknown) => ({ ...STUDY_VIEW, name: (config as { name?: string }).name ?? STUDY_VIEW.name })),
    listStudies: vi.fn(async () => [STUDY_VIEW]),
    getStudy: vi.fn(async () => STUDY_VIEW),
    cancelStudy: vi.fn(async () => {}),
    resumeStudy: vi.fn(async () => {}),
    exportStudyReport: vi.fn(async (_id: string, dest: string) => ({ path: dest, bytes: 1000 })),
    ...fakeQueueMethods(),
    subscribe: vi.fn(() => () => {}),
  } satisfies UiApi; // the fake keeps the real API's shape: a method renamed or retyped there fails here
}

/** A study half-way: the teacher and the first seed done, seed 2 of AT training. */
export const STUDY_VIEW: StudyView = {
  id: 'study-1', name: 'does AT help', status: 'running', interrupted: false, createdAt: '2026-12-06T06:00:00.000Z', updatedAt: '2026-12-06T06:10:00.000Z',
  methods: ['baseline', 'at'], seeds: [1, 2],
  teacher: { runId: 'teacher-run', status: 'done', bestTop1: 0.9, lastTop1: 0.89 },
  runs: [
    { method: 'baseline', seed: 1, runId: 'b1', status: 'done', bestTop1: 0.81, lastTop1: 0.8 },
    { method: 'at', seed: 1, runId: 'a1', status: 'done', bestTop1: 0.83, lastTop1: 0.82 },
    { method: 'baseline', seed: 2, runId: 'b2', status: 'done', bestTop1: 0.83, lastTop1: 0.82 },
    { method: 'at', seed: 2, runId: 'a2', status: 'running' },
  ],
  finished: 4, total: 5, secondsSpent: 400, secondsLeft: 95,
  results: {
    done: 3, planned: 4, seedSpread: 0.0141,
    rows: [
      { method: 'baseline', label: 'Baseline', done: 2, planned: 2, best: { n: 2, mean: 0.82, sd: 0.0141, min: 0.81, max: 0.83 }, last: { n: 2, mean: 0.81, sd: 0.0141, min: 0.8, max: 0.82 },
        sentence: 'Baseline (the student alone): final top-1 81.0 % ± 1.4 over 2 seeds.' },
      { method: 'at', label: 'AT', done: 1, planned: 2, best: { n: 1, mean: 0.83, sd: 0, min: 0.83, max: 0.83 }, last: { n: 1, mean: 0.82, sd: 0, min: 0.82, max: 0.82 },
        diffLast: { n: 1, mean: 0.02, sd: 0 }, sentence: 'AT: +2.0 points of top-1 on one seed — that can\'t be judged; run at least 2 seeds (3 or more is better) to see it against the seed\'s own noise.' },
    ],
  },
};

export type FakeApi = ReturnType<typeof makeFake>;

/** The one fake the mocked api module exports; resetFakeApi() puts every method back to its default. */
export const fakeApi: FakeApi = makeFake();

export function resetFakeApi(): void {
  const fresh = makeFake();
  for (const [k, v] of Object.entries(fresh)) (fakeApi as Record<string, unknown>)[k] = v;
}
