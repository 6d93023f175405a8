// The numbers `compare` and the end-of-run summary show, read back from a run folder (status, metrics,
// environment), so a finished run, a cancelled one and one copied from another machine are treated alike.
import type { RunHandle } from '../engine.js';
import { describeModel, describeTeacher, replicateKey } from '../engine.js';

export interface RunMetrics {
  id: string; name: string; status: string; method: string; teacher: string; student: string;
  seed: number;
  /** Equal for runs that differ only in seed and name. */
  replicateKey: string;
  // Undefined where the run has not written the figure yet (read from files that may lack it).
  params?: number | undefined; multiplyAdds?: number | undefined; sizeBytes?: number | undefined;
  latencyMs?: number | undefined; bestTop1?: number | undefined; bestEpoch?: number | undefined;
  lastTop1?: number | undefined; lastEpoch?: number | undefined; agreement?: number | undefined;
  trainSeconds?: number | undefined; backend?: string | undefined;
}

type Rec = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const rec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});

/** First finite number under any of the keys in any of the sources. */
function first(sources: Rec[], ...keys: string[]): number | undefined {
  for (const s of sources) for (const k of keys) {
    const v = num(s[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

export async function runMetrics(run: RunHandle): Promise<RunMetrics> {
  const status = await run.readStatus();
  const env = rec(await run.readEnvironment());
  const student = status.results.student;
  const metrics = await run.readMetrics();
  const lastStudentEpoch = [...metrics].reverse().find((m) => m.kind === 'epoch' && m.phase === 'student');
  const agreement = lastStudentEpoch?.kind === 'epoch' ? lastStudentEpoch.test.agreement : undefined;
  // Model size and speed are written by the training loop into the environment (student section).
  const sources = [rec(env.student), rec(env.model), env];
  const backend = rec(env.backend);
  return {
    id: run.id,
    name: run.config.name,
    status: status.status,
    method: run.config.method,
    seed: run.config.seed,
    replicateKey: replicateKey(run.config),
    teacher: run.config.teacher ? describeTeacher(run.config.teacher) : '–',
    student: describeModel(run.config.student.model),
    params: first(sources, 'params'),
    multiplyAdds: first(sources, 'multiplyAdds'),
    sizeBytes: first(sources, 'sizeBytes'),
    latencyMs: first(sources, 'latencyMs'),
    bestTop1: student?.best?.top1, bestEpoch: student?.best?.epoch,
    lastTop1: student?.last?.top1, lastEpoch: student?.last?.epoch,
    agreement,
    trainSeconds: status.activeSeconds,
    backend: typeof backend.name === 'string' ? backend.name : typeof env.backend === 'string' ? env.backend : undefined,
  };
}
