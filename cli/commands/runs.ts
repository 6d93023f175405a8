// `atstudio runs`: every run in the runs folder as a table (or one JSON object per line).
import { table } from '../format/table.js';
import { duration, pct } from '../format/units.js';
import type { CliIO } from '../io.js';
import { resolveRunsDir } from '../runsDir.js';
import { RunStore } from '../engine.js';

export async function runsCommand(io: CliIO, flags: { json?: boolean; runsDir?: string }): Promise<number> {
  const runsDir = resolveRunsDir(flags.runsDir, io.env, io.cwd);
  const runs = await new RunStore(runsDir).list();
  if (flags.json) {
    for (const r of runs) io.stdout.write(JSON.stringify(r) + '\n');
    return 0;
  }
  if (runs.length === 0) {
    io.stderr.write(`no runs in ${runsDir}\n`);
    return 0;
  }
  io.stdout.write(table(
    ['id', 'name', 'status', 'method', 'teacher → student', 'top-1', 'duration'],
    runs.map((r) => [r.id, clip(r.name, 40), r.status + (r.interrupted ? ' (interrupted)' : ''), r.method,
      `${r.teacher ?? '–'} → ${r.student}`, pct(r.best?.top1), duration(r.durationSeconds)]),
    ['left', 'left', 'left', 'left', 'left', 'right', 'right'],
  ));
  return 0;
}

/** Long run names would push the numbers off the screen; the full name is in `runs --json`. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
