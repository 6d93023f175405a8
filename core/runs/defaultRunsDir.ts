// Where runs live when no folder is named: $ATSTUDIO_RUNS_DIR, else the per-user data folder of the
// platform (XDG on Linux, Application Support on macOS, %APPDATA% on Windows). The CLI, serve mode, the
// desktop app and `npm start` all use it, so they share one runs folder.
import * as os from 'node:os';
import * as path from 'node:path';

export function defaultRunsDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform,
  home: string = os.homedir()): string {
  if (env.ATSTUDIO_RUNS_DIR) return path.resolve(env.ATSTUDIO_RUNS_DIR);
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Attention Transfer Studio', 'runs');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Attention Transfer Studio', 'runs');
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'attention-transfer-studio', 'runs');
}
