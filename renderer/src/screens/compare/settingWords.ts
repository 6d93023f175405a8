// The "settings differ" row in the UI's language: core/runs/settings.ts names settings and a few values
// in English (they also key the comparison); the names and those fixed values are worded here.
import { t, type MessageKey } from '../../i18n/index.js';

const NAMES: Record<string, Extract<MessageKey, `cmpT.set.${string}`>> = {
  dataset: 'cmpT.set.dataset', 'training images': 'cmpT.set.trainImages', 'test images': 'cmpT.set.testImages',
  augmentation: 'cmpT.set.augmentation', student: 'cmpT.set.student', teacher: 'cmpT.set.teacher', epochs: 'cmpT.set.epochs',
  batch: 'cmpT.set.batch', 'learning rate': 'cmpT.set.lr', momentum: 'cmpT.set.momentum', 'weight decay': 'cmpT.set.weightDecay',
};

const VALUES: Record<string, Extract<MessageKey, `cmpT.val.${string}`>> = { all: 'cmpT.val.all', on: 'cmpT.val.on', off: 'cmpT.val.off' };

/** A setting's name ('β' and 'KD T, α' are symbols and stay as they are). */
export function settingName(setting: string): string {
  const key = NAMES[setting];
  return key ? t(key) : setting;
}

/** A setting's value: only the fixed words are translated; numbers, paths and model names stay. */
export function settingValue(value: string): string {
  const key = VALUES[value];
  return key ? t(key) : value;
}
