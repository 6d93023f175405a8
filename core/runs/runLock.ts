// The run lock: one writer per run folder, across processes and across machines that share the runs
// folder. `run.lock` holds the holder's pid, host and start time; it appears atomically with its whole
// content (written to a temporary file, then hard-linked into place: link() fails with EEXIST when the
// lock exists, like O_EXCL, and a reader never sees a half-written lock). A lock left by a dead process
// on this host is stale and taken over; a live holder, or one on another host (whose processes we cannot
// see), refuses. A lock whose content cannot be read names no holder, so nothing proves it gone: it
// refuses too, and the message says how to clear it.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../errors.js';

export const RUN_LOCK_FILE = 'run.lock';

export interface RunLockHolder { pid: number; host: string; startedAt: string }

export class RunLockedError extends StudioError {
  override name = 'RunLockedError';
  constructor(readonly runId: string, readonly holder: RunLockHolder | null, message: string) {
    super('run.locked', message);
  }
}

export interface RunLock {
  readonly holder: RunLockHolder;
  /** Remove the lock if it is still ours (idempotent). */
  release(): Promise<void>;
}

export interface RunLockOptions {
  /** For tests: whether a local pid is alive, and this machine's name. */
  isAlive?: (pid: number) => boolean;
  host?: string;
  pid?: number;
  /**
   * Whether a holder on another host is gone. Without it a remote holder always refuses (we cannot see
   * its processes); a queue worker answers from the holder's heartbeat in Redis (core/queue/heartbeat.ts).
   */
  isHolderGone?: (holder: RunLockHolder) => Promise<boolean> | boolean;
}

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type LockState =
  | { state: 'free' }
  | { state: 'held'; holder: RunLockHolder; raw: string; stale: boolean }
  | { state: 'unreadable'; raw: string; reason: string };

function parseHolder(raw: string): RunLockHolder | null {
  try {
    const v = JSON.parse(raw) as Partial<RunLockHolder>;
    if (Number.isInteger(v.pid) && (v.pid as number) > 0 && typeof v.host === 'string' && v.host !== '') {
      return { pid: v.pid as number, host: v.host, startedAt: typeof v.startedAt === 'string' ? v.startedAt : '?' };
    }
  } catch {
    /* not JSON */
  }
  return null;
}

/** What the lock file of a run folder says, and whether its holder is provably gone (stale). */
export async function readRunLock(dir: string, opts: RunLockOptions = {}): Promise<LockState> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(dir, RUN_LOCK_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    throw err;
  }
  const holder = parseHolder(raw);
  if (!holder) return { state: 'unreadable', raw, reason: raw.trim() === '' ? 'it is empty' : 'it is not {"pid", "host", "startedAt"} JSON' };
  const alive = opts.isAlive ?? isProcessAlive;
  const local = holder.host === (opts.host ?? os.hostname());
  const stale = local ? !alive(holder.pid) : !!(await opts.isHolderGone?.(holder));
  return { state: 'held', holder, raw, stale };
}

function refusal(runId: string, dir: string, s: Exclude<LockState, { state: 'free' }>): RunLockedError {
  if (s.state === 'unreadable') {
    return new RunLockedError(runId, null, `run ${runId} is locked by ${path.join(dir, RUN_LOCK_FILE)}, which cannot be read (${s.reason}), so its holder cannot be proven gone; if no process trains this run, delete that file`);
  }
  const h = s.holder;
  // Another host's processes cannot be seen from here: say how to clear a lock a copied folder brought along.
  const remote = h.host !== os.hostname() ? ` (another machine: if it no longer trains this run, delete ${path.join(dir, RUN_LOCK_FILE)})` : '';
  return new RunLockedError(runId, h, `run ${runId} is being trained by pid ${h.pid} on host ${h.host} since ${h.startedAt}${remote}`);
}

/** Throws RunLockedError when another live (or remote, or unknown) process holds the run's lock. */
export async function assertRunUnlocked(dir: string, runId: string, opts: RunLockOptions = {}): Promise<void> {
  const s = await readRunLock(dir, opts);
  if (s.state === 'free' || (s.state === 'held' && s.stale)) return;
  throw refusal(runId, dir, s);
}

/** Take the run's lock, taking over a stale one; throws RunLockedError when someone else holds it. */
export async function acquireRunLock(dir: string, runId: string, opts: RunLockOptions = {}): Promise<RunLock> {
  const file = path.join(dir, RUN_LOCK_FILE);
  const holder: RunLockHolder = { pid: opts.pid ?? process.pid, host: opts.host ?? os.hostname(), startedAt: new Date().toISOString() };
  const content = JSON.stringify(holder) + '\n';
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await createExclusive(file, content)) return ownLock(file, content, holder);
    const s = await readRunLock(dir, opts);
    if (s.state === 'free') continue; // released between our try and our read
    if (s.state === 'held' && s.stale) {
      await removeIfUnchanged(file, s.raw, opts);
      continue;
    }
    throw refusal(runId, dir, s);
  }
  throw new RunLockedError(runId, null, `run ${runId}: could not take its lock ${file} (it keeps changing hands)`);
}

function ownLock(file: string, content: string, holder: RunLockHolder): RunLock {
  let released = false;
  return {
    holder,
    async release() {
      if (released) return;
      released = true;
      const now = await fs.readFile(file, 'utf8').catch(() => null);
      if (now === content) await fs.rm(file, { force: true });
    },
  };
}

/** Create `file` with `content` if it does not exist, atomically; false when it exists. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const tmp = `${path.join(path.dirname(file), `.${path.basename(file)}`)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fs.writeFile(tmp, content, { flag: 'wx' });
  try {
    await fs.link(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    // A filesystem without hard links: O_EXCL, then the content (a reader may briefly see it empty).
    try {
      await fs.writeFile(file, content, { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/**
 * Remove a stale lock, but only the one we judged stale: two processes taking over at once must not
 * remove each other's fresh lock. A short-lived breaker file (itself exclusive) serialises the takeover.
 */
async function removeIfUnchanged(file: string, raw: string, opts: RunLockOptions): Promise<void> {
  const breaker = `${file}.break`;
  const me = JSON.stringify({ pid: opts.pid ?? process.pid, host: opts.host ?? os.hostname(), startedAt: new Date().toISOString() });
  if (!(await createExclusive(breaker, me))) {
    // Someone else is taking over; if that someone died mid-way (same host, dead pid), clear its breaker.
    const other = parseHolder(await fs.readFile(breaker, 'utf8').catch(() => ''));
    if (other && other.host === (opts.host ?? os.hostname()) && !(opts.isAlive ?? isProcessAlive)(other.pid)) await fs.rm(breaker, { force: true });
    else await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await fs.readFile(file, 'utf8').catch(() => null);
    if (now === raw) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
}
