// Chained ops (`x.square().sum()`, used by tests and by users of the exported `tf`). The umbrella
// @tensorflow/tfjs registered them by importing tfjs-core's dist/public/chained_ops/register_all_chained_ops
// (tfjs/dist/index.js:21); those files are ES modules with extensionless imports, which Node cannot load, and
// tfjs-core's own Node bundle (dist/tf-core.node.js) registers none. So they are registered here the way
// those files do it, e.g. chained_ops/add.js: `prototype.add = function (b) { this.throwIfDisposed();
// return add(this, b); }`. test/package/chainedOps.test.ts checks this against all 137 files of 4.22.0.
import type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js'; // the methods' types
import * as tfc from '@tensorflow/tfjs-core';

type AnyOp = (...args: unknown[]) => unknown;

/** Methods that call the op of the same name with the tensor as its first argument. */
export const FIRST_ARGUMENT_OPS = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d',
  'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'depthwiseConv2d', 'dilation2d',
  'divNoNan', 'div', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1', 'fft', 'floor',
  'floorDiv', 'gather', 'greaterEqual', 'greater', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu',
  'lessEqual', 'less', 'localResponseNormalization', 'logSigmoid', 'logSoftmax', 'logSumExp', 'log', 'log1p',
  'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'maxPool', 'max', 'maximum', 'mean', 'min',
  'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool', 'pow',
  'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'reverse', 'rfft', 'round', 'rsqrt', 'selu',
  'separableConv2d', 'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split',
  'sqrt', 'square', 'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile',
  'topk', 'transpose', 'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

const asTensors = (x: tfc.Tensor | tfc.Tensor[]): tfc.Tensor[] => (x instanceof tfc.Tensor ? [x] : x);

/** The others, each as its file in chained_ops/ defines it. */
const SPECIAL: Record<string, (self: tfc.Tensor, ...args: never[]) => unknown> = {
  as1D: (self) => tfc.reshape(self, [self.size]),
  flatten: (self) => tfc.reshape(self, [self.size]),
  as2D: (self, ...d: number[]) => tfc.reshape(self, d.slice(0, 2)),
  as3D: (self, ...d: number[]) => tfc.reshape(self, d.slice(0, 3)),
  as4D: (self, ...d: number[]) => tfc.reshape(self, d.slice(0, 4)),
  as5D: (self, ...d: number[]) => tfc.reshape(self, d.slice(0, 5)),
  asScalar: (self) => {
    tfc.util.assert(self.size === 1, () => 'The array must have only 1 element.');
    return tfc.reshape(self, []);
  },
  reshapeAs: (self, x: tfc.Tensor) => tfc.reshape(self, x.shape),
  asType: (self, dtype: tfc.DataType) => tfc.cast(self, dtype),
  toBool: (self) => tfc.cast(self, 'bool'),
  toFloat: (self) => tfc.cast(self, 'float32'),
  toInt: (self) => tfc.cast(self, 'int32'),
  concat: (self, x: tfc.Tensor | tfc.Tensor[], axis?: number) => tfc.concat([self, ...asTensors(x)], axis),
  stack: (self, x: tfc.Tensor | tfc.Tensor[], axis?: number) => tfc.stack([self, ...asTensors(x)], axis),
  where: (self, condition: tfc.Tensor, x: tfc.Tensor) => tfc.where(condition, self, x),
  resizeBilinear: (self, ...args: never[]) => (tfc.image.resizeBilinear as AnyOp)(self, ...args),
  resizeNearestNeighbor: (self, ...args: never[]) => (tfc.image.resizeNearestNeighbor as AnyOp)(self, ...args),
};

/** Every chained-op method's name (the test compares it with tfjs-core's list). */
export const CHAINED_OPS: readonly string[] = [...FIRST_ARGUMENT_OPS, ...Object.keys(SPECIAL)];

const proto = tfc.Tensor.prototype as unknown as Record<string, unknown>;
for (const name of FIRST_ARGUMENT_OPS) {
  const op = (tfc as unknown as Record<string, AnyOp>)[name]!;
  proto[name] = function (this: tfc.Tensor, ...args: unknown[]) {
    this.throwIfDisposed();
    return op(this, ...args);
  };
}
for (const [name, fn] of Object.entries(SPECIAL)) {
  proto[name] = function (this: tfc.Tensor, ...args: never[]) {
    this.throwIfDisposed();
    return fn(this, ...args);
  };
}
