// The command tree (commander). Each action only parses flags and calls one command function; the
// command's return value is the exit code.
import { Command, Option } from 'commander';
import type { CliIO } from './io.js';
import { backendName, modelName, positiveInt, positiveIntList, shape } from './options.js';
import { trainCommand, resumeCommand } from './commands/train.js';
import { evalCommand, type EvalFlags } from './commands/eval.js';
import { runsCommand } from './commands/runs.js';
import { compareCommand } from './commands/compare.js';
import { inspectCommand } from './commands/inspect.js';
import { benchCommand } from './commands/bench.js';
import { serveCommand, type ServeFlags } from './commands/serve.js';
import { exportCommand, type ExportFlags } from './commands/export.js';
import { appVersion, gitCommit } from './engine.js';
import { studyCommand, type StudyFlags } from './commands/study.js';
import { workerCommand, type WorkerFlags } from './commands/worker.js';
import { reportCommand, type ReportFlags } from './commands/report.js';

const RUNS_DIR_HELP = 'folder of runs (default: $ATSTUDIO_RUNS_DIR, else the per-user data folder)';
const BACKEND_HELP = 'tensorflow-gpu, webgpu, tensorflow, wasm, cpu or auto (default: $ATSTUDIO_BACKEND, else auto)';

export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('atstudio')
    .description('Attention Transfer Studio: train a small student network with attention transfer from a teacher (Zagoruyko & Komodakis, ICLR 2017).')
    .version(`${appVersion()}${gitCommit() ? ` (${gitCommit()})` : ''}`, '-V, --version', 'print the version (and the git commit of a checkout)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => 100,
    });
  const act = <A extends unknown[]>(fn: (...a: A) => Promise<number>) =>
    async (...a: A) => setExit(await fn(...a));
  const runsDir = () => new Option('--runs-dir <dir>', RUNS_DIR_HELP);
  const backend = () => new Option('--backend <name>', BACKEND_HELP).argParser(backendName);
  const json = () => new Option('--json', 'one JSON object per line on stdout, logs on stderr');
  const lang = () => new Option('--lang <lang>', 'the report\'s language: en (English) or zh (简体中文)').choices(['en', 'zh']).default('en');
  const queue = () => new Option('--queue <url>', 'put the runs in a Redis queue (redis://host:port, rediss:// for TLS; default $ATSTUDIO_QUEUE) for `atstudio worker`s on any machine that sees the runs folder');

  program.command('train')
    .description('train a run from a config file (teacher first when the config says so, then the student)')
    .argument('<config>', 'run config (JSON), see examples/')
    .option('--epochs <n>', 'override the number of epochs (teacher and student); written into the run\'s config.json', positiveInt)
    .option('--limit <n>', 'use only the first N training and N test examples (a quick trial of a config)', positiveInt)
    .option('--test-limit <n>', 'use only the first N test examples (with --limit: instead of N)', positiveInt)
    .option('--seeds <n>', 'train N runs, with the config\'s seed, seed + 1, …, then print their mean ± spread', positiveInt)
    .addOption(backend()).addOption(json()).addOption(runsDir()).addOption(queue())
    .action(act((config: string, o: Record<string, never>) => trainCommand(io, config, o)));

  program.command('resume')
    .description('continue a cancelled, paused or interrupted run from its last checkpoint')
    .argument('<run>', 'run id (or a unique prefix of it, or its name)')
    .addOption(backend()).addOption(json()).addOption(runsDir())
    .action(act((run: string, o: Record<string, never>) => resumeCommand(io, run, o)));

  program.command('study')
    .description('does attention transfer help here? the teacher once, then every method × seed (× β) on the same student, one run after another, then mean ± spread per method and the difference from the baseline with its 95 % interval.  `study <config>` starts one; `study resume <id>` continues a stopped one; `study show <id>`, `study list`, `study report <id> [--out file.html]` read them back')
    .argument('<config|resume|show|list|report>', 'a study config (JSON, see examples/), or what to do with an existing study')
    .argument('[study]', 'study id (or a unique prefix, or its name) for resume, show and report')
    .option('--out <file>', 'report: where to write the HTML (default study-<id>.html)')
    .addOption(lang())
    .addOption(backend()).addOption(json()).addOption(runsDir()).addOption(queue())
    .action(act((what: string, id: string | undefined, o: StudyFlags) => studyCommand(io, what, id, o)));

  program.command('eval')
    .description("top-1, top-5 and loss of a run's student (or a model file) on a dataset's test split")
    .argument('<model>', 'run id, or a model file: TF.js model.json or ONNX .onnx')
    .requiredOption('--data <path>', 'dataset folder (CIFAR-10/100 binary, IDX, or class folders)')
    .option('--limit <n>', 'only the first N test images', positiveInt)
    .option('--batch <n>', 'batch size', positiveInt)
    .addOption(backend()).addOption(json()).addOption(runsDir())
    .action(act((model: string, o: EvalFlags) => evalCommand(io, model, o)));

  program.command('report')
    .description('one self-contained HTML report (or PDF with --pdf) of a run, or a comparison of several, in English or Chinese')
    .argument('<run...>', 'run ids (or unique prefixes, or names); two or more make a comparison')
    .option('--out <file>', 'where to write it (default report-<id>.html, or comparison.html)')
    .addOption(lang())
    .option('--pdf', 'print the report to PDF through headless Chromium')
    .addOption(json()).addOption(runsDir())
    .action(act((runs: string[], o: ReportFlags) => reportCommand(io, runs, o)));

  program.command('export')
    .description("the run's student as a TF.js model folder, an ONNX file (opset 13, NCHW), or a zip of both")
    .argument('<run>', 'run id (or a unique prefix of it, or its name)')
    .addOption(new Option('--format <format>', 'tfjs (a folder), onnx (a file) or zip (a file)').choices(['tfjs', 'onnx', 'zip']).default('tfjs'))
    .requiredOption('--out <path>', 'where to write: a folder for tfjs, a file for onnx and zip')
    .addOption(json()).addOption(runsDir())
    .action(act((run: string, o: ExportFlags) => exportCommand(io, run, o)));

  program.command('runs')
    .description('list the runs: id, name, status, method, teacher → student, top-1, duration')
    .addOption(json()).addOption(runsDir())
    .action(act((o: Record<string, never>) => runsCommand(io, o)));

  program.command('compare')
    .description('a table of metrics for two or more runs')
    .argument('<runs...>', 'two or more run ids')
    .addOption(json()).addOption(runsDir())
    .action(act((runs: string[], o: Record<string, never>) => compareCommand(io, runs, o)));

  program.command('inspect')
    .description('format, classes, counts and image shape of a dataset folder')
    .argument('<dataset>', 'dataset folder')
    .addOption(json())
    .action(act((dataset: string, o: Record<string, never>) => inspectCommand(io, dataset, o)));

  program.command('bench')
    .description('images/s of one AT training step on this machine (teacher forward, student forward+backward, SGD)')
    .option('--batch <n[,n…]>', 'batch sizes (default 64,128)', positiveIntList)
    .option('--student <model>', 'student, e.g. wrn-16-1 (default)', modelName)
    .option('--teacher <model>', 'teacher, e.g. wrn-16-2 (default)', modelName)
    .option('--input-shape <HxWxC>', 'image shape (default 32x32x3)', shape)
    .option('--steps <n>', 'timed steps (default 5)', positiveInt)
    .option('--warmup <n>', 'untimed warm-up steps (default 2)', positiveInt)
    .addOption(backend()).addOption(json())
    .action(act((o: Record<string, never>) => benchCommand(io, o)));

  program.command('serve')
    .description('serve the app and its API over HTTP + WebSocket (loopback by default, with a token; files confined to the runs folder and --root folders)')
    .option('--port <n>', 'port (default 7860)', positiveInt)
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--token <token>', 'access token (default: a random one, printed in the address to open)')
    .option('--no-token', 'no token: any local process or user could use the server (loopback only)')
    .option('--root <dir>', 'a folder the browser may open (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(runsDir()).addOption(queue())
    .action(act((o: ServeFlags) => serveCommand(io, o)));

  program.command('worker')
    .description('train runs from a Redis queue, one at a time, on this machine\'s fastest backend, in the shared runs folder; add or stop workers at any time (a stopped run continues on another worker from its checkpoint)')
    .addOption(new Option('--queue <url>', 'the queue: redis://host:port, rediss://user:password@host:port for TLS (default $ATSTUDIO_QUEUE, which keeps a password out of `ps`)'))
    .addOption(new Option('--runs-dir <dir>', 'this machine\'s mount of the shared runs folder (default: $ATSTUDIO_RUNS_DIR, else the per-user data folder)'))
    .addOption(backend()).addOption(json())
    .addOption(new Option('--lock-ms <ms>', 'how long a silent worker keeps its run before others take it over (default 30000)').argParser(positiveInt))
    .addOption(new Option('--stalled-ms <ms>', 'how often this worker looks for runs of dead workers (default 15000)').argParser(positiveInt))
    .action(act((o: WorkerFlags) => workerCommand(io, o)));

  program.addHelpText('after', `
Examples:
  atstudio inspect /usr/share/datasets/fashion-mnist
  atstudio train examples/fashion-mnist-quick.json --limit 500 --epochs 1
  atstudio study examples/fashion-mnist-study.json
  atstudio study resume <study>
  atstudio worker --queue redis://127.0.0.1:6379 --runs-dir /mnt/shared/runs
  atstudio runs
  atstudio compare <run> <run>
  atstudio eval <run> --data /usr/share/datasets/fashion-mnist
  atstudio export <run> --format onnx --out student.onnx

Exit codes: 0 success, 1 failure (bad config, bad data, failed run), 2 usage error; a run stopped at a
checkpoint (resumable) by Ctrl-C exits 130, by SIGTERM 143, by SIGHUP 129, by a closed stdout 141.`);

  return program;
}
