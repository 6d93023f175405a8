// ONNX in: models exported by this app come back as the same function (no onnxruntime needed for that; ResNet's padded max pool is covered by the hand-built model),
// a hand-built NCHW model with other ops (biased convs, explicit asymmetric pads, padded max pool after
// ReLU, Flatten of a 2-D map, MatMul + Add, a final Softmax, opset 11) matches onnxruntime, and bad files
// are refused by name.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { useBackend } from '../helpers/backend.js';
import { createModel, type ModelSpec } from '../../core/models/index.js';
import { modelToOnnx } from '../../core/export/onnxExport.js';
import { floatTensor, int64Tensor, node, onnx, valueInfo } from '../../core/export/onnxProto.js';
import { onnxToLayersModel } from '../../core/models/onnxImport.js';
import { loadOnnxTeacher } from '../../core/models/onnxTeacher.js';
import { loadTeacherFile } from '../../core/models/teacher.js';
import { resolveLayerName } from '../../core/train/networks.js';
import { itWithOrt, runOnnx } from '../helpers/onnxRuntime.js';
import { randomizeWeights } from '../helpers/randomWeights.js';

let dir: string;
beforeAll(async () => { await useBackend('cpu'); dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atstudio-onnx-')); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

function rand(n: number, seed: number, scale = 0.5): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => { s = (s * 1664525 + 1013904223) >>> 0; return ((s / 2 ** 32) - 0.5) * 2 * scale; });
}

/** A PyTorch-like NCHW classifier written by hand, with ops and attributes the exporter never writes. */
function handBuiltModel(): Uint8Array {
  const C = 3, H = 10, W = 10;
  const inits = [
    floatTensor('w1', [4, C, 3, 3], rand(4 * C * 9, 1)), floatTensor('b1', [4], rand(4, 2)),
    floatTensor('w2', [6, 4, 3, 3], rand(6 * 4 * 9, 3)), floatTensor('b2', [6], rand(6, 4)),
    floatTensor('fcw', [6 * 2 * 2, 5], rand(24 * 5, 5)), floatTensor('fcb', [5], rand(5, 6)),
    int64Tensor('pads', [0, 0, 1, 0, 0, 0, 0, 1]),
  ];
  const nodes = [
    node('Conv', ['images', 'w1', 'b1'], ['/features/conv1/Conv_output_0'], 'conv1', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }),
    node('Relu', ['/features/conv1/Conv_output_0'], ['/features/relu1/Relu_output_0'], 'relu1'),
    node('MaxPool', ['/features/relu1/Relu_output_0'], ['/features/pool/MaxPool_output_0'], 'pool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    node('Pad', ['/features/pool/MaxPool_output_0', 'pads'], ['padded'], 'pad', { mode: 'constant' }),
    node('Conv', ['padded', 'w2', 'b2'], ['/features/conv2/Conv_output_0'], 'conv2', { kernel_shape: [3, 3], strides: [2, 2] }),
    node('Relu', ['/features/conv2/Conv_output_0'], ['/features/relu2/Relu_output_0'], 'relu2'),
    node('Flatten', ['/features/relu2/Relu_output_0'], ['flat'], 'flatten', { axis: 1 }),
    node('MatMul', ['flat', 'fcw'], ['mm'], 'fc_mm'),
    node('Add', ['mm', 'fcb'], ['logits'], 'fc_add'),
    node('Softmax', ['logits'], ['probs'], 'softmax', { axis: 1 }),
  ];
  const graph = onnx.GraphProto.create({ name: 'tiny_torch_like', node: nodes, initializer: inits,
    input: [valueInfo('images', ['N', C, H, W])], output: [valueInfo('probs', ['N', 5])] });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 6, producerName: 'test', graph, opsetImport: [{ domain: '', version: 11 }] })).finish();
}

