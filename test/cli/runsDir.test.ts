// The default runs folder follows each platform's convention for per-user application data.
import { describe, expect, it } from 'vitest';
import { defaultRunsDir, resolveRunsDir } from '../../cli/runsDir.js';

describe('default runs folder', () => {
  it('$ATSTUDIO_RUNS_DIR wins on every platform', () => {
    expect(defaultRunsDir({ ATSTUDIO_RUNS_DIR: '/data/runs', XDG_DATA_HOME: '/x' }, 'linux', '/home/ada')).toBe('/data/runs');
  });
  it('Linux: $XDG_DATA_HOME, else ~/.local/share; a relative XDG value is ignored (XDG spec)', () => {
    expect(defaultRunsDir({ XDG_DATA_HOME: '/x/share' }, 'linux', '/home/ada')).toBe('/x/share/attention-transfer-studio/runs');
    expect(defaultRunsDir({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/attention-transfer-studio/runs');
    expect(defaultRunsDir({ XDG_DATA_HOME: 'rel' }, 'linux', '/home/ada')).toBe('/home/ada/.local/share/attention-transfer-studio/runs');
  });
  it('macOS: Application Support', () => {
    expect(defaultRunsDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Attention Transfer Studio/runs');
  });
  it('Windows: %APPDATA%', () => {
    expect(defaultRunsDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada'))
      .toBe('C:\\Users\\ada\\AppData\\Roaming\\Attention Transfer Studio\\runs');
  });
  it('--runs-dir is relative to the working folder and beats the environment', () => {
    expect(resolveRunsDir('r', { ATSTUDIO_RUNS_DIR: '/data/runs' }, '/work')).toBe('/work/r');
    expect(resolveRunsDir(undefined, { ATSTUDIO_RUNS_DIR: '/data/runs' }, '/work')).toBe('/data/runs');
  });
});
