// The wizard's draft: a RunConfig-shaped $state object that the steps edit in place (bind:value), plus
// what the engine has told us about it (dataset, model estimates, hint pairs). buildConfig() turns the
// draft into the config sent to validateConfig/startRun (fields a method does not use left out).
import type { Method, ModelFamilySpec, RunConfig, TeacherConfig } from '../../../core/config/types.js';
import type { BackendOption, DatasetView, ModelEstimate } from '../../../core/service/api.js';
import type { ResolvedHintPair, TapInfo } from '../../../core/attention/hintPairs.js';
import type { RunSummary } from '../../../core/runs/types.js';
import { defaultRunName } from '../../../core/config/describe.js';
import { AT_METHODS, TEACHER_METHODS, type WizardFacts } from './validate.js';
import type { PresetLimits, TrainingChoice } from './presets.js';
import type { DurationEstimate } from '../../../core/service/api.js';

export type TeacherSource = TeacherConfig['source'];

export const DEFAULT_MODELS: Record<ModelFamilySpec['family'], ModelFamilySpec> = {
  wrn: { family: 'wrn', depth: 16, widen: 1 },
  resnet: { family: 'resnet', depth: 18 },
  nin: { family: 'nin', variant: 'thin' },
};

function defaultTeacher(source: TeacherSource): TeacherConfig {
  switch (source) {
    case 'train': return { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 }, training: {} };
    case 'run': return { source: 'run', run: '', role: 'student' };
    case 'file': return { source: 'file', path: '' };
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `over` on top of `base`, recursively for plain objects (arrays and values replace). */
export function mergeDeep<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? mergeDeep(out[k], v) : v;
  return out as T;
}

/**
 * A stored config over the engine's defaults. The teacher, the schedule and the attention function are taken
 * whole: merged, a finished run's teacher would keep the default teacher's `model` (teacher.model: unknown key).
 */
export function overDefaults(defaults: RunConfig, config: unknown): RunConfig {
  const merged = mergeDeep(defaults, config);
  if (!isPlainObject(config)) return merged;
  // Unions are taken whole, never merged: a cosine schedule would keep the default step schedule's
  // milestones and gamma, and the engine refuses the mix (training.schedule.milestones: unknown key).
  const t = config.teacher;
  if (isPlainObject(t)) merged.teacher = structuredClone(t) as unknown as TeacherConfig;
  const sched = isPlainObject(config.training) ? config.training.schedule : undefined;
  if (isPlainObject(sched)) merged.training.schedule = structuredClone(sched) as unknown as RunConfig['training']['schedule'];
  const fn = isPlainObject(config.attention) ? config.attention.fn : undefined;
  if (isPlainObject(fn)) merged.attention.fn = structuredClone(fn) as unknown as RunConfig['attention']['fn'];
  return merged;
}

/** The draft form of a config: every sub-object present so the steps can bind to it. */
function toDraft(config: RunConfig): RunConfig {
  const c = structuredClone(config);
  c.data ??= { path: '', format: 'auto', validationSplit: 0, augment: true };
  if (!c.teacher) c.teacher = defaultTeacher('train');
  if (c.teacher.source === 'train') c.teacher.training ??= {};
  // A name that is just the automatic one follows the models as they change (the field shows it as placeholder).
  if (c.name === defaultRunName(c)) c.name = '';
  c.name ??= '';
  return c;
}

/** "Compare methods": a study instead of one run (core/study). */
export interface StudyDraft {
  enabled: boolean;
  methods: Method[];
  seeds: number;
  /** β values to try for AT and AT+KD, as typed ("100, 300, 1000"); empty: the config's β only. */
  betas: string;
}

/** "100, 300 1000" → [100, 300, 1000]; null when something is not a number ≥ 0. */
export function parseBetas(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v) && v >= 0) ? values : null;
}

export class WizardDraft {
  config: RunConfig = $state() as RunConfig;
  study = $state<StudyDraft>({ enabled: false, methods: ['baseline', 'at'], seeds: 3, betas: '' });
  /** Start makes this many runs of the config, with seeds seed, seed + 1, … (run-to-run variance). */
  repeats = $state(1);
  /** The Training step's choice: a preset sized from the measured duration, or the raw fields. */
  trainingChoice = $state<TrainingChoice>('quick');
  /** false until a preset has been written into the config (the engine's defaults are the paper's 200 epochs). */
  presetApplied = $state(false);
  /** Image limits the applied preset wrote. */
  presetLimits: PresetLimits = {};
  /** The Review's latest duration estimate of this draft (Start asks before a run of more than 24 h). */
  estimate = $state<DurationEstimate | null>(null);
  /** What each teacher source held before the user switched away from it. */
  private stash: Partial<Record<TeacherSource, TeacherConfig>> = {};

  constructor(config: RunConfig) {
    this.config = toDraft(config);
  }

  /** Replace the whole draft (duplicate a run, load a config file). */
  load(config: RunConfig): void {
    this.stash = {};
    this.config = toDraft(config);
    this.trainingChoice = 'custom';
    this.presetApplied = true;
  }

  get teacherSource(): TeacherSource {
    return this.config.teacher?.source ?? 'train';
  }

  setTeacherSource(source: TeacherSource): void {
    const cur = this.config.teacher;
    if (cur?.source === source) return;
    if (cur) this.stash[cur.source] = $state.snapshot(cur) as TeacherConfig;
    this.config.teacher = this.stash[source] ?? defaultTeacher(source);
  }

  /** The name the engine will give the run when the name field is left empty. */
  get autoName(): string {
    const c = this.build();
    try {
      return defaultRunName(c);
    } catch {
      return '';
    }
  }

