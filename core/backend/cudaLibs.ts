// Can the GPU build of libtensorflow find CUDA? tfjs-node-gpu 4.22 loads libtensorflow 2.9.1, built
// against CUDA 11.2 and cuDNN 8.1. When their libraries are missing it does not fail: it logs a warning
// and quietly runs on the CPU. So we look for them the way the dynamic loader would, before loading it.
// `checkCudaLibraries` is pure over a `SystemProbe` so tests can describe any machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Sonames libtensorflow 2.9.1 dlopens on Linux (CUDA 11.x runtime libraries, cuDNN 8). */
export const LINUX_CUDA_LIBS = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
] as const;
/** The NVIDIA driver's user-space library; without it no CUDA library can reach a GPU. */
export const LINUX_DRIVER_LIB = 'libcuda.so.1';
/** The same libraries as Windows DLLs, found through PATH. */
export const WINDOWS_CUDA_LIBS = [
  'cudart64_110.dll',
  'cublas64_11.dll',
  'cublasLt64_11.dll',
  'cufft64_10.dll',
  'curand64_10.dll',
  'cusolver64_11.dll',
  'cusparse64_11.dll',
  'cudnn64_8.dll',
] as const;
export const WINDOWS_DRIVER_LIB = 'nvcuda.dll';
export const CUDA_REQUIREMENT = 'libtensorflow 2.9.1 (in @tensorflow/tfjs-node-gpu 4.22) needs CUDA 11.2 and cuDNN 8.1';

/** What the check may look at. Every function returns undefined (never throws) when a thing is absent. */
export interface SystemProbe {
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  exists(file: string): boolean;
  readText(file: string): string | undefined;
  listDir(dir: string): string[] | undefined;
  /** Output of `ldconfig -p` (the loader's cache), if ldconfig can be run. */
  ldconfigCache(): string | undefined;
}

export interface CudaCheck {
  ok: boolean;
  /** Required libraries (and the driver library) that the loader would not find. */
  missing: string[];
  /** Library → where the loader would find it. */
  found: Record<string, string>;
  /** Missing library → a file with that name outside the loader's path (e.g. /usr/local/cuda/lib64). */
  offPath: Record<string, string>;
  /** Other versions of a missing library that are on the loader's path (e.g. libcudart.so.13). */
  otherVersions: Record<string, string[]>;
  reason: string;
}

