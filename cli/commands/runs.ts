// `atstudio runs`: every run in the runs folder as a table (or one JSON object per line).
import { table } from '../format/table.js';
import { duration, pct } from '../format/units.js';
import type { CliIO } from '../io.js';
import { resolveRunsDir } from '../runsDir.js';
import { RunStore } from '../engine.js';

export async function runsCommand(io: CliIO, flags: { json?: boolean; runsDir?: string }): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  // Folders whose config.json or status.json cannot be read are listed too, as damaged, with the reason.
  const { runs, problems } = await new RunStore(runsDir).scan();
  if (flags.json) {
    for (const r of runs) io.stdout.write(JSON.stringify(r) + '\n');
    for (const p of problems) io.stdout.write(JSON.stringify({ id: p.id, dir: p.dir, status: 'damaged', error: p.error }) + '\n');
    return 0;
  }
  if (runs.length === 0 && problems.length === 0) {
    io.stderr.write(`no runs in ${runsDir}\n`);
    return 0;
  }
  io.stdout.write(table(
    ['id', 'name', 'status', 'method', 'teacher → student', 'top-1', 'duration'],
    [...runs.map((r) => [r.id, clip(r.name, 40), r.status + (r.interrupted ? ' (interrupted)' : ''), r.method,
      `${r.teacher ?? '–'} → ${r.student}`, pct(r.best?.top1), duration(r.durationSeconds)]),
    ...problems.map((p) => [p.id, '–', 'damaged', '–', '–', '–', '–'])],
    ['left', 'left', 'left', 'left', 'left', 'right', 'right'],
  ));
  for (const p of problems) io.stderr.write(`damaged: ${p.id}: ${p.error}\n`);
  return 0;
}

/** Long run names would push the numbers off the screen; the full name is in `runs --json`. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
