// How a study writes top-1 figures: points of top-1 and percentages, the same in every language.

/** Points of top-1 (0.009 → "0.9"), one decimal; a minus sign, not a hyphen. */
export function points(v: number, signed = false): string {
  const p = Math.round(v * 1000) / 10;
  const text = Math.abs(p).toFixed(1);
  if (p < 0) return `−${text}`;
  return signed && p > 0 ? `+${text}` : text;
}

export function percent(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}
