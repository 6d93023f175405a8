// The confusion matrix as a table whose cells are shaded by their share of the true class's images.
import { escapeHtml } from './escape.js';

export function confusionTable(confusion: number[][], classes: string[], words: { none: string; corner: string } = { none: 'No confusion matrix.', corner: 'true \\ predicted' }): string {
  if (!confusion.length) return `<p>${escapeHtml(words.none)}</p>`;
  const name = (i: number) => escapeHtml(classes[i] ?? String(i));
  const head = `<tr><th>${escapeHtml(words.corner)}</th>${confusion[0].map((_, j) => `<th>${name(j)}</th>`).join('')}</tr>`;
  const rows = confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    const cells = row.map((n, j) => {
      const share = n / total;
      // Diagonal (right) in green, off-diagonal (mistakes) in red; stronger for larger shares.
      const rgb = i === j ? '40,160,80' : '210,50,50';
      return `<td style="background:rgba(${rgb},${(share * 0.85).toFixed(3)})" title="${(share * 100).toFixed(1)}%">${n}</td>`;
    }).join('');
    return `<tr><th>${name(i)}</th>${cells}</tr>`;
  });
  return `<table class="cm">${head}${rows.join('')}</table>`;
}
