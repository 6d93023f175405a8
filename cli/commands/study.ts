// `atstudio study <config>`: the teacher once, then every method × β × seed on the same student, one run
// after another, then the table and one sentence per method. `study resume <id>` continues a stopped or
// crashed study (finished runs kept, an interrupted one from its checkpoint); `study show <id>`,
// `study list` and `study report <id> --out file.html` read one back.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chooseBackend } from '../backend.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import { table } from '../format/table.js';
import { duration } from '../format/units.js';
import type { CliIO } from '../io.js';
import { ProgressView, progressMode } from '../progress.js';
import { resolveRunsDir } from '../runsDir.js';
import {
  checkStudy, createTrainControl, PathPolicy, readStudyConfigFile, renderStudyReport, RunStore, runStudy, runTraining, StudyStore,
  studyView, studiesActiveInProcess, teacherRecipe, percent, points, type RunOutcome, type StudyEvent, type StudyRecord, type StudyView, type TrainControl,
} from '../engine.js';
import { resolvePaths } from './train.js';
import { atomicWrite } from '../../core/io/atomicWrite.js';
import { queueUrlFrom, type RemoteRunQueue } from '../../core/queue/index.js';
import { openQueue, queuedStudyDriver } from './queued.js';

export interface StudyFlags { backend?: string; json?: boolean; runsDir?: string; out?: string; queue?: string; lang?: 'en' | 'zh' }

export async function studyCommand(io: CliIO, what: string, ref: string | undefined, flags: StudyFlags): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const store = new RunStore(runsDir);
  const studies = new StudyStore(runsDir);
  const queueUrl = queueUrlFrom(flags.queue, io.env);
  switch (what) {
    case 'list':
      return listStudies(io, store, studies, flags);
    case 'show':
    case 'resume':
    case 'report': {
      if (!ref) throw new UsageError(`study ${what} needs a study id (see \`atstudio study list\`)`);
      const id = await resolveStudyId(studies, ref, runsDir);
      if (what === 'show') return show(io, await studyView(store, await studies.open(id)), flags);
      if (what === 'report') return report(io, await studyView(store, await studies.open(id)), flags);
      const record = await studies.open(id);
      if (record.status === 'done') throw new UsageError(`study ${id} is already done; nothing to resume (\`atstudio study show ${id}\`)`);
      if (record.status === 'running' && !StudyStore.interrupted(record, studiesActiveInProcess)) {
        throw new UsageError(`study ${id} is running in another process (pid ${record.pid}); stop it there first`);
      }
      if (queueUrl) return driveQueued(io, store, studies, id, queueUrl, flags);
      return drive(io, store, studies, id, record.config.base.backend, flags);
    }
    default:
      return start(io, store, studies, what, flags, queueUrl);
  }
}

async function start(io: CliIO, store: RunStore, studies: StudyStore, configFile: string, flags: StudyFlags, queueUrl?: string): Promise<number> {
  if (flags.out) throw new UsageError('--out belongs to `atstudio study report <id>`');
  const file = path.resolve(io.cwd, configFile);
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const parsed = await readStudyConfigFile(file);
  const config = { ...parsed, base: resolvePaths(parsed.base, path.dirname(file)) };
  // The backend before the checks: they build models, and the first model built in a process starts TF.js's
  // default backend (wasm on one thread), which the process then keeps (as `atstudio train` does).
  if (queueUrl && flags.backend) throw new UsageError('--backend with --queue: each worker picks its own (`atstudio worker --backend …`)');
  const backend = queueUrl ? undefined : await chooseBackend(io, flags.backend, parsed.base.backend);
  // Everything that could stop a run is checked before the study makes any folder.
  const check = await checkStudy(config, { paths: new PathPolicy(undefined, store.runsDir), store });
  if (check.issues.length) throw new Error(`${file}: the study cannot start: ${check.issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`);
  for (const w of check.warnings) io.stderr.write(`warning: ${w}\n`);
  if (queueUrl) {
    // The workers train it, each on its own machine's backend.
    const q = await openQueue(io, queueUrl, store); // a wrong URL fails before any folder is made
    return driveQueued(io, store, studies, (await studies.create(config)).id, queueUrl, flags, q);
  }
  const record = await studies.create(config);
  return drive(io, store, studies, record.id, config.base.backend, flags, backend);
}

