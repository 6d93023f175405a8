// ONNX export checked against TF.js itself: every zoo family (WRN, ResNet with both stems, NIN) with
// random weights and batch-norm statistics, run in onnxruntime-node; logits within 1e-4 of TF.js, and
// the taps, found by their layer names, within the same bound after NCHW → NHWC.
import { afterEach, beforeAll, describe, expect } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, type ModelSpec, type ZooModel } from '../../core/models/index.js';
import { modelToOnnx, OnnxExportError } from '../../core/export/onnxExport.js';
import { onnx, OPSET } from '../../core/export/onnxProto.js';
import { addGraphOutputs } from '../../core/export/onnxProto.js';
import { itWithOrt, runOnnx } from '../helpers/onnxRuntime.js';
import { randomizeWeights } from '../helpers/randomWeights.js';

beforeAll(async () => { await useBackend('cpu'); });
const made: ZooModel[] = [];
afterEach(() => { made.splice(0).forEach((z) => z.model.dispose()); });

function nchw(x: tf.Tensor4D): Float32Array {
  return tf.tidy(() => tf.transpose(x, [0, 3, 1, 2]).dataSync() as Float32Array);
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const cases: { what: string; spec: ModelSpec }[] = [
  { what: 'WRN-10-2 (pre-activation blocks, 1×1 shortcuts, symmetric stride-2 padding)', spec: { family: 'wrn', depth: 10, widen: 2, inputShape: [16, 16, 3], numClasses: 5 } },
  { what: 'ResNet-18, small stem', spec: { family: 'resnet', depth: 18, stem: 'small', inputShape: [8, 8, 3], numClasses: 4 } },
  { what: 'ResNet-18, ImageNet stem (7×7/2 conv, padded 3×3/2 max pool)', spec: { family: 'resnet', depth: 18, stem: 'imagenet', inputShape: [40, 40, 3], numClasses: 3 } },
  { what: "NIN thin ('same' max and average pools on even sizes)", spec: { family: 'nin', variant: 'thin', inputShape: [18, 18, 1], numClasses: 6 } },
];

describe('ONNX export', () => {
  for (const c of cases) {
    itWithOrt(`${c.what}: onnxruntime's logits and taps match TF.js within 1e-4`, async (ort) => {
      const z = createModel(c.spec, { seed: 3 });
      made.push(z);
      randomizeWeights(z.model, 11);
      const bytes = modelToOnnx(z.model, { metadata: { note: 'test' } });
      const [h, w, ch] = c.spec.inputShape;
      const x = tf.randomNormal([2, h, w, ch], 0, 1, 'float32', 5) as tf.Tensor4D;
      const tapped = tf.model({ inputs: z.model.inputs, outputs: [z.model.outputs[0], ...z.taps.map((t) => z.model.getLayer(t.name).output as tf.SymbolicTensor)] });
      const want = tapped.predict(x) as tf.Tensor[];
      const got = await runOnnx(ort, addGraphOutputs(bytes, z.taps.map((t) => t.name)), { data: nchw(x), dims: [2, ch, h, w] }, [z.model.outputs[0].sourceLayer.name, ...z.taps.map((t) => t.name)]);
      const logits = got[z.model.outputs[0].sourceLayer.name];
      expect(logits.dims).toEqual([2, c.spec.numClasses]);
      expect(maxAbsDiff(logits.data, want[0].dataSync())).toBeLessThanOrEqual(1e-4);
      z.taps.forEach((t, i) => {
        const g = got[t.name];
        const back = tf.tidy(() => tf.transpose(tf.tensor4d(g.data, g.dims as [number, number, number, number]), [0, 2, 3, 1]).dataSync());
        expect(maxAbsDiff(back, want[i + 1].dataSync())).toBeLessThanOrEqual(1e-4);
      });
      tf.dispose([x, ...want]);
    });
  }

  itWithOrt('writes opset 13, NCHW input with a free batch size, and the metadata given', async () => {
    const z = createModel({ family: 'wrn', depth: 10, widen: 1, inputShape: [8, 8, 3], numClasses: 2 }, { seed: 1 });
    made.push(z);
    const m = onnx.ModelProto.decode(modelToOnnx(z.model, { metadata: { 'atstudio.preprocessing': '{"x":1}' }, producerVersion: '9.9.9' }));
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', OPSET]]);
    expect(m.producerVersion).toBe('9.9.9');
    const dims = m.graph!.input![0].type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims).toEqual(['batch', 3, 8, 8]);
    expect(m.metadataProps.map((p) => [p.key, p.value])).toEqual([['atstudio.preprocessing', '{"x":1}']]);
  });

  itWithOrt('a layer type it does not cover is named in the error', async () => {
    const input = tf.input({ shape: [4, 4, 3] });
    const up = tf.layers.upSampling2d({ size: [2, 2], name: 'up' }).apply(input) as tf.SymbolicTensor;
    const y = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(up)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: y });
    expect(() => modelToOnnx(m)).toThrow(OnnxExportError);
    expect(() => modelToOnnx(m)).toThrow(/'up' is a UpSampling2D/);
    m.dispose();
  });
});