  /** The configs Start sends: one, or one per seed, each named after its seed. */
  buildAll(): RunConfig[] {
    const one = this.build();
    const n = this.repeats;
    if (!(Number.isInteger(n) && n > 1)) return [one];
    const base = one.name ?? this.autoName;
    return Array.from({ length: n }, (_, i) => ({ ...structuredClone(one), seed: one.seed + i, name: `${base} · seed ${one.seed + i}` }));
  }

  /** The run config's method while comparing: the most demanding chosen one, so the teacher and hint steps ask for what it needs. */
  syncStudyMethod(): void {
    if (!this.study.enabled) return;
    const order: Method[] = ['at+kd', 'at', 'grad-at', 'kd', 'baseline'];
    this.config.method = order.find((m) => this.study.methods.includes(m)) ?? 'baseline';
  }

  /** Runs the study makes: the teacher once (when trained and needed), then methods (× β for AT ones) × seeds. */
  get studyRuns(): { total: number; arms: number; trainsTeacher: boolean } {
    const betas = parseBetas(this.study.betas) ?? [];
    const arms = this.study.methods.reduce((a, m) => a + (betas.length && AT_METHODS.has(m) ? betas.length : 1), 0);
    const trainsTeacher = this.config.teacher?.source === 'train' && this.study.methods.some((m) => m !== 'baseline');
    const seeds = Number.isInteger(this.study.seeds) ? this.study.seeds : 0;
    return { total: arms * seeds + (trainsTeacher ? 1 : 0), arms, trainsTeacher };
  }

  /** The study config Start sends: the run config without its method, plus methods, seeds and β values. */
  buildStudy(): Record<string, unknown> {
    const { method: _m, ...rest } = this.build();
    const betas = parseBetas(this.study.betas);
    return { ...rest, methods: [...this.study.methods], seeds: this.study.seeds, ...(betas && betas.length ? { betas } : {}) };
  }

  /** The config to send: a plain object with what the method does not use left out. */
  build(): RunConfig {
    const c = $state.snapshot(this.config) as RunConfig;
    const out = structuredClone(c) as RunConfig & Record<string, unknown>;
    if (!out.name || !out.name.trim()) delete (out as Partial<RunConfig>).name;
    else out.name = out.name.trim();
    if (out.data.limit === null || out.data.limit === undefined || Number.isNaN(out.data.limit)) delete out.data.limit;
    if (out.data.testLimit === null || out.data.testLimit === undefined || Number.isNaN(out.data.testLimit)) delete out.data.testLimit;
    out.data.path = out.data.path.trim();
    if (!TEACHER_METHODS.has(out.method)) delete out.teacher;
    const t = out.teacher;
    if (t?.source === 'train' && t.training) {
      for (const [k, v] of Object.entries(t.training)) {
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) delete (t.training as Record<string, unknown>)[k];
      }
      if (Object.keys(t.training).length === 0) delete t.training;
    }
    if (t?.source === 'train' && (t.limit === null || t.limit === undefined || Number.isNaN(t.limit))) delete t.limit;
    if (t?.source === 'file') t.path = t.path.trim();
    if ((t?.source === 'file' || t?.source === 'run') && !t.taps) delete t.taps;
    if (out.attention.fn.kind === 'sum') delete out.attention.fn.p;
    if (!AT_METHODS.has(out.method) || out.attention.pairs === undefined) delete out.attention.pairs;
    return out;
  }
}

/** The teacher as the wizard shows it, whichever its source. */
export interface TeacherView {
  name: string;
  params: number;
  multiplyAdds?: number | undefined;
  sizeBytes?: number;
  taps: TapInfo[];
  /** A model file's layers that could be taps, in graph order (the person may choose among them). */
  layers?: TapInfo[];
  /** false: a teacher this run will train (its weights are random until then). */
  trained: boolean;
  numClasses?: number;
  inputShape?: [number, number, number] | null;
  notes?: string[] | undefined;
}

/** What the engine said about the draft; the Wizard's effects keep it current. */
export class WizardFactsState {
  dataset = $state<DatasetView | null>(null);
  datasetError = $state<string | null>(null);
  datasetLoading = $state(false);
  teacher = $state<TeacherView | null>(null);
  teacherError = $state<string | null>(null);
  teacherLoading = $state(false);
  student = $state<ModelEstimate | null>(null);
  studentError = $state<string | null>(null);
  studentLoading = $state(false);
  pairs = $state<ResolvedHintPair[] | null>(null);
  pairsError = $state<string | null>(null);
  backends = $state<BackendOption[] | null>(null);
  doneRuns = $state<RunSummary[] | null>(null);
  runsError = $state<string | null>(null);

  /** The plain facts the pure validators take. */
  get plain(): WizardFacts {
    return {
      dataset: this.dataset,
      datasetError: this.datasetError,
      teacherError: this.teacherError,
      teacherClasses: this.teacher?.trained ? this.teacher.numClasses ?? null : null,
      studentError: this.studentError,
      pairsError: this.pairsError,
      backends: this.backends,
    };
  }
}

/** Input shape and class count the models are built for: the dataset's, else CIFAR's until one is chosen. */
export function modelInput(c: RunConfig, facts: { dataset: DatasetView | null }): { inputShape: [number, number, number]; numClasses: number; assumed: boolean } {
  const ds = facts.dataset;
  const inputShape = c.data.inputShape ?? ds?.imageShape ?? [32, 32, 3];
  return { inputShape: [...inputShape] as [number, number, number], numClasses: ds?.classes.length ?? 10, assumed: !ds };
}
