// The shapes a study's results and views take, with no Node or engine imports: the renderer reads them
// through the service API (core/service/api.ts) and type-checks against this file alone.
import type { Method } from '../config/types.js';
import type { Spread } from '../runs/replicates.js';

/** A row of a study's result: a method, and a β for the methods that try several. */
export interface StudyArm { method: Method; beta?: number }

export type StudyStatus = 'created' | 'running' | 'done' | 'failed' | 'cancelled';

/** What a study's result needs of one run. Top-1 values are fractions (0.912), as runs store them. */
export interface StudyRunResult {
  method: Method;
  beta?: number;
  seed: number;
  runId?: string;
  status: 'pending' | 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
  bestTop1?: number;
  lastTop1?: number;
}

/** A difference from the baseline over the seeds both have, in fractions of top-1. */
export interface PairedDifference {
  /** Seeds with a finished run of both. */
  n: number;
  mean: number;
  /** Sample standard deviation of the per-seed differences (0 for n = 1). */
  sd: number;
  /** 95 % confidence interval (paired t); absent for n < 2. */
  low?: number;
  high?: number;
}

export interface StudyRow extends StudyArm {
  label: string;
  /** Finished runs / planned runs of this arm. */
  done: number;
  planned: number;
  best?: Spread;
  last?: Spread;
  /** Final (last-epoch) and best-epoch top-1 minus the baseline's, seeds paired. */
  diffLast?: PairedDifference;
  diffBest?: PairedDifference;
  sentence: string;
}

export interface StudyResults {
  rows: StudyRow[];
  /** The sample standard deviation of the baseline's final top-1 (what the seed alone moves). */
  seedSpread?: number;
  done: number;
  planned: number;
}

export interface StudyTeacherView { runId?: string; status: StudyRunResult['status']; bestTop1?: number; lastTop1?: number }

export interface StudyView {
  id: string;
  name: string;
  /** As recorded; 'failed' for a study left running by a process that is gone ('interrupted' says so). */
  status: StudyStatus;
  interrupted: boolean;
  error?: string;
  createdAt: string;
  updatedAt: string;
  methods: Method[];
  seeds: number[];
  betas?: number[];
  /** The run that trained the teacher, when the study trains one. */
  teacher?: StudyTeacherView;
  runs: StudyRunResult[];
  /** Runs finished and runs in all (teacher run included). */
  finished: number;
  total: number;
  results: StudyResults;
  /** Seconds spent training so far, and about how many are left (from the pace of the finished runs); absent before one finished. */
  secondsSpent: number;
  secondsLeft?: number;
}
