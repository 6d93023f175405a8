// Run ids: `<yyyymmdd-hhmmss>-<slug of name>-<4 random hex>` (UTC). Ids come back from the UI, the CLI
// and HTTP, and become folder names, so open() accepts only this conservative alphabet: no path
// separators, no `..`, nothing hidden.
import { randomBytes } from 'node:crypto';

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function isValidRunId(id: string): boolean {
  return typeof id === 'string' && id.length <= 200 && RUN_ID_PATTERN.test(id) && !id.includes('..');
}

export function slugify(name: string, maxLength = 40): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop accents left by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug || 'run';
}

export function formatTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}-${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}

export function newRunId(name: string, now: Date = new Date(), hex: string = randomBytes(2).toString('hex')): string {
  return `${formatTimestamp(now)}-${slugify(name)}-${hex}`;
}
