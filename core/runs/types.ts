// What a run folder holds, as types. FORMAT.md describes the same thing for people.
import type { tf } from '../tf.js';
import type { RunConfig, Method } from '../config/types.js';
import type { AttentionEvent, EpochEvent, Phase, StepEvent } from '../events/types.js';
import type { Patch } from '../util/exactOptional.js';

/** tf.NamedTensor (what optimizer.getWeights() returns; not exported by the tfjs package root). */
export interface NamedTensor { name: string; tensor: tf.Tensor }

export type RunStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

export interface EpochResult { epoch: number; top1: number }
export interface PhaseResults { best?: EpochResult; last?: EpochResult; epochs?: number }

/** status.json */
export interface RunStatusFile {
  status: RunStatus;
  phase: Phase | null;
  epoch: number; // last completed epoch of `phase` (0 before the first)
  step: number; // last completed step within the current epoch
  createdAt: string; // ISO 8601
  startedAt?: string; // first time it ran
  updatedAt: string;
  endedAt?: string; // set for done / failed / cancelled
  error?: string;
  /** A checkpoint exists, so the run can continue where it stopped. */
  resumable: boolean;
  /** Seconds spent running (pauses and gaps between crash and resume excluded). */
  activeSeconds: number;
  /** While running: when the current running stretch began (for activeSeconds). */
  runningSince?: string;
  /** Process and machine that run it, to tell a live run from one whose process died. */
  pid?: number;
  host?: string;
  /** Test top-1 of the best and the last epoch, per phase; kept current by appendMetric. */
  results: { teacher?: PhaseResults; student?: PhaseResults };
}

/** One line of metrics.jsonl per training step (the training loop decides how often it writes one). */
export type StepMetric = Omit<StepEvent, 'type'> & { kind: 'step'; time: string };
/** One line of metrics.jsonl per epoch. */
export type EpochMetric = Omit<EpochEvent, 'type'> & { kind: 'epoch'; time: string };
export type Metric = StepMetric | EpochMetric;
/** What appendMetric takes: a metric whose `time` is filled in when missing. */
export type MetricInput = (Omit<StepMetric, 'time'> | Omit<EpochMetric, 'time'>) & { time?: string };

/** Training state at an epoch (or step) boundary: enough to continue exactly. */
export interface Checkpoint {
  phase: Phase;
  epoch: number; // completed epochs
  step: number; // completed steps in the next epoch (0 at an epoch boundary)
  rngState: number; // Rng.getState()
  weights: tf.NamedTensorMap; // by variable name
  optimizer: NamedTensor[]; // optimizer.getWeights()
  bestMetric?: number; // best test top-1 so far
  extra?: Record<string, unknown>; // e.g. normalization, lr, resolved hint pairs (JSON only)
}

/** snapshots/epoch-NNN.json: attention maps of teacher and student per hint pair for the probe images. */
export type AttentionSnapshot = Omit<AttentionEvent, 'type'>;

/** probes/probes.json: the fixed images whose attention maps are snapshotted. */
export interface ProbeSet {
  split: 'test' | 'validation' | 'train';
  indices: number[]; // into that split
  labels: number[];
  classes?: string[]; // class names of the labels
  /** Optional PNG encodings of the probe images (written as probes/probe-<i>.png). */
  pngs?: Uint8Array[];
}

export interface RunSummary {
  id: string;
  dir: string;
  name: string;
  /** Status as stored; a run marked running whose process is gone on this machine reads 'failed'. */
  status: RunStatus;
  interrupted: boolean; // the stored status said running/paused but its process is gone
  resumable: boolean;
  method: Method;
  models: string; // `WRN-16-1 ← WRN-16-2`
  student: string;
  teacher?: string;
  /** The finished run whose network is this run's teacher (config teacher.source 'run'). */
  teacherRun?: { id: string; role: 'student' | 'teacher' };
  dataset: string;
  seed: number;
  phase: Phase | null;
  epoch: number;
  epochs: number;
  best?: EpochResult; // student, test top-1
  last?: EpochResult;
  teacherResults?: PhaseResults;
  durationSeconds: number;
  createdAt: string;
  updatedAt: string;
}

export interface RunProblem { id: string; dir: string; error: string }

export interface RunHandle {
  readonly id: string;
  readonly dir: string;
  readonly config: RunConfig;
  /** How config.json was migrated from an older config version when it was read (logged when training starts). */
  readonly configNotes?: readonly string[];
  readStatus(): Promise<RunStatusFile>;
  /** Merge into status.json (updatedAt, startedAt, endedAt, activeSeconds are kept by the handle). */
  writeStatus(s: Patch<RunStatusFile>): Promise<RunStatusFile>;
  writeEnvironment(env: object): Promise<void>;
  readEnvironment(): Promise<Record<string, unknown> | null>;
  appendMetric(m: MetricInput): Promise<void>;
  readMetrics(): Promise<Metric[]>;
  /** Drop metric lines written after a resume point (null: all of them); returns how many were dropped. */
  trimMetricsAfter(point: { phase: Phase; epoch: number; step: number } | null): Promise<number>;
  saveCheckpoint(which: 'latest' | 'best', ck: Checkpoint): Promise<void>;
  /** Tensors in the result belong to the caller (dispose them). */
  loadCheckpoint(which: 'latest' | 'best'): Promise<Checkpoint | null>;
  hasCheckpoint(which: 'latest' | 'best'): Promise<boolean>;
  saveModel(role: 'student' | 'teacher', model: tf.LayersModel): Promise<string>;
  modelPath(role: 'student' | 'teacher'): string;
  saveSnapshot(s: AttentionSnapshot): Promise<void>;
  readSnapshots(phase?: 'teacher' | 'student'): Promise<AttentionSnapshot[]>;
  writeProbes(p: ProbeSet): Promise<void>;
  readProbes(): Promise<ProbeSet | null>;
  log(line: string): Promise<void>;
  readLog(): Promise<string>;
  /** Wait for queued writes (metrics, log, status) to reach the disk. */
  flush(): Promise<void>;
}
