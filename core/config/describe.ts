// Short human names for models and runs, in the paper's notation (WRN-depth-widen, ResNet-depth).
import type { ModelFamilySpec, RunConfig, TeacherConfig, TrainingRecipe } from './types.js';

export function describeModel(m: ModelFamilySpec): string {
  switch (m.family) {
    case 'wrn':
      return `WRN-${m.depth}-${m.widen}`;
    case 'resnet':
      return `ResNet-${m.depth}`;
    case 'nin':
      return `NIN-${m.variant}`;
  }
}

export function describeTeacher(t: TeacherConfig): string {
  switch (t.source) {
    case 'train':
      return describeModel(t.model);
    case 'file': {
      const parts = t.path.split(/[\\/]/).filter(Boolean);
      // `…/teacher/model.json` says little; name the folder holding model.json instead.
      const last = parts[parts.length - 1] ?? t.path;
      return last === 'model.json' && parts.length > 1 ? parts[parts.length - 2] : last;
    }
    case 'run':
      return `run ${t.run}`;
  }
}

/** `WRN-16-1 ← WRN-16-2` (student ← teacher), or just the student when there is no teacher. */
export function describeModels(config: Pick<RunConfig, 'student' | 'teacher'>): string {
  const s = describeModel(config.student.model);
  return config.teacher ? `${s} ← ${describeTeacher(config.teacher)}` : s;
}

export function defaultRunName(config: Pick<RunConfig, 'student' | 'teacher' | 'method'>): string {
  return `${config.method} ${describeModels(config)}`;
}

/** The recipe the teacher is trained with: the run's recipe with the teacher's own overrides on top. */
export function teacherRecipe(config: RunConfig): TrainingRecipe {
  const own = config.teacher?.source === 'train' ? config.teacher.training ?? {} : {};
  // Only the fields the teacher sets: a key the schema let through as undefined keeps the student's value.
  const set = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as Partial<TrainingRecipe>;
  return { ...config.training, ...set };
}
