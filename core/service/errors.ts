// Errors the service throws. Transports serialize `message` and `code`, so a UI can tell "no such run"
// from "not allowed now" without parsing text. A ServiceError is a StudioError whose code is one of the
// answer kinds; any other StudioError leaving the service becomes one by its code (answerKind).
import { StudioError, type StudioErrorCode } from '../errors.js';

export type ServiceErrorCode = 'not-found' | 'invalid' | 'conflict' | 'forbidden' | 'unavailable' | 'internal';
// 'unavailable': the feature needs something this installation lacks (e.g. Chromium for PDF export).

export class ServiceError extends StudioError {
  declare readonly code: ServiceErrorCode;
  constructor(code: ServiceErrorCode, message: string, readonly details?: unknown) {
    super(code, message);
    this.name = 'ServiceError';
  }
}

/** The answer kind of each code: what a UI is told, and serve mode's HTTP status (serve/apiRoute.ts). */
export const ANSWER_KIND: Readonly<Record<StudioErrorCode, ServiceErrorCode>> = {
  'config.invalid': 'invalid',
  'data.invalid': 'invalid',
  'model.invalid': 'invalid',
  'model.file': 'invalid',
  'model.foreign': 'invalid',
  'hints.invalid': 'invalid',
  'run.notFound': 'not-found',
  'run.locked': 'conflict',
  'run.setup': 'invalid',
  'run.nonFinite': 'internal',
  'checkpoint.invalid': 'internal',
  'study.notFound': 'not-found',
  'backend.unavailable': 'unavailable',
  'backend.device': 'internal',
  'export.notFound': 'not-found',
  'export.invalid': 'invalid',
  'queue.url': 'invalid',
  'queue.settings': 'invalid',
  'service.busy': 'conflict',
  'usage.invalid': 'invalid',
  'not-found': 'not-found',
  invalid: 'invalid',
  conflict: 'conflict',
  forbidden: 'forbidden',
  unavailable: 'unavailable',
  internal: 'internal',
};

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}

/**
 * Errors leave the service as ServiceErrors: a StudioError by its code (a ConfigError keeps its issues as
 * details), a file system error by its errno, anything else — a bug — as 'internal'.
 */
export function toServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  if (err instanceof StudioError) {
    const issues = (err as { issues?: unknown }).issues;
    return new ServiceError(ANSWER_KIND[err.code], err.message, err.code === 'config.invalid' ? issues : undefined);
  }
  const e = err as { code?: unknown; message: string } | null;
  if (e?.code === 'ENOENT') return new ServiceError('not-found', e.message);
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return new ServiceError('forbidden', e.message);
  return new ServiceError('internal', e?.message ?? String(err));
}

/** Plain JSON form of any error, for transports: { code, message }. */
export function serializeError(err: unknown): { code: ServiceErrorCode; message: string } {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