function tryRun(file: string): string | undefined {
  try {
    return execFileSync(file, ['-p'], { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The real machine. */
export function defaultSystemProbe(env: NodeJS.ProcessEnv = process.env): SystemProbe {
  return {
    platform: process.platform,
    arch: os.arch(),
    env,
    exists: (file) => existsSync(file),
    readText: (file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return undefined;
      }
    },
    // ldconfig lives in sbin, which is often not on a normal user's PATH.
    ldconfigCache: () => tryRun('/sbin/ldconfig') ?? tryRun('/usr/sbin/ldconfig') ?? tryRun('ldconfig'),
  };
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  // Windows variable names are case-insensitive (Path vs PATH); an injected env is a plain object.
  if (env[name] !== undefined) return env[name];
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

function multiarchTriplet(arch: string): string {
  return arch === 'arm64' ? 'aarch64-linux-gnu' : arch === 'x64' ? 'x86_64-linux-gnu' : `${arch}-linux-gnu`;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Directories named by an ld.so.conf file, following `include` globs (in the last path component). */
export function ldSoConfDirs(probe: SystemProbe, file = '/etc/ld.so.conf', seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = probe.readText(file);
  if (text === undefined) return [];
  const dirs: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '' || line.startsWith('hwcap')) continue;
    if (line.startsWith('include')) {
      for (const pattern of line.slice('include'.length).trim().split(/\s+/)) {
        const abs = path.posix.isAbsolute(pattern) ? pattern : path.posix.join(path.posix.dirname(file), pattern);
        const dir = path.posix.dirname(abs);
        const re = globToRegExp(path.posix.basename(abs));
        for (const name of (probe.listDir(dir) ?? []).filter((n) => re.test(n)).sort()) {
          dirs.push(...ldSoConfDirs(probe, path.posix.join(dir, name), seen));
        }
      }
    } else {
      dirs.push(...line.split(/[\s:,]+/).filter((d) => d !== ''));
    }
  }
  return dirs;
}

/** Soname → path from `ldconfig -p`, keeping only entries for this process's architecture. */
export function parseLdconfigCache(text: string, arch: string): Map<string, string> {
  const tag = arch === 'x64' ? 'x86-64' : arch === 'arm64' ? 'AArch64' : undefined;
  const libs = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (m === null) continue;
    // A 32-bit copy of a library is useless to a 64-bit process (x86-64 entries say so, i386 ones do not).
    if (tag !== undefined && !m[2]!.includes(tag)) continue;
    if (!libs.has(m[1]!)) libs.set(m[1]!, m[3]!);
  }
  return libs;
}

/** Where dlopen looks, in order: LD_LIBRARY_PATH, the ld.so.conf directories, the trusted directories. */
export function loaderSearchDirs(probe: SystemProbe): string[] {
  const triplet = multiarchTriplet(probe.arch);
  const fromEnv = (envValue(probe.env, 'LD_LIBRARY_PATH') ?? '').split(/[:;]/).filter((d) => d !== '');
  const trusted = [`/lib/${triplet}`, `/usr/lib/${triplet}`, '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
  return [...new Set([...fromEnv, ...ldSoConfDirs(probe), ...trusted])];
}

/** Places CUDA usually lives that the loader does not search unless configured to. */
function linuxCudaHintDirs(probe: SystemProbe): string[] {
  const target = probe.arch === 'arm64' ? 'sbsa-linux' : 'x86_64-linux';
  const cudaPath = envValue(probe.env, 'CUDA_PATH') ?? envValue(probe.env, 'CUDA_HOME');
  const roots = [...(cudaPath ? [cudaPath] : []), '/usr/local/cuda', '/usr/local/cuda-11.2', '/opt/cuda'];
  return roots.flatMap((r) => [`${r}/lib64`, `${r}/lib`, `${r}/targets/${target}/lib`]);
}

function windowsSearchDirs(probe: SystemProbe): string[] {
  const fromPath = (envValue(probe.env, 'PATH') ?? '').split(';').filter((d) => d !== '');
  const root = envValue(probe.env, 'SystemRoot') ?? 'C:\\Windows';
  return [...new Set([...fromPath, path.win32.join(root, 'System32')])];
}

/** `libcudart.so.11.0` → prefix `libcudart.so.`; `cudart64_110.dll` → prefix `cudart64_`. */
function versionlessPrefix(lib: string): string {
  return lib.endsWith('.dll') ? lib.replace(/\d+\.dll$/, '') : lib.replace(/\.so\..*$/, '.so.');
}

function summarize(check: Omit<CudaCheck, 'ok' | 'reason'>, platformNote: string): string {
  if (check.missing.length === 0) return `found the ${Object.keys(check.found).length} libraries it needs (${CUDA_REQUIREMENT})`;
  const parts = [`${CUDA_REQUIREMENT}; not found: ${check.missing.join(', ')}`];
  const off = Object.entries(check.offPath);
  if (off.length > 0) {
    const dirs = [...new Set(off.map(([, file]) => path.posix.dirname(file)))];
    parts.push(`found ${off.map(([lib]) => lib).join(', ')} in ${dirs.join(', ')}, which the loader does not search: ${platformNote} ${dirs.join(':')}`);
  }
  const other = Object.entries(check.otherVersions);
  if (other.length > 0) {
    parts.push(`other versions present (${other.map(([, found]) => found.join(', ')).join(', ')}), which libtensorflow 2.9.1 cannot use`);
  }
  return parts.join('; ');
}

/**
 * Would libtensorflow's GPU build find CUDA on this machine? Pure: it reads only through `probe`.
 * Linux: the loader's path (LD_LIBRARY_PATH, ld.so.conf, `ldconfig -p`, trusted dirs). Windows: PATH and
 * System32. macOS: never (NVIDIA dropped macOS CUDA; there is no GPU build of libtensorflow for it).
 */
export function checkCudaLibraries(probe: SystemProbe): CudaCheck {
  const empty = { found: {}, offPath: {}, otherVersions: {} };
  if (probe.platform === 'darwin') {
    return { ok: false, missing: [], ...empty, reason: 'macOS has no CUDA: the GPU build of TensorFlow is not available there' };
  }
  if (probe.platform !== 'linux' && probe.platform !== 'win32') {
    return { ok: false, missing: [], ...empty, reason: `the GPU build of TensorFlow is not published for ${probe.platform}` };
  }
  const windows = probe.platform === 'win32';
  const join = windows ? path.win32.join : path.posix.join;
  const required: string[] = windows ? [...WINDOWS_CUDA_LIBS, WINDOWS_DRIVER_LIB] : [...LINUX_CUDA_LIBS, LINUX_DRIVER_LIB];
  const dirs = windows ? windowsSearchDirs(probe) : loaderSearchDirs(probe);
  const cache = windows ? new Map<string, string>() : parseLdconfigCache(probe.ldconfigCache() ?? '', probe.arch);
  const hintDirs = windows ? [] : linuxCudaHintDirs(probe).filter((d) => !dirs.includes(d));

  const found: Record<string, string> = {};
  const offPath: Record<string, string> = {};
  const otherVersions: Record<string, string[]> = {};
  const missing: string[] = [];
  // Names visible on the loader path, for spotting the wrong CUDA major version (e.g. libcudart.so.13).
  const visible = new Set<string>(cache.keys());
  for (const dir of dirs) for (const name of probe.listDir(dir) ?? []) visible.add(name);

  for (const lib of required) {
    const inDir = dirs.map((d) => join(d, lib)).find((f) => probe.exists(f));
    const where = cache.get(lib) ?? inDir;
    if (where !== undefined) {
      found[lib] = where;
      continue;
    }
    missing.push(lib);
    const off = hintDirs.map((d) => join(d, lib)).find((f) => probe.exists(f));
    if (off !== undefined) offPath[lib] = off;
    const prefix = versionlessPrefix(lib);
    const others = [...visible].filter((n) => n !== lib && n.startsWith(prefix) && /\d/.test(n.slice(prefix.length))).sort();
    if (others.length > 0) otherVersions[lib] = others;
  }
  const note = windows ? 'add to PATH:' : 'add to LD_LIBRARY_PATH (or /etc/ld.so.conf.d, then run ldconfig):';
  const result = { missing, found, offPath, otherVersions };
  let reason = summarize(result, note);
  const driver = windows ? WINDOWS_DRIVER_LIB : LINUX_DRIVER_LIB;
  if (missing.includes(driver)) reason += `; ${driver} is the NVIDIA driver's library (no NVIDIA driver installed?)`;
  return { ok: missing.length === 0, ...result, reason };
}
