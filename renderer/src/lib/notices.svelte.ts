// Messages for the user that are not tied to one form field: engine errors, finished exports, runs that
// ended. Shown in one polite live region, so a screen reader announces them too.
export interface Notice { id: number; kind: 'error' | 'info' | 'success'; text: string; detail?: string }

/** At most this many at once (the oldest goes): a pile of them covered the wizard's Start. */
export const MAX_NOTICES = 3;
/** How long a notice stays: errors long enough to read, the rest briefly. Each has its × too. */
export const NOTICE_MS: Record<Notice['kind'], number> = { error: 20_000, info: 6000, success: 6000 };

class Notices {
  list = $state<Notice[]>([]);
  private next = 1;

  push(kind: Notice['kind'], text: string, detail?: string): number {
    const id = this.next++;
    // The same message again replaces the old one instead of stacking.
    const rest = this.list.filter((n) => !(n.kind === kind && n.text === text && n.detail === detail));
    this.list = [...rest, { id, kind, text, ...(detail ? { detail } : {}) }].slice(-MAX_NOTICES);
    setTimeout(() => this.dismiss(id), NOTICE_MS[kind]);
    return id;
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();
