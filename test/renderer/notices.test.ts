import { afterEach, describe, expect, it, vi } from 'vitest';
import { notices } from '../../renderer/src/lib/notices.svelte.js';

describe('notices', () => {
  afterEach(() => { vi.useRealTimers(); notices.list = []; });

  it('info and success fade after a few seconds; errors stay until dismissed', () => {
    vi.useFakeTimers();
    notices.push('success', 'Exported');
    const err = notices.push('error', 'Failed', 'why');
    expect(notices.list.map((n) => n.text)).toEqual(['Exported', 'Failed']);
    vi.advanceTimersByTime(10_000);
    expect(notices.list.map((n) => n.text)).toEqual(['Failed']);
    notices.dismiss(err);
    expect(notices.list).toEqual([]);
  });
});
