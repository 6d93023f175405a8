import { describe, expect, it } from 'vitest';
import { HintPairError, pairHints, type TapInfo } from '../../core/attention/index.js';

const tap = (name: string, h: number, c: number, w = h): TapInfo => ({ name, shape: [h, w, c] });
const wrn = (p: string, k: number) => [tap(`${p}g0`, 32, 16 * k), tap(`${p}g1`, 16, 32 * k), tap(`${p}g2`, 8, 64 * k)];

describe('pairHints', () => {
  it('default: WRN student and teacher pair group by group at equal resolution', () => {
    const pairs = pairHints(wrn('s_', 1), wrn('t_', 2));
    expect(pairs.map((p) => [p.student, p.teacher, p.resized])).toEqual([
      ['s_g0', 't_g0', 'none'], ['s_g1', 't_g1', 'none'], ['s_g2', 't_g2', 'none']]);
    expect(pairs[1].studentShape).toEqual([16, 16, 32]);
    expect(pairs[1].teacherShape).toEqual([16, 16, 64]);
    expect(pairs[0].beta).toBeUndefined();
  });

  it('default with different tap counts: pairs in order where resolutions match, skips the rest', () => {
    // ResNet-18-like student with 4 stages at 32, 16, 8, 4; WRN teacher at 32, 16, 8.
    const student = [tap('l1', 32, 64), tap('l2', 16, 128), tap('l3', 8, 256), tap('l4', 4, 512)];
    expect(pairHints(student, wrn('t_', 2)).map((p) => `${p.student}←${p.teacher}`)).toEqual(['l1←t_g0', 'l2←t_g1', 'l3←t_g2']);
    // Repeated resolutions pair k-th with k-th, in order.
    const s2 = [tap('a', 16, 8), tap('b', 16, 8), tap('c', 8, 8)];
    const t2 = [tap('x', 32, 8), tap('y', 16, 8), tap('z', 16, 8), tap('w', 8, 8)];
    expect(pairHints(s2, t2).map((p) => `${p.student}←${p.teacher}`)).toEqual(['a←y', 'b←z', 'c←w']);
  });

  it('default keeps order: a teacher tap before the last used one is not reused', () => {
    const s = [tap('a', 8, 4), tap('b', 16, 4)];
    const t = [tap('x', 16, 4), tap('y', 8, 4)];
    expect(pairHints(s, t).map((p) => `${p.student}←${p.teacher}`)).toEqual(['a←y']);
  });

  it('default with no shared resolution but equal counts: in order, larger map resized, with a note', () => {
    const s = [tap('s1', 16, 8), tap('s2', 8, 8)];
    const t = [tap('t1', 32, 8), tap('t2', 4, 8)];
    const pairs = pairHints(s, t);
    expect(pairs.map((p) => p.resized)).toEqual(['teacher', 'student']);
    expect(pairs[0].note).toMatch(/teacher map 32×32 area-averaged to the student's 16×16/);
    expect(pairs[1].note).toMatch(/student map 8×8 area-averaged to the teacher's 4×4/);
  });

  it('explicit pairs override the default, keep β, and resize when needed', () => {
    const pairs = pairHints(wrn('s_', 1), wrn('t_', 2), [
      { student: 's_g2', teacher: 't_g2', beta: 500 }, { student: 's_g1', teacher: 't_g0' }]);
    expect(pairs).toEqual([
      { student: 's_g2', teacher: 't_g2', beta: 500, studentShape: [8, 8, 64], teacherShape: [8, 8, 128], resized: 'none' },
      { student: 's_g1', teacher: 't_g0', studentShape: [16, 16, 32], teacherShape: [32, 32, 32], resized: 'teacher',
        note: "teacher map 32×32 area-averaged to the student's 16×16" }]);
  });

  it('clear errors for impossible pairings', () => {
    const s = wrn('s_', 1), t = wrn('t_', 1);
    expect(() => pairHints(s, t, [{ student: 'nope', teacher: 't_g0' }])).toThrow(/student tap "nope", which does not exist; the student's taps are s_g0 \(32×32\)/);
    expect(() => pairHints(s, t, [{ student: 's_g0', teacher: 'nope' }])).toThrow(/teacher tap "nope"/);
    expect(() => pairHints(s, t, [])).toThrow(/empty/);
    expect(() => pairHints(s, t, [{ student: 's_g0', teacher: 't_g0' }, { student: 's_g0', teacher: 't_g0' }])).toThrow(/twice/);
    expect(() => pairHints(s, t, [{ student: 's_g0', teacher: 't_g0', beta: -1 }])).toThrow(/beta/);
    expect(() => pairHints([tap('a', 8, 4, 16)], [tap('b', 16, 4, 8)], [{ student: 'a', teacher: 'b' }]))
      .toThrow(/at least as large as the other in both height and width \(student 8×16, teacher 16×8\)/);
    expect(() => pairHints([], t)).toThrow(/student has no attention taps/);
    expect(() => pairHints([tap('a', 7, 4), tap('b', 5, 4)], [tap('c', 6, 4)])).toThrow(/cannot pair taps by default.*explicitly/);
    expect(() => pairHints([tap('a', 8, 4, 16)], [tap('b', 16, 4, 8)])).toThrow(/pairing in order fails/);
    expect(() => pairHints([tap('a', 8, 4), tap('a', 4, 4)], t)).toThrow(/twice/);
    expect(() => pairHints(s, t, [{ student: 's_g0', teacher: 'nope' }])).toThrow(HintPairError);
  });
});
