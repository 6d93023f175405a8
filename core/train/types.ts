// What runTraining takes and returns.
import type { BackendChoice } from '../backend/index.js';
import type { RunEvent } from '../events/index.js';
import type { Latency } from '../eval/index.js';
import type { TrainControl } from './control.js';

export interface TrainOptions {
  onEvent?: (e: RunEvent) => void;
  /** Pause, resume and cancel, taken between steps. */
  control?: TrainControl;
  /** Train this many epochs instead of the config's (both phases); a resumed run keeps the original's. */
  epochsOverride?: number;
  /** Use the first N training and N test images (a quick trial); a resumed run keeps the original's. */
  limit?: number;
  /** Use the first N test images (overrides the test part of `limit`); a resumed run keeps the original's. */
  testLimit?: number;
  /** Continue from the run's latest checkpoint. */
  resume?: boolean;
  /** The backend already chosen (core/backend selectBackend); chosen here from the config when absent. */
  backend?: BackendChoice;
  /** What started the run, recorded in environment.json: the exact command line, or the app action. */
  invocation?: string;
  /** false: the finished student's inference latency is not measured (tests on an emulated GPU, where
   * its batch-1 and batch-64 kernels cost a minute to compile and the figure means nothing). */
  latency?: boolean;
}

export interface PhaseSummary {
  best?: { epoch: number; top1: number };
  last?: { epoch: number; top1: number };
}

/** The finished student: size and speed. */
export interface FinalStats {
  params: number;
  trainableParams: number;
  multiplyAdds: number;
  /** float32 weights (params × 4). */
  sizeBytes: number;
  /** Bytes of the saved weight files. */
  fileBytes: number;
  /** Absent when the run was asked not to measure it (TrainOptions.latency). */
  latency?: Latency;
  /** ms per image at batch 1 (the number compare tables show). */
  latencyMs?: number;
}

export interface RunResult {
  runId: string;
  status: 'done' | 'failed' | 'cancelled';
  error?: string;
  /** A checkpoint exists, so `resume` can continue. */
  resumable: boolean;
  teacher?: PhaseSummary;
  student?: PhaseSummary;
  final?: FinalStats;
  modelPath?: string;
  seconds: number;
}
