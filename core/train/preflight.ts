// Problems a run would meet only once its models exist — a hint pair naming a layer that is not there, a
// teacher file that does not load — found before anything trains (and, from validateRunConfig, before a
// run folder is made), with the taps to choose from. Resuming cannot fix them: the config must change.
import { tf } from '../tf.js';
import type { RunConfig } from '../config/types.js';
import { createModel } from '../models/create.js';
import { loadTeacherFile } from '../models/teacher.js';
import { tapCandidates } from '../models/taps.js';
import type { TapInfo } from '../models/types.js';
import { resolveLayerName } from './networks.js';
import { StudioError, studioCode } from '../errors.js';

export interface SetupIssue { path: string; message: string }

/** A run that cannot work as configured: the message says what to change; resuming would fail the same way. */
export class RunSetupError extends StudioError {
  override name = 'RunSetupError';
  constructor(readonly issues: SetupIssue[]) {
    super('run.setup', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues[0] ? { field: issues[0].path } : {});
  }
}

const plain = (name: string) => name.replace(/^(estimate\.|student_|teacher_)/, '');

interface Tapped { model: tf.LayersModel; taps: TapInfo[] }

function layerIssue(net: Tapped, name: string, who: 'student' | 'teacher', field: string): SetupIssue | null {
  try {
    resolveLayerName(net.model, name, who);
    return null;
  } catch (err) {
    const taps = net.taps.map((t) => `${plain(t.name)} (${t.shape.join('×')})`);
    const others = tapCandidates(net.model).length;
    return { path: field, message: `${(err as Error).message}; the ${who}'s taps: ${taps.join(', ') || '(none)'} (or any of its ${others} layers with a 4-D output)` };
  }
}

/**
 * Checks a teacher file (when `teacherFile` is given) and the explicit hint pairs of an AT run against the
 * models as the engine builds them. `teacherModel`: a teacher already loaded (not disposed here).
 */
export async function preflightModels(config: RunConfig, dataShape: [number, number, number], numClasses: number,
  opts: { teacherFile?: string | null; teacherField?: string; teacher?: Tapped } = {}): Promise<SetupIssue[]> {
  const issues: SetupIssue[] = [];
  const owned: tf.LayersModel[] = [];
  try {
    let teacher = opts.teacher;
    if (!teacher && opts.teacherFile) {
      try {
        const zoo = await loadTeacherFile(opts.teacherFile);
        owned.push(zoo.model);
        teacher = zoo;
      } catch (err) {
        const msg = (err as Error).message;
        issues.push({ path: opts.teacherField ?? 'teacher.path',
          // A foreign format or an ONNX problem already says what was expected.
          message: `${msg.startsWith(opts.teacherFile) ? msg : `${opts.teacherFile}: ${msg}`}${studioCode(err) === 'model.file' ? ' (expected a TF.js LayersModel model.json with its weight files, or an ONNX model)' : ''}` });
        return issues;
      }
    }
    const pairs = config.attention.pairs;
    const usesAt = config.method === 'at' || config.method === 'at+kd';
    if (!pairs?.length || !usesAt || !config.teacher) return issues;
    const t = config.teacher;
    const teacherShape = teacher?.model.inputs[0].shape.slice(1);
    const shape = teacherShape?.length === 3 && teacherShape.every((d) => typeof d === 'number') ? (teacherShape as [number, number, number]) : dataShape;
    const build = (spec: typeof config.student.model, prefix: string): Tapped => {
      const zoo = createModel({ ...spec, inputShape: shape, numClasses } as Parameters<typeof createModel>[0], { namePrefix: prefix, zeroInit: true });
      owned.push(zoo.model);
      return zoo;
    };
    const student = build(config.student.model, 'student_');
    if (!teacher && t.source === 'train') teacher = build(t.model, 'teacher_');
    pairs.forEach((p, i) => {
      const s = layerIssue(student, p.student, 'student', `attention.pairs[${i}].student`);
      if (s) issues.push(s);
      if (teacher) {
        const te = layerIssue(teacher, p.teacher, 'teacher', `attention.pairs[${i}].teacher`);
        if (te) issues.push(te);
      }
    });
    return issues;
  } finally {
    for (const m of owned) m.dispose();
  }
}
