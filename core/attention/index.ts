export { type AttentionFn, DEFAULT_ATTENTION_FN, resolveAttentionFn, rawAttention } from './attentionFn.js';
export { attentionMap, normalizeMap } from './attentionMap.js';
export { l2NormalizeRows, NORMALIZE_EPS } from './normalize.js';
export { areaWeights, resizeMapArea } from './resizeMap.js';
export { type TapInfo, type HintPair, type ResolvedHintPair, HintPairError, pairHints } from './hintPairs.js';