async function drive(io: CliIO, store: RunStore, studies: StudyStore, id: string, configBackend: string, flags: StudyFlags,
  chosen?: Awaited<ReturnType<typeof chooseBackend>>): Promise<number> {
  const backend = chosen ?? (await chooseBackend(io, flags.backend, configBackend as never));
  const mode = progressMode(io, !!flags.json);
  const say = (text: string) => (mode === 'json' ? io.stderr.write(text + '\n') : io.stdout.write(text + '\n'));
  say(`study ${id} → ${studies.file(id)}`);

  // Time left in the whole study: the current run's ETA plus the remaining runs at the pace of those done.
  const doneSeconds: number[] = [];
  let runStarted = 0;
  let step: { index: number; total: number } = { index: 0, total: 0 };
  const studyEta = (runEta: number) => {
    const elapsed = (performance.now() - runStarted) / 1000;
    const perRun = doneSeconds.length ? doneSeconds.reduce((a, v) => a + v, 0) / doneSeconds.length : elapsed + runEta;
    return runEta + (step.total - step.index) * perRun;
  };

  let control: TrainControl | null = null;
  let interrupts = 0;
  const off = io.onInterrupt(() => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nstopping the study after the current step… finished runs are kept; `atstudio study resume` continues (Ctrl-C again to quit at once)\n');
      control?.cancel();
    } else io.exit(EXIT_INTERRUPTED);
  });
  try {
    const record = await runStudy(store, studies, id, {
      stopRequested: () => interrupts > 0,
      onEvent: (e: StudyEvent) => {
        if (mode === 'json') io.stdout.write(JSON.stringify(e) + '\n');
        else if (e.type === 'study-run') say(`\n── study run ${e.index}/${e.total}: ${e.label}${e.resume ? ' (continuing from its checkpoint)' : ''} — run ${e.runId}`);
        else if (e.type === 'study-skip') say(`── study run ${e.index}/${e.total}: ${e.label} — already done (${e.runId})`);
      },
      execute: async (run, s): Promise<RunOutcome> => {
        step = s;
        runStarted = performance.now();
        control = createTrainControl();
        if (interrupts > 0) control.cancel();
        const view = new ProgressView(io, mode, { teacher: teacherRecipe(run.config).epochs, student: run.config.training.epochs },
          (ev) => `run ${s.index}/${s.total} · study ${duration(studyEta(ev.etaSeconds))} left | `);
        try {
          await runTraining(run, { onEvent: view.onEvent, control, backend, resume: s.resume });
        } finally {
          view.stopBar();
        }
        const st = (await run.readStatus()).status;
        if (st === 'done') {
          if (s.role === 'run') doneSeconds.push((performance.now() - runStarted) / 1000);
          const r = (await run.readStatus()).results.student;
          say(`   ${s.label}: final top-1 ${r?.last ? percent(r.last.top1) : '–'}, best ${r?.best ? percent(r.best.top1) : '–'}; about ${duration(studyEta(0) - 0)} left in the study`);
          return 'done';
        }
        if (st === 'cancelled' || view.cancelled) return 'cancelled';
        io.stderr.write(`atstudio: run ${run.id} failed: ${view.failed ?? 'see its log'}\n`);
        return 'failed';
      },
    });
    return await endStudy(io, store, record, { json: mode === 'json', stopped: interrupts > 0, sayStopped: true });
  } finally {
    off();
  }
}

/** study --queue: the same record and table; the runs train on the queue's workers, side by side. */
async function driveQueued(io: CliIO, store: RunStore, studies: StudyStore, id: string, url: string, flags: StudyFlags,
  opened?: RemoteRunQueue): Promise<number> {
  const q = opened ?? (await openQueue(io, url, store));
  const stop = { requested: false };
  const driver = queuedStudyDriver(io, q, !!flags.json, stop);
  (flags.json ? io.stderr : io.stdout).write(`study ${id} → ${studies.file(id)} (runs queued on ${q.shown})\n`);
  const off = io.onInterrupt(() => {
    if (stop.requested) return io.exit(EXIT_INTERRUPTED);
    stop.requested = true;
    io.stderr.write('\nstopping the study: its runs in the queue are cancelled (at a checkpoint, resumable); `atstudio study resume` continues\n');
    for (const runId of driver.active) void q.control(runId, 'cancel').catch(() => undefined);
  });
  try {
    const record = await runStudy(store, studies, id, driver);
    // The interrupt handler already said how the queued runs stop.
    return await endStudy(io, store, record, { json: !!flags.json, stopped: stop.requested, sayStopped: false });
  } finally {
    off();
    driver.offEvents();
    await q.close();
  }
}

