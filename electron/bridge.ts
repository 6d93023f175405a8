// What the preload puts on `window.atstudio`: the application service's API (one function per operation,
// plus subscribe) and the native file dialogs. Shared by main (channel names, reply shape) and the UI types.
import type { AtStudioApi } from '../core/service/api.js';

export interface DialogFilter { name: string; extensions: string[] }
export interface DialogOptions { title?: string; defaultPath?: string; filters?: DialogFilter[] }

export interface AtStudioDialogs {
  /** A file to read (a dataset file, a teacher's model.json); null when cancelled. */
  openFile(opts?: DialogOptions): Promise<string | null>;
  /** A folder (a dataset folder, an export destination); null when cancelled. */
  openFolder(opts?: DialogOptions): Promise<string | null>;
  /** Where to write (a report, metrics); null when cancelled. */
  saveFile(opts?: DialogOptions): Promise<string | null>;
}

export type AtStudioBridge = AtStudioApi & AtStudioDialogs;

export type DialogKind = keyof AtStudioDialogs;
export const DIALOG_KINDS: readonly DialogKind[] = ['openFile', 'openFolder', 'saveFile'];

/** IPC channel names; preload.cts repeats them (a sandboxed preload can only require 'electron'). */
export const CHANNELS = { call: 'atstudio:call', dialog: 'atstudio:dialog', events: 'atstudio:events' } as const;

/** Main's reply to a call: errors travel as data so their `code` survives IPC (a thrown Error loses it). */
export type CallReply = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/** One message on the events MessagePort. */
export interface EventMessage { runId: string; event: unknown }

/** The preload's "[code] message" errors taken apart: in core, so the renderer imports it from there too. */
export { parseBridgeError } from '../core/service/wireError.js';
