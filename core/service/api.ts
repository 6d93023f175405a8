// The application service's API: everything the UI needs, written once and exposed by two thin adapters
// (Electron IPC through the preload, and serve mode over HTTP + WebSocket). Every argument and result is
// plain JSON (Uint8Array images travel as base64 strings), so both transports carry them unchanged.
import type { RunConfig } from '../config/types.js';
import type { ReportOptions } from './reportOptions.js';
import type { RunEvent } from '../events/types.js';
import type { AttentionSnapshot, Metric, ProbeSet, RunStatusFile, RunSummary } from '../runs/types.js';
import type { ModelFamilySpec, TapInfo } from '../models/types.js';
import type { ResolvedHintPair, HintPair } from '../attention/hintPairs.js';
import type { DatasetFormat, DatasetInfo } from '../data/types.js';
import type { AttentionFn, BackendName, TeacherConfig } from '../config/types.js';
import type { StudyView } from '../study/types.js';

export type { StudyView } from '../study/types.js';

/** validateStudy's answer: problems by field, advice, and how many runs the study would train. */
export interface StudyValidation {
  ok: boolean;
  issues: { path: string; message: string }[];
  warnings: string[];
  /** Runs in all, the teacher's included (0 when the config is invalid). */
  runs: number;
  /** Rows of the result (methods, and β values for the methods that use β) and seeds per row. */
  arms?: number;
  seeds?: number;
  trainsTeacher?: boolean;
}

/** inspectDataset's result with sample images as base64 PNG (JSON-safe), for the wizard. */
export type DatasetView = Omit<DatasetInfo, 'samples'> & { samples: { label: number; pngBase64: string }[] };

export interface ModelEstimate {
  name: string; // e.g. WRN-16-1
  params: number;
  trainableParams: number;
  multiplyAdds: number;
  sizeBytes: number;
  /** Named as a config's hint pairs name them (e.g. group0), without the engine's layer prefixes. */
  taps: TapInfo[];
}

export interface EstimateRequest {
  model: ModelFamilySpec;
  inputShape: [number, number, number];
  numClasses: number;
}

export interface TeacherFileView {
  path: string;
  inputShape: [number, number, number] | null;
  numClasses: number;
  params: number;
  /** Per image; absent when the model's input size is not fixed. */
  multiplyAdds?: number;
  sizeBytes: number;
  /** The taps in use: the ones asked for, else those proposed automatically. */
  taps: TapInfo[];
  /** Every layer that could be a tap (one 4-D activation of fixed size), in graph order. */
  layers: TapInfo[];
  notes?: string[];
}

export interface ValidationResult {
  ok: boolean;
  /** Normalized config with every default filled in, when ok. */
  config?: RunConfig;
  /** One entry per problem: the field path and the message. */
  issues: { path: string; message: string }[];
  /** Advice that does not block a start (different families, little to transfer, resized pairs…). */
  warnings: string[];
}

export interface RunDetail {
  summary: RunSummary;
  config: RunConfig;
  status: RunStatusFile;
  environment: Record<string, unknown> | null;
  /** Every class name of the dataset, from the run's saved student (or teacher) model; absent before one is saved. */
  classes?: string[];
  /** For a queued run: how many runs are ahead of it on this engine, the one training included. */
  queuePosition?: number;
}

export interface BackendOption {
  name: BackendName; available: boolean; reason: string;
  /** webgpu: the GPU adapter found (software: an emulation such as SwiftShader, which Automatic never picks). */
  adapter?: { vendor: string; architecture: string; description: string; software: boolean };
}

export interface ComparisonRow {
  runId: string;
  name: string;
  method: string;
  models: string;
  seed: number;
  /** Equal for runs whose configs differ only in seed and name (core/runs/replicates.ts). */
  replicateKey: string;
  params?: number;
  multiplyAdds?: number;
  sizeBytes?: number;
  latencyMs?: number;
  bestTop1?: number;
  lastTop1?: number;
  agreement?: number;
  trainSeconds?: number;
  backend?: string;
  /** What a comparison must mention when it differs between runs (core/runs/settings.ts). */
  settings?: Record<string, string>;
}

export interface ExportResult { path: string; bytes: number }

/** One compared run's student, timed by measureLatency. */
export interface LatencyRow {
  runId: string;
  /** Median ms per image at batch 1, absent when it could not be measured (then `error` says why). */
  medianMs?: number;
  error?: string;
}

