// An API error as it crosses Electron's contextBridge: the preload (electron/preload.cts) rejects with the
// service's code as a "[code] " prefix of the message, because contextBridge rebuilds an Error in the page
// from its message alone. Pure (no Node, no DOM): the desktop app's main side and the renderer both use it.

/** The code and message of an error thrown by a window.atstudio method; 'internal' when it has no code. */
export function parseBridgeError(err: unknown): { code: string; message: string } {
  const text = err instanceof Error ? err.message : String(err);
  const m = /^\[([a-z-]+)\] ([\s\S]*)$/.exec(text);
  return m ? { code: m[1]!, message: m[2]! } : { code: 'internal', message: text };
}
