// Hint pairs: which student tap learns from which teacher tap.

import type { TapInfo } from '../models/types.js';
import { StudioError } from '../errors.js';

export type { TapInfo };

export interface HintPair { student: string; teacher: string; beta?: number | undefined } // tap layer names

export interface ResolvedHintPair extends HintPair {
  studentShape: [number, number, number];
  teacherShape: [number, number, number];
  /** Whose attention map is area-averaged down to the other's H×W before the loss. */
  resized: 'none' | 'student' | 'teacher';
  note?: string;
}

export class HintPairError extends StudioError {
  constructor(message: string) { super('hints.invalid', message); this.name = 'HintPairError'; }
}

const hw = (s: [number, number, number]) => `${s[0]}×${s[1]}`;
const listTaps = (taps: TapInfo[]) => taps.map((t) => `${t.name} (${hw(t.shape)})`).join(', ') || '(none)';

/** Which side gets resized, or an error message when neither map fits inside the other. */
function resizeSide(s: [number, number, number], t: [number, number, number]): 'none' | 'student' | 'teacher' | string {
  if (s[0] === t[0] && s[1] === t[1]) return 'none';
  if (s[0] >= t[0] && s[1] >= t[1]) return 'student';
  if (t[0] >= s[0] && t[1] >= s[1]) return 'teacher';
  return `one map must be at least as large as the other in both height and width (student ${hw(s)}, teacher ${hw(t)})`;
}

function resolve(pair: HintPair, s: TapInfo, t: TapInfo): ResolvedHintPair {
  const side = resizeSide(s.shape, t.shape);
  if (side !== 'none' && side !== 'student' && side !== 'teacher') {
    throw new HintPairError(`hint pair ${s.name} ← ${t.name}: ${side}`);
  }
  const out: ResolvedHintPair = { ...pair, studentShape: [...s.shape], teacherShape: [...t.shape], resized: side };
  if (side === 'student') out.note = `student map ${hw(s.shape)} area-averaged to the teacher's ${hw(t.shape)}`;
  if (side === 'teacher') out.note = `teacher map ${hw(t.shape)} area-averaged to the student's ${hw(s.shape)}`;
  return out;
}

function checkTaps(taps: TapInfo[], who: string): void {
  if (taps.length === 0) throw new HintPairError(`the ${who} has no attention taps`);
  const seen = new Set<string>();
  for (const t of taps) {
    if (seen.has(t.name)) throw new HintPairError(`the ${who} lists tap ${t.name} twice`);
    seen.add(t.name);
    if (t.shape.length !== 3 || !t.shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new HintPairError(`the ${who}'s tap ${t.name} has an invalid shape [${t.shape.join(', ')}]`);
    }
  }
}

/**
 * Resolves the hint pairs.
 * - Explicit pairs win: every name must exist, β (if given) must be a finite number ≥ 0, and the two maps must
 *   nest (one at least as large as the other in both H and W); the larger map is resized to the smaller.
 * - Default: taps paired in order at equal resolution — each student tap, in order, takes the next teacher tap
 *   (after the previously used one) with the same H×W. Unmatched taps are left out.
 * - If no tap pairs at equal resolution but both nets have the same number of taps, they are paired in order
 *   and resized (each pair says so in `note`); otherwise the default pairing is impossible and the caller must
 *   give explicit pairs.
 */
export function pairHints(studentTaps: TapInfo[], teacherTaps: TapInfo[], explicit?: HintPair[]): ResolvedHintPair[] {
  checkTaps(studentTaps, 'student');
  checkTaps(teacherTaps, 'teacher');
  if (explicit !== undefined) return resolveExplicit(studentTaps, teacherTaps, explicit);

  const pairs: ResolvedHintPair[] = [];
  let next = 0;
  for (const s of studentTaps) {
    for (let j = next; j < teacherTaps.length; j++) {
      const t = teacherTaps[j];
      if (t.shape[0] === s.shape[0] && t.shape[1] === s.shape[1]) {
        pairs.push(resolve({ student: s.name, teacher: t.name }, s, t));
        next = j + 1;
        break;
      }
    }
  }
  if (pairs.length > 0) return pairs;

  if (studentTaps.length === teacherTaps.length) {
    return studentTaps.map((s, i) => {
      const t = teacherTaps[i];
      try {
        return resolve({ student: s.name, teacher: t.name }, s, t);
      } catch (e) {
        throw new HintPairError(`no taps share a resolution and pairing in order fails: ${(e as Error).message}`);
      }
    });
  }
  throw new HintPairError(
    `cannot pair taps by default: no student and teacher taps share a resolution and the tap counts differ ` +
    `(student: ${listTaps(studentTaps)}; teacher: ${listTaps(teacherTaps)}). Choose the hint pairs explicitly.`);
}

function resolveExplicit(studentTaps: TapInfo[], teacherTaps: TapInfo[], explicit: HintPair[]): ResolvedHintPair[] {
  if (explicit.length === 0) throw new HintPairError('the explicit hint pair list is empty; give at least one pair');
  const seen = new Set<string>();
  return explicit.map((pair) => {
    const s = studentTaps.find((t) => t.name === pair.student);
    if (!s) throw new HintPairError(`hint pair names student tap "${pair.student}", which does not exist; the student's taps are ${listTaps(studentTaps)}`);
    const t = teacherTaps.find((x) => x.name === pair.teacher);
    if (!t) throw new HintPairError(`hint pair names teacher tap "${pair.teacher}", which does not exist; the teacher's taps are ${listTaps(teacherTaps)}`);
    const key = `${pair.student}\u0000${pair.teacher}`;
    if (seen.has(key)) throw new HintPairError(`hint pair ${pair.student} ← ${pair.teacher} is listed twice`);
    seen.add(key);
    if (pair.beta !== undefined && !(Number.isFinite(pair.beta) && pair.beta >= 0)) {
      throw new HintPairError(`hint pair ${pair.student} ← ${pair.teacher}: beta must be a finite number ≥ 0, got ${pair.beta}`);
    }
    return resolve(pair, s, t);
  });
}
