// The one way the service writes a run failed: status (with the error and whether it can resume), a log
// line, a flush, and — where someone may be listening — a 'failed' event.
import type { RunEvent } from '../events/types.js';
import type { RunHandle } from '../runs/types.js';

export async function markFailed(run: RunHandle, error: string, resumable: boolean, tell?: (e: Extract<RunEvent, { type: 'failed' }>) => void): Promise<void> {
  await run.writeStatus({ status: 'failed', error, resumable });
  await run.log(`failed: ${error}`);
  await run.flush();
  tell?.({ type: 'failed', runId: run.id, error, resumable });
}
