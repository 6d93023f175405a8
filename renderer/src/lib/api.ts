// The one API the UI talks to: Electron's preload (window.atstudio) when present, else serve mode's HTTP
// client on this page's origin. Screens import `api` and never know which transport carries it.
import type { AtStudioApi } from '../../../core/service/api.js';
import type { AtStudioDialogs } from '../../../electron/bridge.js';
import { parseBridgeError } from '../../../core/service/wireError.js';
import { ApiError, createHttpClient, type ConnectionState } from '../../api/httpClient.js';

export type UiApi = AtStudioApi & {
  readonly transport: 'electron' | 'browser';
  /** Native file dialogs (Electron only); in a browser the user types a path on the engine's machine. */
  readonly dialogs: AtStudioDialogs | null;
  /** A URL this page can open or download for a file inside a run folder (serve mode only). */
  runFileUrl(runId: string, relativePath: string): string | null;
  /** Serve mode: follows the event socket (lost, back); absent in Electron, whose engine cannot go away alone. */
  onConnection?: (fn: (state: ConnectionState) => void) => () => void;
};

function fromBridge(bridge: Window['atstudio']): UiApi {
  const { openFile, openFolder, saveFile, ...rest } = bridge;
  return {
    ...(rest as AtStudioApi),
    transport: 'electron',
    dialogs: { openFile, openFolder, saveFile },
    runFileUrl: () => null,
  };
}

function fromHttp(): UiApi {
  const client = createHttpClient();
  return Object.assign(client, {
    transport: 'browser' as const,
    dialogs: null,
    runFileUrl: (runId: string, rel: string) =>
      `/runs/${encodeURIComponent(runId)}/files/${rel.split('/').map(encodeURIComponent).join('/')}`,
  });
}

export const api: UiApi = typeof window !== 'undefined' && 'atstudio' in window ? fromBridge(window.atstudio) : fromHttp();

export interface UiError { code: string; message: string }

/** The code and message of anything an API call rejected with (HTTP client, Electron bridge, or a bug). */
export function toUiError(err: unknown): UiError {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return parseBridgeError(err); // the preload's "[code] message" form, or 'internal'
}
