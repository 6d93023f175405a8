// The typed stream a run emits. The CLI prints it, the app charts it, tests assert on it, and the same
// payloads (minus `type`) are what core/runs stores in metrics.jsonl and snapshots/. Plain JSON only,
// so events cross a MessagePort or a WebSocket unchanged.
import type { RunConfig } from '../config/types.js';

export type Phase = 'teacher' | 'student';

/** Loss parts of one step: the task loss (ce) and whatever the method adds, before weighting by β/α. */
export interface LossParts {
  ce: number;
  at?: number;
  kd?: number;
  gradAt?: number;
  /** at_loss of each hint pair, in the order of the resolved pairs. */
  atPerPair?: number[];
}

export interface StepEvent {
  type: 'step';
  phase: Phase;
  epoch: number; // 1-based
  step: number; // 1-based within the epoch
  totalSteps: number; // steps per epoch
  loss: number; // the total that was minimized
  parts: LossParts;
  lr: number;
  imagesPerSec: number;
  etaSeconds: number; // for the whole phase
}

export interface EpochEvent {
  type: 'epoch';
  phase: Phase;
  epoch: number; // 1-based
  epochs: number;
  train: { loss: number; acc: number };
  test: {
    loss: number;
    top1: number; // accuracy in [0,1]
    top5?: number;
    perClass: number[]; // accuracy per class
    confusion: number[][]; // [true][predicted] counts
    /** Fraction of test images on which student and teacher predict the same class. */
    agreement?: number;
  };
  /** The same measures on the validation split (data.validationSplit > 0, or a dataset's validation folder). */
  validation?: { loss: number; top1: number };
  lr: number;
  seconds: number; // wall time of this epoch
}

export interface AttentionPairMap {
  student: string; // tap layer names of the hint pair
  teacher: string;
  probe: number; // index into the run's probe list
  teacherMap: number[]; // h*w, row-major, L2-normalized attention map
  studentMap: number[];
  h: number;
  w: number;
}

export interface AttentionEvent {
  type: 'attention';
  phase: Phase;
  epoch: number;
  pairs: AttentionPairMap[];
}

export interface CheckpointEvent {
  type: 'checkpoint';
  phase: Phase;
  which: 'latest' | 'best';
  epoch: number;
}

export interface BackendInfo {
  name: string; // BackendName
  reason: string;
  [key: string]: unknown;
}

export interface StartedEvent {
  type: 'started';
  runId: string;
  backend: BackendInfo;
  config: RunConfig;
  /** Set when this start continues an earlier one from a checkpoint. */
  resumedFrom?: { phase: Phase; epoch: number; step: number };
}

export interface RunResultSummary {
  phase?: Phase;
  best?: { epoch: number; top1: number };
  last?: { epoch: number; top1: number };
  teacher?: { best?: { epoch: number; top1: number }; last?: { epoch: number; top1: number } };
  seconds?: number;
  modelPath?: string; // the student's model.json
  [key: string]: unknown;
}

export interface DoneEvent {
  type: 'done';
  runId: string;
  result: RunResultSummary;
}

export interface FailedEvent {
  type: 'failed';
  runId: string;
  error: string;
  /** True when a checkpoint exists, so `resume` can continue. */
  resumable: boolean;
}

export interface CancelledEvent {
  type: 'cancelled';
  runId: string;
  resumable?: boolean;
}

/** Pause/resume acknowledgements (taken between steps). */
export interface StatusEvent {
  type: 'status';
  status: 'paused' | 'running';
}

/** Notes for people: resized hint maps, family mismatch, teacher barely better than student, … */
export interface LogEvent {
  type: 'log';
  level: 'info' | 'warn';
  message: string;
}

export type RunEvent =
  | StartedEvent
  | StepEvent
  | EpochEvent
  | AttentionEvent
  | CheckpointEvent
  | DoneEvent
  | FailedEvent
  | CancelledEvent
  | StatusEvent
  | LogEvent;

export type RunEventType = RunEvent['type'];
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;

/** A run's last event: done, failed or cancelled. */
export function isTerminalEvent(e: RunEvent): e is DoneEvent | FailedEvent | CancelledEvent {
  return e.type === 'done' || e.type === 'failed' || e.type === 'cancelled';
}
