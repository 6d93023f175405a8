// Plain-text tables for `runs` and `compare`: left-aligned text, right-aligned numbers, no colour, so the
// output pastes cleanly into an issue or a report.
export type Align = 'left' | 'right';

export function table(header: string[], rows: string[][], align?: Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const pad = (cell: string, i: number) =>
    (align?.[i] ?? 'left') === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
  const line = (cells: string[]) => cells.map((c, i) => pad(c ?? '', i)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
