// Exit codes and one-line error messages. 0 = success, 1 = the work failed (bad config, bad data, a
// failed run), 2 = the command line itself was wrong, 130 = interrupted by Ctrl-C (128 + SIGINT).
// An error's exit code comes from its code (core/errors.ts) alone: EXIT_BY_CODE, documented in the README.
import { StudioError, type StudioErrorCode } from '../core/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Naming a run or study that does not exist is a mistake on the command line, like a missing argument. */
const USAGE_CODES: readonly StudioErrorCode[] = ['usage.invalid', 'run.notFound', 'study.notFound'];

/** The exit code of an error that ends a command: 2 for the codes above, else 1 (also for a bug). */
export function exitCodeOf(err: unknown): number {
  return err instanceof StudioError && USAGE_CODES.includes(err.code) ? EXIT_USAGE : EXIT_FAILURE;
}

/** A mistake in the command line (missing argument, bad number, unknown run): exit 2. */
export class UsageError extends StudioError {
  constructor(message: string) {
    super('usage.invalid', message);
    this.name = 'UsageError';
  }
}

/**
 * One line for the terminal. A config error becomes "file: field: problem; field: problem"; our own
 * errors (StudioError) already name the file, field or run, so their message is used as is; any other
 * error class is named so an unexpected crash is recognizable.
 */
export function oneLine(err: unknown): string {
  const issues = (err as { issues?: { path: string; message: string }[] }).issues;
  if (err instanceof StudioError && err.code === 'config.invalid' && Array.isArray(issues) && issues.length > 0) {
    // "file: field: problem; field: problem" — the file first, then every field by its dotted path.
    const source = err.file;
    return `${source ? `${source}: ` : ''}${issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`;
  }
  if (err instanceof Error) {
    const text = err instanceof StudioError || err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
    return text.replace(/\s*\n\s*/g, '; ');
  }
  return String(err).replace(/\s*\n\s*/g, '; ');
}
