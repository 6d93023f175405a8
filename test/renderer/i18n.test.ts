// The message catalogues: Chinese has every English key with the same named parameters (for the app and
// for the reports), templates fill and pluralise, and the language comes from ?lang=, then the kept
// choice, then the system's, and sets <html lang>.
import { afterEach, describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { zh } from '../../renderer/src/i18n/zh.js';
import { locale, t } from '../../renderer/src/i18n/index.js';
import { interpolate, placeholders } from '../../core/i18n/messages.js';
import { pickLang } from '../../core/i18n/lang.js';
import { reportEn } from '../../core/i18n/report.en.js';
import { reportZh } from '../../core/i18n/report.zh.js';
import { formatDate, formatDuration, formatRate } from '../../renderer/src/lib/format.js';

const HAN = /[\u4e00-\u9fff]/;

function sameShape(a: Record<string, string>, b: Record<string, string>): void {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  const mismatched = Object.keys(a).filter((k) => placeholders(a[k]!).join() !== placeholders(b[k]!).join());
  expect(mismatched).toEqual([]);
  const empty = Object.keys(b).filter((k) => !b[k]!.trim());
  expect(empty).toEqual([]);
}

describe('catalogues', () => {
  it('the app: zh has exactly the keys of en, each with the same parameters', () => {
    sameShape(en, zh);
    expect(Object.keys(en).length).toBeGreaterThan(500);
  });

  it('the reports: zh has exactly the keys of en, each with the same parameters', () => {
    sameShape(reportEn, reportZh);
  });

  it('is really translated: most Chinese messages hold Chinese characters', () => {
    const han = Object.values(zh).filter((v) => HAN.test(v)).length;
    // Brand names, units and formulas (Σ|A|, ResNet) may stay as they are; everything else is Chinese.
    expect(han / Object.keys(zh).length).toBeGreaterThan(0.9);
  });

  it('fills named parameters, formats numbers, and picks singular or plural in English only', () => {
    expect(interpolate('{n} of {total}', { n: 3, total: 10 }, 'en')).toBe('3 of 10');
    expect(interpolate('{n} {n#run|runs}', { n: 1 }, 'en')).toBe('1 run');
    expect(interpolate('{n} {n#run|runs}', { n: 2 }, 'en')).toBe('2 runs');
    expect(interpolate('{a}', {}, 'en')).toBe('{a}'); // a missing value shows, never "undefined"
    expect(placeholders('{n} {n#run|runs} of {total}')).toEqual(['n', 'total']);
  });
});

describe('locale', () => {
  afterEach(() => {
    localStorage.clear();
    history.replaceState(null, '', '/');
    locale.set('en', false);
  });

  it('picks the first supported language among the preferred ones', () => {
    expect(pickLang(['zh-CN', 'en'])).toBe('zh');
    expect(pickLang(['zh-Hans-SG'])).toBe('zh');
    expect(pickLang(['de-DE', 'zh_TW'])).toBe('zh');
    expect(pickLang(['fr', 'de'])).toBe('en');
    expect(pickLang([])).toBe('en');
  });

  it('?lang= wins over the kept choice and is kept; <html lang> follows', () => {
    localStorage.setItem('atstudio.lang', 'en');
    history.replaceState(null, '', '/?lang=zh');
    locale.init();
    expect(locale.current).toBe('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(localStorage.getItem('atstudio.lang')).toBe('zh');
    expect(t('app.nav.new')).toBe('新建运行');
  });

  it('without ?lang= the kept choice is used, and a switch is kept', () => {
    localStorage.setItem('atstudio.lang', 'zh');
    locale.init();
    expect(locale.current).toBe('zh');
    locale.set('en');
    expect(localStorage.getItem('atstudio.lang')).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(t('app.nav.new')).toBe('New run');
  });

  it('formats durations, rates and dates for the language', () => {
    locale.set('zh', false);
    expect(formatDuration(242)).toBe('4 分 02 秒');
    expect(formatDuration(3900)).toBe('1 小时 05 分');
    expect(formatRate(123.4)).toBe('123 张/秒');
    expect(formatDate('2026-12-06T09:30:00.000Z')).toMatch(/2026年12月6日/);
    locale.set('en', false);
    expect(formatDuration(242)).toBe('4 min 02 s');
    expect(formatDate('2026-12-06T09:30:00.000Z')).toMatch(/Dec 6, 2026/);
  });
});
