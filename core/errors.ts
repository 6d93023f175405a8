// One error model for core: every error we throw on purpose is a StudioError with a stable `code`, and
// the field or file it is about where it has one. Adapters decide from the code alone — the CLI's exit
// code (cli/errors.ts), the service's answer kind (core/service/errors.ts) — never from a class name or
// the message text, which are for people and may change.

/** What went wrong, as a stable string: `area.problem`. */
export type StudioErrorCode =
  | 'config.invalid' // a run or study config breaks the schema (ConfigError)
  | 'data.invalid' // a dataset that cannot be read as one (DataError)
  | 'model.invalid' // a model spec that cannot be built (ModelError)
  | 'model.file' // a model.json or its weights that cannot be read (ModelFileError)
  | 'model.foreign' // a model file in a format other than the one expected (ForeignModelError)
  | 'hints.invalid' // student and teacher taps that cannot be paired (HintPairError)
  | 'run.notFound' // no run by that id or name (RunNotFoundError)
  | 'run.locked' // another process trains the run (RunLockedError)
  | 'run.setup' // a run whose models or data do not fit together; found before the first step (RunSetupError)
  | 'run.nonFinite' // the loss became NaN or ∞ (NonFiniteLossError)
  | 'checkpoint.invalid' // a checkpoint that cannot be resumed from (CheckpointError)
  | 'study.notFound' // no study by that id (StudyNotFoundError)
  | 'backend.unavailable' // the requested TF.js backend cannot run here (BackendSelectionError)
  | 'backend.device' // the GPU device was lost or ran out of memory (WebGpuDeviceError)
  | 'export.notFound' // nothing to export yet (ExportError)
  | 'export.invalid' // an export that cannot be made as asked (ExportError, OnnxExportError)
  | 'queue.url' // a --queue URL that is not a Redis URL (QueueUrlError)
  | 'queue.settings' // the app's saved queue setting cannot be read, written or used (QueueSettingsError)
  | 'service.busy' // the engine trains another run or is shutting down (an engine's error notice)
  | 'usage.invalid' // a command line that is wrong (the CLI's UsageError)
  // The service's answer kinds: what crosses IPC and HTTP (ServiceError), one per kind of answer a UI gives.
  | 'not-found' | 'invalid' | 'conflict' | 'forbidden' | 'unavailable' | 'internal';

export interface StudioErrorOptions {
  /** The config field (dotted path) the error is about. */
  field?: string;
  /** The file the error is about. */
  file?: string;
  cause?: unknown;
}

export class StudioError extends Error {
  readonly field?: string;
  file?: string;

  constructor(readonly code: StudioErrorCode, message: string, opts: StudioErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StudioError';
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.file !== undefined) this.file = opts.file;
  }
}

export function isStudioError(err: unknown): err is StudioError {
  return err instanceof StudioError;
}

/** The code of anything thrown: a StudioError's, else undefined (a bug, or a library's or the system's error). */
export function studioCode(err: unknown): StudioErrorCode | undefined {
  return err instanceof StudioError ? err.code : undefined;
}
