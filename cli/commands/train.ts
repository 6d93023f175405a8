// `atstudio train <config.json>` and `atstudio resume <run>`: validate, pick a backend, create or open the
// run folder, hand it to core/train, show progress, and turn the outcome into an exit code.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { studioCode } from '../../core/errors.js';
import { chooseBackend } from '../backend.js';
import { EXIT_FAILURE, EXIT_OK, oneLine, UsageError } from '../errors.js';
import { interruptExitCode, type CliIO, type InterruptReason } from '../io.js';
import { resolveRunId } from '../lookup.js';
import { ProgressView, progressMode } from '../progress.js';
import { resolveRunsDir } from '../runsDir.js';
import { applyOverrides, assertRunUnlocked, createTrainControl, PathPolicy, readRunConfigFile, runTraining, RunStore, teacherRecipe, validateRunConfig, type RunHandle } from '../engine.js';
import { summaryLines } from './summary.js';
import { runMetrics } from './metrics.js';
import { seedSpreadLines } from './compare.js';
import { trainQueued } from './queued.js';
import { queueUrlFrom } from '../../core/queue/index.js';

export interface TrainFlags { epochs?: number; limit?: number; testLimit?: number; backend?: string; json?: boolean; runsDir?: string; seeds?: number; queue?: string }

/** At most this many runs from one `--seeds`: each is a whole training run. */
const MAX_SEEDS = 10;

export async function trainCommand(io: CliIO, configFile: string, flags: TrainFlags): Promise<number> {
  const file = path.resolve(io.cwd, configFile);
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const config = await readRunConfigFile(file);
  const store = new RunStore(resolveRunsDir(flags.runsDir, io.env, io.cwd));
  // --epochs/--limit/--test-limit go into the run's config.json, so that file alone says what ran.
  const resolved = applyOverrides(resolvePaths(config, path.dirname(file)), {
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    ...(flags.testLimit !== undefined ? { testLimit: flags.testLimit } : {}),
  });
  // The backend first: the checks below build models (the teacher's taps), and the first model built in a
  // process starts TF.js's default backend — wasm (priority 2, tfjs-backend-wasm dist/base.js:22) on one
  // thread, which the process then keeps.
  const queueUrl = queueUrlFrom(flags.queue, io.env);
  if (queueUrl && flags.backend) throw new UsageError('--backend with --queue: each worker picks its own (`atstudio worker --backend …`)');
  const backend = queueUrl ? null : await chooseBackend(io, flags.backend, config.backend);
  // The checks the app makes before a start (dataset and teacher exist, a teacher run is done, hint pairs
  // name real layers…): a config that cannot run leaves no run folder behind.
  const v = await validateRunConfig(resolved, { paths: new PathPolicy(undefined, store.runsDir), store, deep: true });
  if (!v.ok) throw new Error(`${file}: the run cannot start: ${v.issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`);
  const n = flags.seeds ?? 1;
  if (n > MAX_SEEDS) throw new UsageError(`--seeds ${n}: at most ${MAX_SEEDS} runs at a time`);
  if (queueUrl) {
    // Every seed's run into the queue at once; the workers train them side by side.
    const runs: RunHandle[] = [];
    for (let i = 0; i < n; i++) {
      const seed = resolved.seed + i;
      runs.push(await store.create(n === 1 ? resolved : { ...resolved, seed, name: `${resolved.name} · seed ${seed}` }));
    }
    return trainQueued(io, queueUrl, store, runs, !!flags.json);
  }
  if (!backend) throw new Error('unreachable: no backend');
  if (n === 1) return train(io, await store.create(resolved), backend, flags, false);
  // One run per seed, one after another, named after their seeds; then how much the seed alone moved them.
  const runs: RunHandle[] = [];
  for (let i = 0; i < n; i++) {
    const seed = resolved.seed + i;
    const run = await store.create({ ...resolved, seed, name: `${resolved.name} · seed ${seed}` });
    runs.push(run);
    const code = await train(io, run, backend, flags, false);
    if (code !== EXIT_OK) return code;
  }
  const metrics = await Promise.all(runs.map((r) => runMetrics(r)));
  if (flags.json) io.stdout.write(JSON.stringify({ type: 'seeds', runs: runs.map((r) => r.id), lines: seedSpreadLines(metrics) }) + '\n');
  else for (const line of seedSpreadLines(metrics)) io.stdout.write(`${line}\n`);
  return EXIT_OK;
}

