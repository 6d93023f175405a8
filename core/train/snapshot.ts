// Attention snapshots: for the fixed probe images, the teacher's and the student's attention maps of every
// hint pair, in inference mode. When the two maps of a pair differ in size, both are shown at the smaller
// one (the larger raw map area-averaged, as the loss does). In the teacher phase there is no teacher yet:
// the network being trained is shown against itself (both fields hold its map) at each of its taps.
import { tf } from '../tf.js';
import { attentionMap, type AttentionFn, type ResolvedHintPair } from '../attention/index.js';
import type { AttentionEvent, AttentionPairMap, Phase } from '../events/index.js';

function outputs(model: tf.LayersModel, x: tf.Tensor4D): tf.Tensor[] {
  const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/**
 * `student` and `teacher` output [logits, ...tap activations in pair order]; `teacher` is absent in the
 * teacher phase, where `pairs` pair each tap with itself.
 */
export async function attentionSnapshot(args: {
  phase: Phase; epoch: number; probes: tf.Tensor4D; pairs: ResolvedHintPair[]; fn: AttentionFn;
  student: tf.LayersModel; teacher?: tf.LayersModel;
}): Promise<Omit<AttentionEvent, 'type'>> {
  const { probes, pairs } = args;
  const n = probes.shape[0];
  const result: AttentionPairMap[] = [];
  const maps = tf.tidy(() => {
    const s = outputs(args.student, probes);
    const t = args.teacher ? outputs(args.teacher, probes) : s;
    return pairs.map((p, j) => {
      const h = Math.min(p.studentShape[0], p.teacherShape[0]);
      const w = Math.min(p.studentShape[1], p.teacherShape[1]);
      const sm = attentionMap(s[j + 1] as tf.Tensor4D, args.fn, [h, w]);
      const tm = args.teacher ? attentionMap(t[j + 1] as tf.Tensor4D, args.fn, [h, w]) : sm;
      return { h, w, sm, tm };
    });
  });
  let values: Float32Array[];
  try {
    // Every map in one go: the reads overlap instead of waiting on the device one after another.
    values = (await Promise.all(maps.flatMap((m) => [m.sm.data(), m.tm.data()]))) as Float32Array[];
  } finally {
    tf.dispose(maps.flatMap((m) => [m.sm, m.tm]));
  }
  pairs.forEach((p, j) => {
    const { h, w } = maps[j];
    const sv = values[2 * j];
    const tv = values[2 * j + 1];
    for (let i = 0; i < n; i++) {
      result.push({
        student: p.student, teacher: p.teacher, probe: i, h, w,
        studentMap: Array.from(sv.subarray(i * h * w, (i + 1) * h * w)),
        teacherMap: Array.from(tv.subarray(i * h * w, (i + 1) * h * w)),
      });
    }
  });
  return { phase: args.phase, epoch: args.epoch, pairs: result };
}

/** The teacher phase's "pairs": each tap of the network with itself. */
export function selfPairs(taps: { name: string; shape: [number, number, number] }[]): ResolvedHintPair[] {
  return taps.map((t) => ({ student: t.name, teacher: t.name, studentShape: t.shape, teacherShape: t.shape, resized: 'none' as const }));
}
