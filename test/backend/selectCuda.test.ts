// The CUDA library check behind the GPU backend choice, on described machines (pure) and on this one.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LINUX_CUDA_LIBS,
  LINUX_DRIVER_LIB,
  WINDOWS_CUDA_LIBS,
  WINDOWS_DRIVER_LIB,
  checkCudaLibraries,
  defaultSystemProbe,
  loaderSearchDirs,
  parseLdconfigCache,
  type SystemProbe,
} from '../../core/backend/cudaLibs.js';

const ALL_LINUX = [...LINUX_CUDA_LIBS, LINUX_DRIVER_LIB];

/** A machine made of the given files (path → text; libraries are empty files). */
function machine(
  files: Record<string, string>,
  opts: { platform?: NodeJS.Platform; arch?: string; env?: NodeJS.ProcessEnv; ldconfig?: string } = {},
): SystemProbe {
  const platform = opts.platform ?? 'linux';
  const p = platform === 'win32' ? path.win32 : path.posix;
  return {
    platform,
    arch: opts.arch ?? 'x64',
    env: opts.env ?? {},
    exists: (f) => f in files,
    readText: (f) => files[f],
    listDir: (dir) => {
      const names = Object.keys(files).filter((f) => p.dirname(f) === dir).map((f) => p.basename(f));
      return names.length > 0 ? names : undefined;
    },
    ldconfigCache: () => opts.ldconfig,
  };
}

function libsIn(dir: string, names: readonly string[] = ALL_LINUX): Record<string, string> {
  return Object.fromEntries(names.map((n) => [`${dir}/${n}`, '']));
}

const debianConf = {
  '/etc/ld.so.conf': 'include /etc/ld.so.conf.d/*.conf\n',
  '/etc/ld.so.conf.d/x86_64-linux-gnu.conf': '# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n',
};