export async function resumeCommand(io: CliIO, ref: string, flags: TrainFlags): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const store = new RunStore(runsDir);
  const run = await store.open(await resolveRunId(store, ref, runsDir));
  // Another process training it (the lock) is the first thing to say; runTraining checks again, atomically.
  await assertRunUnlocked(run.dir, run.id);
  const status = await run.readStatus();
  if (status.status === 'done') throw new UsageError(`run ${run.id} is already done; nothing to resume`);
  const backend = await chooseBackend(io, flags.backend, run.config.backend);
  return train(io, run, backend, flags, true);
}

async function train(io: CliIO, run: RunHandle, backend: Awaited<ReturnType<typeof chooseBackend>>,
  flags: TrainFlags, resume: boolean): Promise<number> {
  const view = new ProgressView(io, progressMode(io, !!flags.json), {
    teacher: teacherRecipe(run.config).epochs,
    student: run.config.training.epochs,
  });
  view.line(`${resume ? 'resuming' : 'run'} ${run.id} → ${run.dir}`);
  const control = createTrainControl();
  let interrupts = 0;
  let reason: InterruptReason | undefined;
  const off = io.onInterrupt((why) => {
    interrupts++;
    if (interrupts === 1) {
      // Ctrl-C, SIGTERM (a service manager, docker stop, kill), SIGHUP (the terminal went away) and a
      // closed stdout all stop the same way: between steps, so the checkpoint and status are written and
      // the run stays resumable; the exit code then says which (130, 143, 129, 141).
      reason = why;
      const what = { SIGINT: '', SIGTERM: 'SIGTERM: ', SIGHUP: 'SIGHUP: ', EPIPE: 'stdout was closed: ' }[why ?? 'SIGINT'];
      io.stderr.write(`\n${what}cancelling after the current step… (Ctrl-C again to quit at once)\n`);
      void run.log(`${why ?? 'SIGINT'}${why === 'EPIPE' ? ' (nobody reads stdout any more)' : ''}: cancelling after the current step`).catch(() => undefined);
      control.cancel();
    } else if (why !== 'EPIPE') {
      view.stopBar();
      io.exit(interruptExitCode(why));
    }
  });
  try {
    await runTraining(run, {
      onEvent: view.onEvent, control, backend, resume, ...(io.commandLine ? { invocation: `${io.commandLine} (in ${io.cwd})` } : {}),
    });
    view.stopBar();
    const status = (await run.readStatus()).status;
    if (status === 'cancelled' || view.cancelled || interrupts > 0) return interruptExitCode(reason);
    if (status === 'failed' || view.failed) {
      io.stderr.write(`atstudio: run ${run.id} failed: ${view.failed ?? 'see its log'}\n`);
      return EXIT_FAILURE;
    }
    if (view.mode !== 'json') for (const l of await summaryLines(run)) view.line(l);
    return EXIT_OK;
  } catch (err) {
    view.stopBar();
    // Refused before it touched the folder (another process trains it): not a failure of this run.
    io.stderr.write(`atstudio: ${studioCode(err) === 'run.locked' ? '' : `run ${run.id} failed: `}${oneLine(err)}\n`);
    return interrupts > 0 ? interruptExitCode(reason) : EXIT_FAILURE;
  } finally {
    off();
  }
}

/** Relative dataset and teacher paths in a config file mean "relative to that file", not to the shell. */
export function resolvePaths<T extends { data: { path: string }; teacher?: unknown }>(config: T, dir: string): T {
  const out = { ...config, data: { ...config.data, path: path.resolve(dir, config.data.path) } };
  const t = config.teacher as { source?: string; path?: string } | undefined;
  if (t?.source === 'file' && t.path) out.teacher = { ...t, path: path.resolve(dir, t.path) };
  return out;
}
