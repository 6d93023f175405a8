// Compile-time check that the shapes the config declares for itself (types.ts, kept import-free so the
// config can be read without loading the engine) are the ones core/models, core/attention, core/data and
// core/backend use. If either side changes, this file stops compiling. Type-only: nothing runs.
import type { ModelFamilySpec as ModelsFamily } from '../models/types.js';
import type { AttentionFn as AttentionFnOfAttention } from '../attention/attentionFn.js';
import type { HintPair as HintPairOfAttention } from '../attention/hintPairs.js';
import type { DatasetFormat as DataFormat } from '../data/types.js';
import type { BackendName as Backend } from '../backend/select.js';
import type { AttentionFn, BackendName, DatasetFormat, HintPair, ModelFamilySpec } from './types.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const configTypesMatchEngine: [
  Same<ModelFamilySpec, ModelsFamily>,
  Same<AttentionFn, AttentionFnOfAttention>,
  Same<HintPair, HintPairOfAttention>,
  Same<DatasetFormat, DataFormat>,
  Same<BackendName, Backend>,
] = [true, true, true, true, true];
