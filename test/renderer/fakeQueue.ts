// The Settings screen's queue methods for the UI fakes: no queue, shown read-only (as in serve mode without --queue).
import { vi } from 'vitest';
import type { QueueSettingsView, QueueTestResult } from '../../core/service/api.js';

const noQueue = (): QueueSettingsView => ({ editable: false, active: null, activeCaFile: null, source: 'none', saved: null, restartNeeded: false, settingsFile: null });

export function fakeQueueMethods() {
  return {
    queueSettings: vi.fn(async () => noQueue()),
    testQueue: vi.fn(async (): Promise<QueueTestResult> => ({ ok: false, message: 'no queue in this fake' })),
    saveQueueSettings: vi.fn(async () => noQueue()),
  };
}
