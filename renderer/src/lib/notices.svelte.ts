// Messages for the user that are not tied to one form field: engine errors, finished exports, runs that
// ended. Shown in one polite live region, so a screen reader announces them too.
export interface Notice { id: number; kind: 'error' | 'info' | 'success'; text: string; detail?: string }

class Notices {
  list = $state<Notice[]>([]);
  private next = 1;

  push(kind: Notice['kind'], text: string, detail?: string): number {
    const id = this.next++;
    this.list = [...this.list, { id, kind, text, ...(detail ? { detail } : {}) }];
    // Errors stay until dismissed; the rest fade after a while.
    if (kind !== 'error') setTimeout(() => this.dismiss(id), 6000);
    return id;
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();
