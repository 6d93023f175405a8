import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_NOTICES, notices } from '../../renderer/src/lib/notices.svelte.js';

describe('notices', () => {
  afterEach(() => { vi.useRealTimers(); notices.list = []; });

  it('info and success fade after a few seconds; errors stay longer, then close too', () => {
    vi.useFakeTimers();
    notices.push('success', 'Exported');
    const err = notices.push('error', 'Failed', 'why');
    expect(notices.list.map((n) => n.text)).toEqual(['Exported', 'Failed']);
    vi.advanceTimersByTime(10_000);
    expect(notices.list.map((n) => n.text)).toEqual(['Failed']);
    vi.advanceTimersByTime(10_000);
    expect(notices.list).toEqual([]);
    notices.dismiss(err); // already gone: nothing happens
    expect(notices.list).toEqual([]);
  });

  it('never piles up: at most three, the same message once', () => {
    vi.useFakeTimers();
    for (let i = 0; i < 5; i++) notices.push('info', `n${i}`);
    expect(MAX_NOTICES).toBe(3);
    expect(notices.list.map((n) => n.text)).toEqual(['n2', 'n3', 'n4']);
    notices.push('error', 'Could not start', 'busy');
    notices.push('error', 'Could not start', 'busy');
    expect(notices.list.map((n) => n.text)).toEqual(['n3', 'n4', 'Could not start']);
  });
});
