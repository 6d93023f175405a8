// The runs folder of a command: --runs-dir, else the default one (core/runs/defaultRunsDir.ts).
import * as path from 'node:path';
import { defaultRunsDir } from '../core/runs/defaultRunsDir.js';

export { defaultRunsDir };

export function resolveRunsDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return flag ? path.resolve(cwd, flag) : defaultRunsDir(env);
}
