import { describe, expect, it } from 'vitest';
import { contrastRatio, mixRgb, parseColor, readableOn, relativeLuminance } from '../../renderer/src/lib/contrast.js';

describe('WCAG contrast', () => {
  it('parses the forms getComputedStyle gives', () => {
    expect(parseColor('#2f5fd0')).toEqual([47, 95, 208]);
    expect(parseColor(' #fff ')).toEqual([255, 255, 255]);
    expect(parseColor('rgb(27, 31, 37)')).toEqual([27, 31, 37]);
    expect(parseColor('var(--x)')).toBeNull();
  });

  it('luminance and ratios match hand-computed values', () => {
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 10);
    expect(relativeLuminance([0, 0, 0])).toBe(0);
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 10);
    // #777: ((119/255 + 0.055)/1.055)^2.4 = 0.18447; (1.05)/(0.23447) = 4.478
    expect(relativeLuminance([119, 119, 119])).toBeCloseTo(0.18447, 4);
    expect(contrastRatio([119, 119, 119], [255, 255, 255])).toBeCloseTo(4.478, 2);
    // The old teacher caption colour on white: 4.2996 (axe printed 4.29, it truncates).
    expect(contrastRatio([0xd9, 0x48, 0x0f], [255, 255, 255])).toBeCloseTo(4.2996, 3);
  });

  it('picks the text colour that keeps 4.5:1 on every shade between two theme colours', () => {
    expect(readableOn([47, 95, 208])).toBe('#ffffff');
    expect(readableOn([255, 255, 255])).toBe('#000000');
    for (const [from, to] of [[[255, 255, 255], [47, 95, 208]], [[27, 31, 37], [122, 162, 255]]] as const) {
      for (let t = 0; t <= 1.0001; t += 0.01) {
        const bg = mixRgb([...from], [...to], t);
        const fg = parseColor(readableOn(bg))!;
        expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
