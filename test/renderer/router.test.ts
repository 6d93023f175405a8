import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../renderer/src/lib/router.svelte.js';

describe('hash routes', () => {
  it('parses every screen and round-trips through href', () => {
    expect(parseHash('')).toEqual({ name: 'runs' });
    expect(parseHash('#/runs')).toEqual({ name: 'runs' });
    expect(parseHash('#/new')).toEqual({ name: 'new' });
    expect(parseHash('#/new?from=2026-a')).toEqual({ name: 'new', from: '2026-a' });
    expect(parseHash('#/runs/abc%20d')).toEqual({ name: 'run', id: 'abc d' });
    expect(parseHash('#/compare?ids=a,b')).toEqual({ name: 'compare', ids: ['a', 'b'] });
    expect(parseHash('#/nope/x')).toEqual({ name: 'notfound', path: '/nope/x' });
    expect(parseHash('#/studies')).toEqual({ name: 'studies' });
    expect(parseHash('#/studies/s%201')).toEqual({ name: 'study', id: 's 1' });
    expect(parseHash('#/settings')).toEqual({ name: 'settings' });
    for (const r of [{ name: 'run', id: 'x y' }, { name: 'compare', ids: ['a', 'b'] }, { name: 'new', from: 'r1' }, { name: 'studies' }, { name: 'study', id: 'a b' }, { name: 'settings' }] as const) {
      expect(parseHash(href(r))).toEqual(r);
    }
  });
});
