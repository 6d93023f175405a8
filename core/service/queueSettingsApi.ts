// The Settings screen's queue methods: what queue runs go to now, the saved setting (applied at the next
// start of the app: the service does not switch queues under runs), a connection test, and saving. The
// desktop app passes its settings file; serve mode passes none and shows its own --queue, read-only (a
// browser must not make the server connect to other hosts or change how it runs).
import { readQueueSettings, testQueueConnection, writeQueueSettings, QueueSettingsError } from '../queue/settings.js';
import { QueueUrlError, redactQueueUrl } from '../queue/url.js';
import type { QueueSettingsView, QueueTestResult } from './api.js';
import { ServiceError } from './errors.js';
import { definedOnly } from '../util/exactOptional.js';

export interface QueueSettingsHost {
  /** The settings file (Electron: userData/queue.json). */
  file: string;
  /** The queue in use since start (raw: kept in memory, never shown), and where it came from. */
  active: { url?: string; caFile?: string; source: 'settings' | 'environment' | 'none' };
}

export interface QueueSettingsMethods {
  queueSettings(): Promise<QueueSettingsView>;
  testQueue(url: string, caFile?: string): Promise<QueueTestResult>;
  saveQueueSettings(settings: { url?: string; caFile?: string }): Promise<QueueSettingsView>;
}

export function queueSettingsMethods(host: QueueSettingsHost | undefined, serverQueue: string | undefined): QueueSettingsMethods {
  const readOnly = () => new ServiceError('forbidden', 'the queue is set where the server starts (atstudio serve --queue …); it cannot be changed from here');
  const saved = async () => {
    try {
      return host ? await readQueueSettings(host.file) : {};
    } catch (err) {
      throw new ServiceError('invalid', (err as Error).message);
    }
  };
  /** The shown (redacted) saved URL sent back unchanged means "keep the saved one, password included". */
  const unredact = async (url: string | undefined) => {
    const s = await saved();
    return url && s.url && url.trim() === redactQueueUrl(s.url) ? s.url : url;
  };
  async function view(): Promise<QueueSettingsView> {
    if (!host) {
      return { editable: false, active: serverQueue ?? null, activeCaFile: null, source: serverQueue ? 'server' : 'none', saved: null, restartNeeded: false, settingsFile: null };
    }
    const s = await saved();
    const a = host.active;
    return {
      editable: true,
      active: a.url ? redactQueueUrl(a.url) : null,
      activeCaFile: a.caFile ?? null,
      source: a.source,
      saved: { url: s.url ? redactQueueUrl(s.url) : null, caFile: s.caFile ?? null },
      // The environment decides over the file; otherwise the file, once the app starts again.
      restartNeeded: a.source !== 'environment' && ((s.url ?? '') !== (a.url ?? '') || (s.caFile ?? '') !== (a.caFile ?? '')),
      settingsFile: host.file,
    };
  }
  return {
    queueSettings: view,
    async testQueue(url, caFile) {
      if (!host) throw readOnly();
      if (typeof url !== 'string' || !url.trim()) throw new ServiceError('invalid', 'enter a queue URL to test (redis://host:port or rediss://…)');
      return testQueueConnection((await unredact(url))!.trim(), caFile?.trim() || undefined);
    },
    async saveQueueSettings(settings) {
      if (!host) throw readOnly();
      try {
        await writeQueueSettings(host.file, { ...(settings?.url ? definedOnly({ url: await unredact(settings.url) }) : {}), ...(settings?.caFile ? { caFile: settings.caFile } : {}) });
      } catch (err) {
        if (err instanceof QueueSettingsError || err instanceof QueueUrlError) throw new ServiceError('invalid', err.message);
        throw err;
      }
      return view();
    },
  };
}
