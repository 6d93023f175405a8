// A run on the command line may be named by its id, a unique prefix of the id, or its unique name.
import { UsageError } from './errors.js';
import type { RunStore } from './engine.js';

export async function resolveRunId(store: RunStore, ref: string, runsDir: string): Promise<string> {
  const { runs, problems } = await store.scan();
  // A run whose config.json or status.json cannot be read is still there: say what is wrong with it.
  const damaged = problems.find((p) => p.id === ref) ?? (problems.filter((p) => p.id.startsWith(ref)).length === 1 && !runs.some((r) => r.id.startsWith(ref))
    ? problems.find((p) => p.id.startsWith(ref)) : undefined);
  if (damaged) throw new Error(`run ${damaged.id} is damaged: ${damaged.error}`);
  const exact = runs.find((r) => r.id === ref);
  if (exact) return exact.id;
  const byPrefix = runs.filter((r) => r.id.startsWith(ref));
  if (byPrefix.length === 1) return byPrefix[0].id;
  const byName = runs.filter((r) => r.name === ref);
  if (byName.length === 1) return byName[0].id;
  const many = byPrefix.length > 1 ? byPrefix : byName;
  if (many.length > 1) {
    throw new UsageError(`"${ref}" matches ${many.length} runs (${many.slice(0, 4).map((r) => r.id).join(', ')}${many.length > 4 ? ', …' : ''}); give more of the id`);
  }
  throw new UsageError(`no run "${ref}" in ${runsDir} (see \`atstudio runs --runs-dir ${runsDir}\`)`);
}
