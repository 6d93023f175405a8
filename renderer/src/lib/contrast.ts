// WCAG 2 contrast (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance): for text drawn on a colour that is
// only known at run time (a cell shaded by its value), pick black or white, whichever contrasts more.
export type Rgb = [number, number, number];

/** '#rgb', '#rrggbb' or 'rgb(r, g, b)' (what getComputedStyle gives for the theme's variables); null otherwise. */
export function parseColor(css: string): Rgb | null {
  const s = css.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [...m[1]!].map((c) => parseInt(c + c, 16)) as Rgb;
  m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1]!.slice(i, i + 2), 16)) as Rgb;
  m = /^rgba?\(\s*(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return null;
}

/** WCAG 2 relative luminance of an sRGB colour (0 black … 1 white). */
export function relativeLuminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** (L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 … 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** t of the way from `from` to `to`, per channel (what color-mix(in srgb) does), rounded. */
export function mixRgb(from: Rgb, to: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(from[i]! + (to[i]! - from[i]!) * t)) as Rgb;
}

/** Black or white text, whichever contrasts more with `bg`; either way at least 4.58:1 (the worst case, L ≈ 0.18). */
export function readableOn(bg: Rgb): '#000000' | '#ffffff' {
  return contrastRatio(bg, [0, 0, 0]) >= contrastRatio(bg, [255, 255, 255]) ? '#000000' : '#ffffff';
}

export const toCss = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;