/** measureLatency's answer: every student timed in the same process, interleaved, after a warm-up (core/service/latency.ts). */
export interface LatencyComparison {
  backend: string;
  batchSize: 1;
  warmupRounds: number;
  /** Timed rounds (one inference of each model per round). */
  rounds: number;
  measuredAt: string;
  rows: LatencyRow[];
}

/** One network's answer on a "Try it" image. */
export interface TryNetResult {
  /** The most probable classes, most probable first (softmax of the logits). */
  top: { label: number; className?: string; p: number }[];
  /** Σ|A|² attention at each tap, row-major, scaled to [0,1] for display. */
  maps: { tap: string; h: number; w: number; map: number[] }[];
}

export interface TryImageResult {
  student: TryNetResult;
  /** The run's teacher, where it has one whose model is on disk. */
  teacher?: TryNetResult;
  classes?: string[];
}

export interface AttentionPreviewRequest {
  data: { path: string; format?: DatasetFormat | 'auto' };
  /** 'train' → a freshly initialised (seeded) teacher, trained=false. */
  teacher: TeacherConfig;
  fn: AttentionFn;
  /** Index into inspectDataset's samples (default 0). */
  sample?: number;
  /** Default: the teacher's taps (group0..). */
  taps?: string[];
}

export interface AttentionPreview {
  imagePngBase64: string;
  label: number;
  className?: string;
  /** false for a 'train' teacher (random weights): say so in the UI. */
  trained: boolean;
  note?: string;
  /** Row-major, scaled to [0,1] for display. */
  maps: { tap: string; h: number; w: number; map: number[] }[];
}

export interface DurationEstimate {
  /** The backend the run would use. */
  backend: string;
  /** Whole run: teacher phase (if trained here) + student phase + evaluation. */
  seconds: number;
  phases: { phase: 'teacher' | 'student'; imagesPerSec: number; epochs: number; stepsPerEpoch: number; seconds: number }[];
  /** true: timed real steps of these models here; false: from multiply-adds. */
  measured: boolean;
  note?: string;
}

export interface DirectoryListing {
  path: string;
  parent: string | null;
  /** Dirs first, then files, each by name. */
  entries: { name: string; path: string; kind: 'dir' | 'file'; size?: number }[];
  /** home/cwd, runs folder, known dataset folders that exist (e.g. /usr/share/datasets/*). label is English;
   * kind lets the UI word it in its own language (a root's or dataset's name is its folder's). */
  places: { label: string; path: string; kind?: 'root' | 'runs' | 'home' | 'cwd' | 'dataset' }[];
}

/** The Settings screen's view of the queue (core/service/queueSettingsApi.ts); URLs never show a password. */
export interface QueueSettingsView {
  /** true in the desktop app; false in serve mode, where the server's --queue decides. */
  editable: boolean;
  /** The queue runs go to now; null: they train in this app (or server). */
  active: string | null;
  activeCaFile: string | null;
  source: 'settings' | 'environment' | 'server' | 'none';
  /** What is saved (applies when the app starts again); null in serve mode. */
  saved: { url: string | null; caFile: string | null } | null;
  /** The saved setting is not the one in use: restart the app to apply it. */
  restartNeeded: boolean;
  settingsFile: string | null;
}

export interface QueueTestResult {
  ok: boolean;
  /** For people, never with the password. */
  message: string;
}

/** Subscribing returns an id; events arrive through the transport's event channel until unsubscribed. */
export type EventListener = (runId: string, event: RunEvent) => void;

/**
 * Every method rejects with a ServiceError (core/service/errors.ts): `message` for people and `code` —
 * 'not-found' | 'invalid' | 'conflict' | 'forbidden' | 'unavailable' | 'internal' — for the UI; transports carry both.
 */
export interface AtStudioApi {
  // Datasets, models, pairing (the wizard)
  inspectDataset(path: string, format?: DatasetFormat | 'auto'): Promise<DatasetView>;
  estimateModel(req: EstimateRequest): Promise<ModelEstimate>;
  inspectTeacherFile(modelJsonPath: string, taps?: string[]): Promise<TeacherFileView>;
  proposeHintPairs(studentTaps: TapInfo[], teacherTaps: TapInfo[], explicit?: HintPair[]): Promise<ResolvedHintPair[]>;
  validateConfig(config: unknown): Promise<ValidationResult>;
  defaultConfig(): Promise<RunConfig>;
  backends(): Promise<BackendOption[]>;

