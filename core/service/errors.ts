// Errors the service throws. Transports serialize `message` and `code`, so a UI can tell "no such run"
// from "not allowed now" without parsing text.
export type ServiceErrorCode = 'not-found' | 'invalid' | 'conflict' | 'forbidden' | 'unavailable' | 'internal';
// 'unavailable': the feature needs something this installation lacks (e.g. Chromium for PDF export).

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(readonly code: ServiceErrorCode, message: string, readonly details?: unknown) {
    super(message);
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}

/** Plain JSON form of any error, for transports: { code, message }. */
export function serializeError(err: unknown): { code: ServiceErrorCode; message: string } {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