/** The end of a study, local or queued: its table (or JSON results), then the exit code its record gives. */
async function endStudy(io: CliIO, store: RunStore, record: StudyRecord, o: { json: boolean; stopped: boolean; sayStopped: boolean }): Promise<number> {
  const view = await studyView(store, record);
  if (o.json) io.stdout.write(JSON.stringify({ type: 'study-results', study: view }) + '\n');
  else {
    io.stdout.write('\n');
    printStudy(io, view);
  }
  if (record.status === 'cancelled' || o.stopped) {
    if (o.sayStopped) io.stderr.write(`study ${record.id} stopped: ${view.finished} of ${view.total} runs finished and kept; continue with \`atstudio study resume ${record.id}\`\n`);
    return EXIT_INTERRUPTED;
  }
  if (record.status === 'failed') {
    io.stderr.write(`atstudio: study ${record.id}: ${record.error ?? 'failed'}\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

/** The table and the sentences. */
export function printStudy(io: CliIO, v: StudyView): void {
  const ms = (s?: { mean: number; sd: number; n: number }) => (s ? `${percent(s.mean)}${s.n > 1 ? ` ± ${points(s.sd)}` : ''}` : '–');
  const diff = (d?: { mean: number; low?: number; high?: number }) =>
    (d ? `${points(d.mean, true)}${d.low !== undefined && d.high !== undefined ? ` (${points(d.low)} to ${points(d.high)})` : ' (one seed)'}` : '');
  io.stdout.write(`${v.name} — study ${v.id}: ${v.status}${v.interrupted ? ' (interrupted)' : ''}, ${v.finished}/${v.total} runs done\n`);
  if (v.teacher) io.stdout.write(`teacher (trained once, run ${v.teacher.runId ?? '–'}): ${v.teacher.status}, final top-1 ${v.teacher.lastTop1 !== undefined ? percent(v.teacher.lastTop1) : '–'}\n`);
  io.stdout.write('\n');
  io.stdout.write(table(['method', 'runs', 'best top-1', 'final top-1', 'Δ final vs baseline (95 % CI), points'],
    v.results.rows.map((r) => [r.label, `${r.done}/${r.planned}`, ms(r.best), ms(r.last), r.method === 'baseline' ? '' : diff(r.diffLast)]),
    ['left', 'right', 'right', 'right', 'left']));
  io.stdout.write('\n');
  for (const r of v.results.rows) io.stdout.write(`${r.sentence}\n`);
}

async function show(io: CliIO, v: StudyView, flags: StudyFlags): Promise<number> {
  if (flags.json) io.stdout.write(JSON.stringify(v) + '\n');
  else printStudy(io, v);
  return EXIT_OK;
}

async function report(io: CliIO, v: StudyView, flags: StudyFlags): Promise<number> {
  const out = path.resolve(io.cwd, flags.out ?? `study-${v.id}.html`);
  await atomicWrite(out, renderStudyReport(v, { lang: flags.lang ?? 'en' }));
  io.stdout.write(`${out}\n`);
  return EXIT_OK;
}

async function listStudies(io: CliIO, store: RunStore, studies: StudyStore, flags: StudyFlags): Promise<number> {
  const views: StudyView[] = [];
  for (const r of await studies.list()) views.push(await studyView(store, r));
  if (flags.json) {
    for (const v of views) io.stdout.write(JSON.stringify({ id: v.id, name: v.name, status: v.status, finished: v.finished, total: v.total }) + '\n');
    return EXIT_OK;
  }
  if (views.length === 0) io.stdout.write(`no studies in ${store.runsDir}\n`);
  else io.stdout.write(table(['id', 'name', 'status', 'runs'], views.map((v) => [v.id, v.name, v.status, `${v.finished}/${v.total}`])));
  return EXIT_OK;
}

async function resolveStudyId(studies: StudyStore, ref: string, runsDir: string): Promise<string> {
  const all = await studies.list();
  const exact = all.find((s) => s.id === ref);
  if (exact) return exact.id;
  const hits = all.filter((s) => s.id.startsWith(ref) || s.name === ref);
  if (hits.length === 1) return hits[0].id;
  if (hits.length > 1) throw new UsageError(`"${ref}" matches ${hits.length} studies (${hits.slice(0, 4).map((s) => s.id).join(', ')}); give more of the id`);
  throw new UsageError(`no study "${ref}" in ${runsDir} (see \`atstudio study list --runs-dir ${runsDir}\`)`);
}
