// Entry scripts for child processes must be compiled JavaScript. From dist/ the script sits beside the
// module that forks it; when that module runs from its .ts source (tests), the built copy under dist/.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root when this module runs from source (core/util → ../..). */
const SOURCE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `fileName` beside the module at `moduleUrl`, or the same place under dist/ when that module is a source file. */
export function compiledScript(moduleUrl: string, fileName: string): string {
  const here = path.dirname(fileURLToPath(moduleUrl));
  const sibling = path.join(here, fileName);
  if (existsSync(sibling)) return sibling;
  return path.join(SOURCE_ROOT, 'dist', path.relative(SOURCE_ROOT, here), fileName);
}