describe('checkCudaLibraries (Linux)', () => {
  it('finds every library in the multiarch directory', () => {
    const check = checkCudaLibraries(machine({ ...debianConf, ...libsIn('/usr/lib/x86_64-linux-gnu') }));
    expect(check.ok).toBe(true);
    expect(check.missing).toEqual([]);
    expect(check.found['libcudnn.so.8']).toBe('/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
  });

  it('reports every library missing on a machine without CUDA, with the version it needs', () => {
    const check = checkCudaLibraries(machine(debianConf));
    expect(check.ok).toBe(false);
    expect(check.missing).toEqual(ALL_LINUX);
    expect(check.reason).toContain('libcudart.so.11.0');
    expect(check.reason).toContain('libcudnn.so.8');
    expect(check.reason).toContain('CUDA 11.2 and cuDNN 8.1');
    expect(check.reason).toContain('no NVIDIA driver');
  });

  it('names exactly the one library that is missing (cuDNN)', () => {
    const present = ALL_LINUX.filter((n) => n !== 'libcudnn.so.8');
    const check = checkCudaLibraries(machine({ ...debianConf, ...libsIn('/usr/lib/x86_64-linux-gnu', present) }));
    expect(check.missing).toEqual(['libcudnn.so.8']);
    expect(check.reason).not.toContain('driver');
  });

  it('follows ld.so.conf include globs to a CUDA directory', () => {
    const files = {
      ...debianConf,
      '/etc/ld.so.conf.d/cuda-11-2.conf': '/usr/local/cuda-11.2/targets/x86_64-linux/lib\n',
      ...libsIn('/usr/local/cuda-11.2/targets/x86_64-linux/lib', LINUX_CUDA_LIBS),
      ...libsIn('/usr/lib/x86_64-linux-gnu', [LINUX_DRIVER_LIB]),
    };
    expect(checkCudaLibraries(machine(files)).ok).toBe(true);
    // The same files without the conf entry: the loader would not look there.
    const { ['/etc/ld.so.conf.d/cuda-11-2.conf']: _, ...unconfigured } = files;
    const check = checkCudaLibraries(machine(unconfigured));
    expect(check.ok).toBe(false);
    expect(check.missing).toEqual([...LINUX_CUDA_LIBS]);
  });

  it('says when CUDA sits in /usr/local/cuda/lib64 off the loader path, and LD_LIBRARY_PATH fixes it', () => {
    const files = { ...debianConf, ...libsIn('/usr/local/cuda/lib64', LINUX_CUDA_LIBS), ...libsIn('/usr/lib/x86_64-linux-gnu', [LINUX_DRIVER_LIB]) };
    const off = checkCudaLibraries(machine(files));
    expect(off.ok).toBe(false);
    expect(off.offPath['libcublas.so.11']).toBe('/usr/local/cuda/lib64/libcublas.so.11');
    expect(off.reason).toContain('LD_LIBRARY_PATH');
    expect(off.reason).toContain('/usr/local/cuda/lib64');
    const fixed = checkCudaLibraries(machine(files, { env: { LD_LIBRARY_PATH: '/opt/x:/usr/local/cuda/lib64' } }));
    expect(fixed.ok).toBe(true);
    expect(loaderSearchDirs(machine(files, { env: { LD_LIBRARY_PATH: '/opt/x:/usr/local/cuda/lib64' } })).slice(0, 2)).toEqual([
      '/opt/x',
      '/usr/local/cuda/lib64',
    ]);
  });

  it('uses the ldconfig cache, ignoring 32-bit entries for a 64-bit process', () => {
    const line = (n: string, tag: string) => `\t${n} (${tag}) => /opt/nv/${n}`;
    const cache64 = `9 libs found in cache\n${ALL_LINUX.map((n) => line(n, 'libc6,x86-64')).join('\n')}\n`;
    const check = checkCudaLibraries(machine({}, { ldconfig: cache64 }));
    expect(check.ok).toBe(true);
    expect(check.found['libcufft.so.10']).toBe('/opt/nv/libcufft.so.10');
    const cache32 = `${ALL_LINUX.map((n) => line(n, 'libc6')).join('\n')}\n`;
    expect(checkCudaLibraries(machine({}, { ldconfig: cache32 })).missing).toEqual(ALL_LINUX);
  });

  it('recognizes a CUDA of the wrong major version (CUDA 13 installed, 11 needed)', () => {
    const files = {
      ...debianConf,
      '/etc/ld.so.conf.d/zz-cuda-13-0.conf': '/usr/local/cuda-13.0/lib\n',
      ...libsIn('/usr/local/cuda-13.0/lib', ['libcudart.so.13', 'libcudart.so', 'libcublas.so.13']),
    };
    const check = checkCudaLibraries(machine(files));
    expect(check.ok).toBe(false);
    expect(check.otherVersions['libcudart.so.11.0']).toEqual(['libcudart.so.13']);
    expect(check.otherVersions['libcublas.so.11']).toEqual(['libcublas.so.13']);
    expect(check.reason).toContain('libcudart.so.13');
    expect(check.reason).toContain('cannot use');
  });

  it('parses ldconfig -p lines', () => {
    const text = '2 libs found\n\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1\n\tlibz.so.1 (libc6) => /usr/lib32/libz.so.1\n';
    expect([...parseLdconfigCache(text, 'x64')]).toEqual([['libz.so.1', '/lib/x86_64-linux-gnu/libz.so.1']]);
  });
});

describe('checkCudaLibraries (other platforms)', () => {
  it('macOS: no CUDA at all', () => {
    const check = checkCudaLibraries(machine({}, { platform: 'darwin', arch: 'arm64' }));
    expect(check.ok).toBe(false);
    expect(check.reason).toContain('macOS has no CUDA');
  });

  it('Windows: looks for the CUDA DLLs on Path (any case) and nvcuda.dll in System32', () => {
    const cuda = 'C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v11.2\\bin';
    const files: Record<string, string> = {
      ...Object.fromEntries(WINDOWS_CUDA_LIBS.map((n) => [path.win32.join(cuda, n), ''])),
      [path.win32.join('C:\\Windows', 'System32', WINDOWS_DRIVER_LIB)]: '',
    };
    const env = { Path: `C:\\Windows;${cuda}`, SystemRoot: 'C:\\Windows' };
    expect(checkCudaLibraries(machine(files, { platform: 'win32', env })).ok).toBe(true);
    delete files[path.win32.join(cuda, 'cudnn64_8.dll')];
    const check = checkCudaLibraries(machine(files, { platform: 'win32', env }));
    expect(check.missing).toEqual(['cudnn64_8.dll']);
    expect(check.reason).toContain('cudnn64_8.dll');
  });
});

describe('checkCudaLibraries on this machine', () => {
  it('runs against the real loader configuration, and whatever it reports found exists', () => {
    const check = checkCudaLibraries(defaultSystemProbe());
    console.log(`CUDA check here: ${check.reason}`);
    for (const file of Object.values(check.found)) expect(existsSync(file)).toBe(true);
    expect(check.ok).toBe(check.missing.length === 0 && process.platform !== 'darwin');
  });
});
