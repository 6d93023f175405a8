// Advice for people, computed from results: things that are not errors but explain a disappointing run.

/** Below this margin (in top-1, 0–1) a teacher has little to teach. */
export const TEACHER_MARGIN = 0.01;

/** A warning when the teacher is barely better than (or worse than) the student, else null. */
export function teacherMarginWarning(teacherTop1: number, studentBestTop1: number): string | null {
  if (teacherTop1 - studentBestTop1 >= TEACHER_MARGIN) return null;
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  const relation = teacherTop1 < studentBestTop1 ? 'below' : teacherTop1 === studentBestTop1 ? 'equal to' : 'barely above';
  return `the teacher's test top-1 (${pct(teacherTop1)}) is ${relation} the student's best (${pct(studentBestTop1)}): there was little to transfer; a stronger teacher helps more`;
}
