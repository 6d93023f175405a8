// The checks a teacher file gets before a run folder is made: a format the engine reads (foreign formats
// are named, with the way in), a model that loads, an input that fits the data, one output per class.
// Remembered per file while it is unchanged: the wizard validates on every change.
import { promises as fs } from 'node:fs';
import { loadTeacherFile } from '../models/teacher.js';

export interface TeacherFacts { inputShape: [number, number, number] | null; numClasses: number; source: 'tfjs' | 'onnx' }

const seen = new Map<string, { key: string; facts: TeacherFacts | null; error: string | null }>();

export async function teacherFacts(file: string, taps?: string[]): Promise<TeacherFacts> {
  const st = await fs.stat(file).catch(() => null);
  const key = `${st?.mtimeMs}:${st?.size}:${JSON.stringify(taps ?? [])}`;
  const hit = seen.get(file);
  if (hit && hit.key === key) {
    if (hit.error) throw new Error(hit.error);
    return hit.facts!;
  }
  try {
    const zoo = await loadTeacherFile(file, taps?.length ? { taps } : {});
    const s = zoo.model.inputs[0].shape.slice(1);
    const out = zoo.model.outputs[0].shape;
    const facts: TeacherFacts = {
      inputShape: s.length === 3 && s.every((d) => typeof d === 'number') ? (s as [number, number, number]) : null,
      numClasses: Number(out[out.length - 1]), source: zoo.source,
    };
    zoo.model.dispose();
    remember(file, { key, facts, error: null });
    return facts;
  } catch (err) {
    const message = (err as Error).message;
    remember(file, { key, facts: null, error: message });
    throw err;
  }
}

function remember(file: string, v: { key: string; facts: TeacherFacts | null; error: string | null }): void {
  if (seen.size > 20) seen.clear();
  seen.set(file, v);
}

/** Problems of a teacher file against the data (null when it fits). */
export async function teacherFileIssue(file: string, data: { inputShape?: [number, number, number]; numClasses?: number }, taps?: string[]): Promise<string | null> {
  let f: TeacherFacts;
  try {
    f = await teacherFacts(file, taps);
  } catch (err) {
    return (err as Error).message;
  }
  if (data.inputShape && f.inputShape && data.inputShape.join('x') !== f.inputShape.join('x')) {
    return `${file}: the teacher takes ${f.inputShape.join('×')} images (height × width × channels), but data.inputShape is ${data.inputShape.join('×')}; remove data.inputShape to convert the images to the teacher's size, or choose a teacher for ${data.inputShape.join('×')}`;
  }
  if (data.numClasses !== undefined && f.numClasses !== data.numClasses) {
    return `${file}: the teacher has ${f.numClasses} outputs (classes), but the dataset has ${data.numClasses} classes`;
  }
  return null;
}