  // Runs
  startRun(config: unknown): Promise<RunSummary>; // validated, queued, started when the device is free
  pauseRun(runId: string): Promise<void>;
  resumeRun(runId: string): Promise<void>; // a paused run continues; a failed/cancelled one is re-queued from its checkpoint
  cancelRun(runId: string): Promise<void>;
  deleteRun(runId: string): Promise<void>; // refused while running
  listRuns(): Promise<RunSummary[]>;
  getRun(runId: string): Promise<RunDetail>;
  getMetrics(runId: string): Promise<Metric[]>;
  getSnapshots(runId: string): Promise<AttentionSnapshot[]>;
  getProbes(runId: string): Promise<(Omit<ProbeSet, 'pngs'> & { pngBase64: string[] }) | null>;
  getLog(runId: string): Promise<string>;
  compareRuns(runIds: string[]): Promise<ComparisonRow[]>;
  /** The runs' students timed now, together, in one process (batch 1, interleaved, median after warm-up). */
  measureLatency(runIds: string[]): Promise<LatencyComparison>;

  // Studies: one teacher, then methods × seeds (× β) on the same student (core/study)
  validateStudy(config: unknown): Promise<StudyValidation>;
  startStudy(config: unknown): Promise<StudyView>; // checked first: a bad config makes no folder
  listStudies(): Promise<StudyView[]>;
  getStudy(studyId: string): Promise<StudyView>;
  cancelStudy(studyId: string): Promise<void>; // the running run stops at a checkpoint; finished runs are kept
  resumeStudy(studyId: string): Promise<void>;
  exportStudyReport(studyId: string, destPath: string, opts?: ReportOptions): Promise<ExportResult>;

  // Exports
  exportReport(runIds: string[], destPath: string, opts?: ReportOptions): Promise<ExportResult>; // self-contained HTML, in opts.lang
  /** The student: a TF.js model folder (default), an ONNX file (opset 13, NCHW) or a zip of both. */
  exportModel(runId: string, dest: string, format?: 'tfjs' | 'onnx' | 'zip'): Promise<ExportResult>;
  exportMetrics(runId: string, destPath: string, format: 'csv' | 'json'): Promise<ExportResult>;

  // Wizard previews, estimates, PDF, file browsing (serve mode)
  previewAttention(req: AttentionPreviewRequest): Promise<AttentionPreview>;
  estimateDuration(config: unknown): Promise<DurationEstimate>;
  /** "Try it": a finished run's student (and teacher) on an image (PNG or JPEG, base64). */
  tryImage(runId: string, imageBase64: string): Promise<TryImageResult>;
  exportReportPdf(runIds: string[], destPath: string, opts?: ReportOptions): Promise<ExportResult>; // rejects 'unavailable' without a PDF renderer
  listDirectory(path?: string): Promise<DirectoryListing>;

  // Settings: the queue (BullMQ on Redis) runs go to; serve mode shows its own, read-only
  queueSettings(): Promise<QueueSettingsView>;
  testQueue(url: string, caFile?: string): Promise<QueueTestResult>; // one PING, a few seconds at most
  saveQueueSettings(settings: { url?: string; caFile?: string }): Promise<QueueSettingsView>; // applies at the next start

  // Events
  subscribe(listener: EventListener, runId?: string): () => void; // all runs when runId is absent
}

/** The request/response methods (everything but subscribe): what transports forward by name. */
export type ApiMethod = Exclude<keyof AtStudioApi, 'subscribe'>;

export const API_METHODS: readonly ApiMethod[] = [
  'inspectDataset', 'estimateModel', 'inspectTeacherFile', 'proposeHintPairs', 'validateConfig', 'defaultConfig',
  'backends', 'startRun', 'pauseRun', 'resumeRun', 'cancelRun', 'deleteRun', 'listRuns', 'getRun', 'getMetrics',
  'getSnapshots', 'getProbes', 'getLog', 'compareRuns', 'exportReport', 'exportModel', 'exportMetrics',
  'previewAttention', 'estimateDuration', 'exportReportPdf', 'listDirectory',
  'validateStudy', 'startStudy', 'listStudies', 'getStudy', 'cancelStudy', 'resumeStudy', 'exportStudyReport',
  'tryImage', 'queueSettings', 'testQueue', 'saveQueueSettings', 'measureLatency',
];
