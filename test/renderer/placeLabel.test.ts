// The file browser's shortcuts follow the UI's language; a folder's own name is kept as it is.
import { afterEach, describe, expect, it } from 'vitest';
import { placeLabel } from '../../renderer/src/components/placeLabel.js';
import { locale } from '../../renderer/src/i18n/index.js';

afterEach(() => { locale.set('en', false); });

describe('placeLabel', () => {
  const dataset = { label: 'Dataset: fashion-mnist', path: '/usr/share/datasets/fashion-mnist', kind: 'dataset' } as const;
  it('words the server\'s places in Chinese and English', () => {
    locale.set('zh', false);
    expect(placeLabel(dataset)).toBe('数据集:fashion-mnist');
    expect(placeLabel({ label: 'Runs folder', path: '/r', kind: 'runs' })).toBe('运行文件夹');
    expect(placeLabel({ label: 'Home', path: '/home/u', kind: 'home' })).toBe('主文件夹');
    expect(placeLabel({ label: 'Current folder', path: '/w', kind: 'cwd' })).toBe('当前文件夹');
    locale.set('en', false);
    expect(placeLabel(dataset)).toBe('Dataset: fashion-mnist');
    expect(placeLabel({ label: 'Runs folder', path: '/r', kind: 'runs' })).toBe('Runs folder');
  });
  it('keeps a root\'s name, and the label of a place without a kind', () => {
    locale.set('zh', false);
    expect(placeLabel({ label: 'data', path: '/srv/data', kind: 'root' })).toBe('data');
    expect(placeLabel({ label: 'Home', path: '/home/u' })).toBe('Home');
  });
});
