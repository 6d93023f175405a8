// core/data: datasets read from the user's disk (CIFAR-10/100 binary, MNIST-family IDX, image folders),
// kept as uint8 and turned into normalized, optionally augmented float32 batches.
export type { DatasetFormat, DatasetInfo, Split, Dataset, Normalization, BatchOptions, LoadOptions } from './types.js';
export { DataError } from './errors.js';
export { inspectDataset } from './inspect.js';
export { loadDataset, convertSplit } from './load.js';
export { computeNormalization } from './normalization.js';
export { batches, makeBatch, batchCount, gatherBatch, normalizeBatch } from './batches.js';
export { augmentImage, drawAugmentation, reflect, AUGMENT_PAD, DRAWS_PER_EXAMPLE } from './augment.js';
export { validationIndices, subsetSplit } from './split.js';
export { FASHION_MNIST_CLASSES, DIGIT_CLASSES } from './classNames.js';
export { resizeBilinear, convertChannels, convertImage } from './resize.js';
