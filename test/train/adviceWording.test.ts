// The teacher-margin advice says where the teacher stands: "below" the student when it is worse, never
// "barely above".
import { expect, it } from 'vitest';
import { teacherMarginWarning } from '../../core/train/index.js';

it('says "below" when the teacher is worse than the student, "equal to" when level, "barely above" only when it leads', () => {
  expect(teacherMarginWarning(0.5, 0.6)).toBe(
    "the teacher's test top-1 (50.00%) is below the student's best (60.00%): there was little to transfer; a stronger teacher helps more");
  expect(teacherMarginWarning(0.6, 0.6)).toContain('is equal to the student');
  expect(teacherMarginWarning(0.605, 0.6)).toContain('is barely above the student');
});
