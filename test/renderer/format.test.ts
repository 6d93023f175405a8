import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatRatio, sizeAgainst } from '../../renderer/src/lib/format.js';
import { colormap } from '../../renderer/src/lib/colormap.js';

describe('format', () => {
  it('counts, sizes, rates and ratios', () => {
    expect(formatCount(175_066)).toBe('175.1K');
    expect(formatCount(2_243_546)).toBe('2.24M');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1.25e9)).toBe('1.25G');
    expect(formatBytes(700_296)).toBe('684 KB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(formatRate(123.4)).toBe('123 img/s');
    expect(formatRate(0.31)).toBe('0.3 img/s');
    expect(formatRatio(3.95)).toBe('4.0×');
    expect(formatRatio(12.3)).toBe('12×');
    expect(formatPercent(0.763)).toBe('76.3%');
    expect(formatPercent(undefined)).toBe('–');
  });

  it('durations round to whole seconds and switch units at 60 s and 1 h', () => {
    expect(formatDuration(12)).toBe('12 s');
    expect(formatDuration(59.6)).toBe('1 min 00 s');
    expect(formatDuration(242)).toBe('4 min 02 s');
    expect(formatDuration(3600)).toBe('1 h 00 min');
    expect(formatDuration(3900)).toBe('1 h 05 min');
    expect(formatDuration(-1)).toBe('–');
  });
});

describe('colormap', () => {
  const lum = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
  it('runs from near black to pale yellow with rising brightness', () => {
    expect(colormap(0)).toEqual([0, 0, 4]);
    expect(colormap(1)).toEqual([252, 255, 164]);
    expect(colormap(-5)).toEqual(colormap(0));
    expect(colormap(NaN)).toEqual(colormap(0));
    let prev = -1;
    for (let i = 0; i <= 100; i++) {
      const l = lum(colormap(i / 100));
      expect(l).toBeGreaterThanOrEqual(prev);
      prev = l;
    }
  });

  it('says a student larger than its teacher has more parameters, never "0.1× fewer"', () => {
    expect(sizeAgainst(3.9)).toEqual({ factor: '3.9×', word: 'fewer' });
    expect(sizeAgainst(0.1)).toEqual({ factor: '10×', word: 'more' });
    expect(sizeAgainst(0.5)).toEqual({ factor: '2.0×', word: 'more' });
    expect(sizeAgainst(1.02)).toEqual({ factor: '', word: 'about as many' });
  });
});
