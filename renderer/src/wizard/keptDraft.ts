// The New-run draft kept in the browser's storage (localStorage; in Electron the renderer's, kept across
// restarts), so a click on Runs, a reload or a restart loses nothing. "Start over" clears it; so does Start.
import type { RunConfig } from '../../../core/config/types.js';
import type { StudyDraft } from './draft.svelte.js';
import type { PresetLimits, TrainingChoice } from './presets.js';
import { STEP_KEYS, type StepKey } from './validate.js';

export const KEPT_DRAFT_KEY = 'atstudio.wizardDraft.v1';

export interface KeptDraft {
  config: RunConfig;
  study: StudyDraft;
  repeats: number;
  trainingChoice: TrainingChoice;
  presetApplied: boolean;
  presetLimits: PresetLimits;
  step: StepKey;
  visited: number;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

/** The kept draft, or null when there is none or it is not one (an older or damaged entry is dropped). */
export function loadKept(): KeptDraft | null {
  const s = storage();
  const text = s?.getItem(KEPT_DRAFT_KEY);
  if (!text) return null;
  try {
    const v = JSON.parse(text) as KeptDraft;
    const ok = v && typeof v === 'object' && v.config && typeof v.config === 'object' && v.config.training && v.config.data
      && STEP_KEYS.includes(v.step) && Number.isInteger(v.visited) && v.study && typeof v.study === 'object';
    if (ok) return v;
  } catch { /* not JSON: dropped below */ }
  s?.removeItem(KEPT_DRAFT_KEY);
  return null;
}

export function saveKept(d: KeptDraft): void {
  try {
    storage()?.setItem(KEPT_DRAFT_KEY, JSON.stringify(d));
  } catch { /* full or disabled storage: the draft lives on in the page */ }
}

export function clearKept(): void {
  storage()?.removeItem(KEPT_DRAFT_KEY);
}
