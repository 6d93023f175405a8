// Advice for people: things that are not errors but predict (before a run) or explain (after it) a
// disappointing result. The wizard's Review step (core/service validateRunConfig) and the run's log
// (runTraining) both read their warnings from here, so they say the same thing.

/** Below this margin (in top-1, 0–1) a teacher has little to teach. */
export const TEACHER_MARGIN = 0.01;

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/** A warning when the teacher is barely better than (or worse than) the student, else null. */
export function teacherMarginWarning(teacherTop1: number, studentBestTop1: number): string | null {
  if (teacherTop1 - studentBestTop1 >= TEACHER_MARGIN) return null;
  const relation = teacherTop1 < studentBestTop1 ? 'below' : teacherTop1 === studentBestTop1 ? 'equal to' : 'barely above';
  return `the teacher's test top-1 (${pct(teacherTop1)}) is ${relation} the student's best (${pct(studentBestTop1)}): there was little to transfer; a stronger teacher helps more`;
}

/** What is known about a teacher and its student before training; anything unknown is left out. */
export interface TeacherFacts {
  /** Whether the method transfers attention maps (at, at+kd): the family warning is about AT. */
  usesAt: boolean;
  /** `trainImages`: the training images each phase sees, when limited (data.limit, teacher.limit). */
  teacher: { name: string; family?: string; params?: number; trainImages?: number; /** test top-1 (0–1) of a teacher already trained */ top1?: number };
  student: { name: string; family: string; params?: number; trainImages?: number; /** best top-1 of a finished baseline run of this student on this data */ baselineTop1?: number };
}

/**
 * Warnings about the teacher before a run starts: a teacher from another family (for AT), and a teacher
 * that is not clearly better than the student could be — by test top-1 when both are known (a trained
 * teacher and a baseline of this student on this data), else by size when nothing was trained yet.
 */
export function teacherWarnings(f: TeacherFacts): string[] {
  const out: string[] = [];
  const { teacher: t, student: s } = f;
  if (f.usesAt && t.family && t.family !== s.family) {
    out.push(`teacher (${t.name}) and student (${s.name}) are different families: attention transfer across architectures can hurt the student ` +
      '(a published benchmark on CIFAR-100: a MobileNetV2 student reached 64.60% alone and 59.40% with AT from a VGG-13 teacher)');
  }
  if (t.top1 !== undefined && s.baselineTop1 !== undefined) {
    if (t.top1 - s.baselineTop1 < TEACHER_MARGIN) {
      out.push(`the teacher's test top-1 (${pct(t.top1)}) is not clearly above what the student reaches alone (${pct(s.baselineTop1)}, its best baseline run on this data): there is little to transfer; a stronger teacher helps more`);
    }
  } else if (t.top1 === undefined && !seesMoreImages(t.trainImages, s.trainImages) && t.params !== undefined && s.params !== undefined && t.params <= s.params) {
    // Size only when nothing was trained yet, and not for a teacher that learns from more images than the
    // student: a same-size teacher on 10× the data is clearly better (the Fashion-MNIST demo in examples/).
    out.push(`the teacher (${t.name}, ${t.params} parameters) is not larger than the student (${s.name}, ${s.params}): it is unlikely to be much better, so there is little to transfer`);
  }
  return out;
}

/** Hint pairs whose maps differ in size are resized (area-averaged): say which, as `note` of pairHints says. */
export function hintPairWarnings(pairs: readonly { student: string; teacher: string; note?: string }[]): string[] {
  return pairs.filter((p) => p.note).map((p) => `hint pair ${p.student} ← ${p.teacher} has maps of different resolutions: ${p.note}`);
}

/** Whether the teacher phase sees more training images than the student's (undefined: the whole split). */
function seesMoreImages(teacher: number | undefined, student: number | undefined): boolean {
  if (student === undefined) return false;
  return teacher === undefined || teacher > student;
}
