// The end-of-run advice about a teacher that is barely better than its student.
import { describe, expect, it } from 'vitest';
import { teacherMarginWarning } from '../../core/train/index.js';

describe('teacherMarginWarning', () => {
  it('is silent when the teacher leads by a point or more', () => {
    expect(teacherMarginWarning(0.92, 0.91)).toBeNull();
    expect(teacherMarginWarning(0.95, 0.80)).toBeNull();
  });
  it('warns with both numbers when the lead is under a point, or the student is ahead', () => {
    expect(teacherMarginWarning(0.915, 0.91)).toBe(
      "the teacher's test top-1 (91.50%) is barely above the student's best (91.00%): there was little to transfer; a stronger teacher helps more");
    expect(teacherMarginWarning(0.5, 0.6)).toMatch(/\(50\.00%\).*\(60\.00%\)/);
  });
});
