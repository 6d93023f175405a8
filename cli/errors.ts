// Exit codes and one-line error messages. 0 = success, 1 = the work failed (bad config, bad data, a
// failed run), 2 = the command line itself was wrong, 130 = interrupted by Ctrl-C (128 + SIGINT).
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** A mistake in the command line (missing argument, bad number, unknown run): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * One line for the terminal. A ConfigError becomes "file: field: problem; field: problem"; DataError and
 * the CLI's own errors already name the file or run, so their message is used as is; any other error
 * class is named so an unexpected crash is recognizable.
 */
export function oneLine(err: unknown): string {
  const issues = (err as { issues?: { path: string; message: string }[]; source?: string }).issues;
  if (err instanceof Error && err.name === 'ConfigError' && Array.isArray(issues) && issues.length > 0) {
    // "file: field: problem; field: problem" — the file first, then every field by its dotted path.
    const source = (err as { source?: string }).source;
    return `${source ? `${source}: ` : ''}${issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`;
  }
  if (err instanceof Error) {
    const known = ['ConfigError', 'DataError', 'UsageError', 'RunNotFoundError', 'BackendSelectionError', 'RunLockedError', 'ForeignModelError', 'ExportError', 'OnnxExportError'];
    const text = known.includes(err.name) || err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
    return text.replace(/\s*\n\s*/g, '; ');
  }
  return String(err).replace(/\s*\n\s*/g, '; ');
}
