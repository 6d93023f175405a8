// Plain-language explanations the wizard shows, written against the method as implemented (README,
// "The method, as implemented"; Zagoruyko & Komodakis, ICLR 2017).
import type { AttentionFn, Method } from '../../../core/config/types.js';
import type { StepKey } from './validate.js';
import { t, type MessageKey } from '../i18n/index.js';

/** An object whose every property reads its message in the current language (reactive where read). */
function texts<K extends string>(keys: Record<K, MessageKey>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(keys) as K[]) Object.defineProperty(out, k, { enumerable: true, get: () => t(keys[k] as never) });
  return out;
}

export const METHOD_LABELS: Record<Method, string> = texts({
  baseline: 'method.label.baseline', at: 'method.label.at', kd: 'method.label.kd', 'at+kd': 'method.label.at+kd', 'grad-at': 'method.label.grad-at',
});

export const METHOD_HELP: Record<Method, string> = texts({
  baseline: 'method.help.baseline', at: 'method.help.at', kd: 'method.help.kd', 'at+kd': 'method.help.at+kd', 'grad-at': 'method.help.grad-at',
});

export const FN_LABELS: Record<AttentionFn['kind'], string> = texts({ sum: 'fn.label.sum', 'sum-p': 'fn.label.sum-p', 'max-p': 'fn.label.max-p' });

export const FN_HELP: Record<AttentionFn['kind'], string> = texts({ sum: 'fn.help.sum', 'sum-p': 'fn.help.sum-p', 'max-p': 'fn.help.max-p' });

/** Why each step matters, one or two sentences. */
export const STEP_WHY: Record<StepKey, string> = texts({
  dataset: 'why.dataset', teacher: 'why.teacher', student: 'why.student', attention: 'why.attention',
  hints: 'why.hints', training: 'why.training', review: 'why.review',
});

/** Each step's title (validate.ts keeps STEP_TITLES in English for its messages). */
export const STEP_NAMES: Record<StepKey, string> = texts({
  dataset: 'step.dataset', teacher: 'step.teacher', student: 'step.student', attention: 'step.attention',
  hints: 'step.hints', training: 'step.training', review: 'step.review',
});
