// tf.setBackend reports a failed start only through console.warn; selectBackend keeps that text this way.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureWarnings } from '../../core/backend/captureWarnings.js';

const original = console.warn;
afterEach(() => { console.warn = original; });

describe('captureWarnings', () => {
  it('keeps what is warned (still printing it), and puts console.warn back', async () => {
    const printed = vi.fn();
    console.warn = printed;
    const r = await captureWarnings(async () => { console.warn('init failed:', new Error('no adapter')); return false; }, String);
    expect(r).toEqual({ ok: false, warnings: ['init failed: no adapter'] });
    expect(printed).toHaveBeenCalledTimes(1);
    expect(console.warn).toBe(printed);
  });

  it('turns an exception into ok: false with its description, and still puts console.warn back', async () => {
    const printed = vi.fn();
    console.warn = printed;
    const r = await captureWarnings(async () => { console.warn('first'); throw new Error('boom'); }, (e) => `described: ${(e as Error).message}`);
    expect(r).toEqual({ ok: false, warnings: ['first', 'described: boom'] });
    expect(console.warn).toBe(printed);
  });
});