describe('ONNX teachers', () => {
  const specs: ModelSpec[] = [
    { family: 'wrn', depth: 10, widen: 1, inputShape: [12, 12, 3], numClasses: 4 },
    { family: 'nin', variant: 'thin', inputShape: [14, 14, 3], numClasses: 5 },
  ];
  for (const spec of specs) {
    it(`${spec.family}${'stem' in spec ? ` (${spec.stem} stem)` : ''} exported to ONNX comes back as the same function, taps included`, () => {
      const z = createModel(spec, { seed: 2 });
      randomizeWeights(z.model, 9);
      const imp = onnxToLayersModel(modelToOnnx(z.model), 'exported.onnx');
      const x = tf.randomNormal([2, ...spec.inputShape], 0, 1, 'float32', 4) as tf.Tensor4D;
      const want = z.model.predict(x) as tf.Tensor;
      const got = imp.model.predict(x) as tf.Tensor;
      expect(maxAbsDiff(got.dataSync(), want.dataSync())).toBeLessThanOrEqual(1e-4);
      for (const t of z.taps) {
        // The exporter names each 4-D tensor after its layer; the importer maps it back.
        const a = tf.model({ inputs: z.model.inputs, outputs: z.model.getLayer(t.name).output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
        const b = tf.model({ inputs: imp.model.inputs, outputs: imp.model.getLayer(imp.layerOf.get(t.name)!).output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
        expect(b.shape).toEqual(a.shape);
        expect(maxAbsDiff(b.dataSync(), a.dataSync())).toBeLessThanOrEqual(1e-4);
        tf.dispose([a, b]);
      }
      tf.dispose([x, want, got]);
      z.model.dispose();
      imp.model.dispose();
    });
  }

  itWithOrt('a hand-built NCHW model (opset 11, MatMul + Add, final Softmax) matches onnxruntime; its taps are its 4-D tensors', async (ort) => {
    const bytes = handBuiltModel();
    const file = path.join(dir, 'tiny.onnx');
    await fs.writeFile(file, bytes);
    const t = await loadTeacherFile(file);
    expect(t.source).toBe('onnx');
    expect(t.notes?.join('\n')).toMatch(/removed the final Softmax/);
    expect(t.notes?.join('\n')).toMatch(/checked against onnxruntime/);
    expect(t.model.inputs[0].shape).toEqual([null, 10, 10, 3]);
    expect(t.taps.map((x) => x.shape)).toEqual([[10, 10, 4], [5, 5, 4], [2, 2, 6]]);
    // Logits: onnxruntime's are before its Softmax; ask it for them directly.
    const x = tf.randomNormal([3, 10, 10, 3], 0, 1, 'float32', 8) as tf.Tensor4D;
    const nchw = tf.tidy(() => tf.transpose(x, [0, 3, 1, 2]).dataSync() as Float32Array);
    const m = onnx.ModelProto.decode(bytes);
    m.graph!.output!.push(onnx.ValueInfoProto.create({ name: 'logits', type: { tensorType: { elemType: 1 } } }));
    const ref = await runOnnx(ort, onnx.ModelProto.encode(m).finish(), { data: nchw, dims: [3, 3, 10, 10] }, ['logits']);
    const ours = t.model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(ours.dataSync(), ref.logits.data)).toBeLessThanOrEqual(1e-5);
    // A tap chosen by its ONNX name.
    const chosen = await loadOnnxTeacher(file, { taps: ['/features/relu1/Relu_output_0'], check: false });
    expect(chosen.taps).toEqual([{ name: 'features/relu1/Relu_output_0', shape: [10, 10, 4] }]);
    // A run config's taps and hint pairs may use the ONNX names too.
    expect(resolveLayerName(chosen.model, '/features/relu2/Relu_output_0', 'teacher')).toBe('features/relu2/Relu_output_0');
    tf.dispose([x, ours]);
    t.model.dispose();
    chosen.model.dispose();
  });

  it('a truncated file, an unsupported op and a non-image input are refused with the file and the reason', async () => {
    const bytes = handBuiltModel();
    const cut = path.join(dir, 'cut.onnx');
    await fs.writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(loadTeacherFile(cut)).rejects.toThrow(new RegExp(`${cut.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*truncated`));

    const m = onnx.ModelProto.decode(bytes);
    m.graph!.node![1].opType = 'Selu';
    const odd = path.join(dir, 'odd.onnx');
    await fs.writeFile(odd, onnx.ModelProto.encode(m).finish());
    await expect(loadTeacherFile(odd)).rejects.toThrow(/odd\.onnx: node 'relu1' \(Selu\) is an op this app cannot run/);

    const v = onnx.ModelProto.decode(bytes);
    v.graph!.input![0] = valueInfo('images', ['N', 300]);
    const flat = path.join(dir, 'flat.onnx');
    await fs.writeFile(flat, onnx.ModelProto.encode(v).finish());
    await expect(loadTeacherFile(flat)).rejects.toThrow(/flat\.onnx: its input 'images' has shape \[\?, 300\]; expected a 4-D image input/);
  });
});
