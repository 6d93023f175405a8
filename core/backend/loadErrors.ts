// Loading optional packages: the default loader, and failures turned into one short reason.
import { createRequire } from 'node:module';
import type { ModuleLoader } from './choice.js';

const require = createRequire(import.meta.url);
export const defaultLoader: ModuleLoader = {
  resolve: (specifier) => require.resolve(specifier),
  import: (specifier) => import(specifier),
};

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'object' && err !== null && 'message' in err ? String((err as { message: unknown }).message) : String(err);
  // Node appends a "Require stack:" list; the lines before it carry the cause.
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const stack = lines.findIndex((l) => l.startsWith('Require stack'));
  const firstLines = lines.slice(0, stack === -1 ? 2 : Math.min(stack, 2)).join(' ');
  return firstLines.length > 400 ? `${firstLines.slice(0, 400)}…` : firstLines;
}

/** True only when the package itself is missing, not when something it needs is (e.g. its native addon). */
export function isPackageNotFound(err: unknown, pkg: string): boolean {
  const code = errorCode(err);
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  const msg = err instanceof Error ? err.message : String((err as { message?: unknown }).message ?? '');
  const quoted = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`Cannot find (module|package) '${quoted}(/package\\.json)?'`).test(msg);
}

export function loadFailure(pkg: string, err: unknown): string {
  const msg = errorMessage(err);
  const native = /libtensorflow|tfjs_binding|\.so(\.\d+)*\b|\.dll|\.dylib|dlopen|ERR_DLOPEN_FAILED/i.test(`${msg} ${errorCode(err) ?? ''}`);
  return native
    ? `${pkg} is installed but its native library failed to load (libtensorflow missing or unusable): ${msg}`
    : `${pkg} is installed but failed to load: ${msg}`;
}

export function moduleExport<T>(mod: unknown, key: string): T | undefined {
  const m = mod as Record<string, unknown> | undefined;
  // CommonJS packages imported from ESM may expose their exports only on `default`.
  return (m?.[key] ?? (m?.default as Record<string, unknown> | undefined)?.[key]) as T | undefined;
}
