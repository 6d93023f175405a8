// The renderer's view of the preload: `window.atstudio` and nothing else from Electron.
import type { AtStudioBridge } from './bridge.js';

declare global {
  interface Window {
    readonly atstudio: AtStudioBridge;
  }
}

export {};
