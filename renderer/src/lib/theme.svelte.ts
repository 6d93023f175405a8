// Light, dark, or the system's choice; remembered across sessions. The CSS reads html[data-theme].
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'atstudio.theme';

function systemDark(): boolean {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches;
}

class Theme {
  choice = $state<ThemeChoice>('system');
  /** The theme in effect ('light' | 'dark'), for canvases and charts that need real colours. */
  effective = $state<'light' | 'dark'>('light');

  init(): void {
    const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
    this.set(saved === 'light' || saved === 'dark' ? saved : 'system', false);
    if (typeof matchMedia !== 'undefined') {
      matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => { if (this.choice === 'system') this.apply(); });
    }
  }

  set(choice: ThemeChoice, save = true): void {
    this.choice = choice;
    if (save && typeof localStorage !== 'undefined') localStorage.setItem(KEY, choice);
    this.apply();
  }

  private apply(): void {
    this.effective = this.choice === 'system' ? (systemDark() ? 'dark' : 'light') : this.choice;
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = this.effective;
  }
}

export const theme = new Theme();

/** A CSS custom property's current value (charts take colours as strings, not var()). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
