// The helpers status and study updates go through under exactOptionalPropertyTypes (core/util/exactOptional.ts).
import { describe, expect, it } from 'vitest';
import { definedOnly, type Patch } from '../../core/util/exactOptional.js';

describe('definedOnly', () => {
  it('drops undefined keys only, keeping the order of the rest and what JSON.stringify writes', () => {
    const o = { a: 1, b: undefined, c: null, d: 0, e: '', f: false };
    const d = definedOnly(o);
    expect(Object.keys(d)).toEqual(['a', 'c', 'd', 'e', 'f']);
    expect(JSON.stringify(d)).toBe(JSON.stringify(o));
  });

  it('clears an optional field a Patch sets to undefined', () => {
    type S = { status: string; error?: string; endedAt?: string };
    const old: S = { status: 'failed', error: 'boom', endedAt: 'then' };
    const patch: Patch<S> = { status: 'queued', error: undefined, endedAt: undefined };
    const next: S = definedOnly({ ...old, ...patch });
    expect(next).toStrictEqual({ status: 'queued' });
  });
});
