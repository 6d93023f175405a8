// Where a run's teacher model comes from, as a model.json path: a file named in the config, or the saved
// student (or trained teacher) of another run in the same runs folder.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TeacherConfig } from '../config/types.js';
import { RunNotFoundError, RunStore } from './runStore.js';
import type { RunHandle } from './types.js';

export async function teacherModelPath(run: Pick<RunHandle, 'dir'>, teacher: TeacherConfig): Promise<string | null> {
  if (teacher.source === 'train') return null; // trained in this run: models/teacher after its phase
  if (teacher.source === 'file') return path.resolve(teacher.path);
  const store = new RunStore(path.dirname(run.dir));
  const other = await store.open(teacher.run);
  const role = teacher.role ?? 'student';
  const file = other.modelPath(role);
  try {
    await fs.access(file);
  } catch {
    throw new RunNotFoundError(`run ${teacher.run} has no saved ${role} model yet (${file}); let it finish first`);
  }
  return file;
}
