// Which queue the desktop app sends runs to: $ATSTUDIO_QUEUE (and $ATSTUDIO_QUEUE_CA) when set, else the
// Settings screen's saved setting (userData/queue.json). Read once at start: a changed setting applies at
// the next start, so runs never move between queues under the app.
import * as path from 'node:path';
import { readQueueSettingsSync } from '../core/queue/settings.js';
import { createRunQueue, queueCaFrom, queueUrlFrom, redactSecrets, type RemoteRunQueue } from '../core/queue/index.js';
import { RunStore } from '../core/runs/runStore.js';
import type { QueueSettingsHost } from '../core/service/queueSettingsApi.js';

export function appQueueSettings(userData: string, env: NodeJS.ProcessEnv, log: (line: string) => void): QueueSettingsHost {
  const file = path.join(userData, 'queue.json');
  const fromEnv = queueUrlFrom(undefined, env);
  if (fromEnv) {
    const caFile = queueCaFrom(undefined, env);
    return { file, active: { url: fromEnv, ...(caFile ? { caFile } : {}), source: 'environment' } };
  }
  try {
    const s = readQueueSettingsSync(file);
    return { file, active: s.url ? { url: s.url, ...(s.caFile ? { caFile: s.caFile } : {}), source: 'settings' } : { source: 'none' } };
  } catch (err) {
    // The message names the file, never its contents: runs train here until Settings saves a good one.
    log(`queue settings: ${(err as Error).message}; runs train in this app`);
    return { file, active: { source: 'none' } };
  }
}

/** The queue of `host.active`, or undefined (none set, or it cannot be used: said in the log, runs train here). */
export function openAppQueue(host: QueueSettingsHost, runsDir: string, log: (line: string) => void): RemoteRunQueue | undefined {
  const { url, caFile } = host.active;
  if (!url) return undefined;
  try {
    return createRunQueue({ url, ...(caFile ? { caFile } : {}), store: new RunStore(runsDir), log });
  } catch (err) {
    log(`queue: ${redactSecrets((err as Error).message, url)}; runs train in this app`);
    return undefined;
  }
}
