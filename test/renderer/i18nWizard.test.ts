// The New-run wizard in Chinese: step titles, the dataset facts and the training presets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const m = await import('./fakeApi.js');
  return { api: m.fakeApi, toUiError: m.toUiError };
});

const { default: Wizard } = await import('../../renderer/src/wizard/Wizard.svelte');
const { locale } = await import('../../renderer/src/i18n/index.js');
const { resetFakeApi } = await import('./fakeApi.js');
const { problemMessage } = await import('../../renderer/src/wizard/problems.js');

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
afterEach(() => { cleanup(); locale.set('en', false); localStorage.clear(); resetFakeApi(); });

describe('wizard in Chinese', () => {
  it('names its steps and the dataset facts in Chinese', async () => {
    locale.set('zh', false);
    render(Wizard, { props: {} });
    await screen.findByTestId('wizard-step-dataset');
    const steps = within(screen.getByRole('navigation', { name: '向导步骤' })).getAllByRole('button').map(text);
    expect(steps).toEqual(['1 数据集', '2 教师', '3 学生', '4 注意力', '5 提示组', '6 训练', '7 检查']);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('新建运行');
    expect(screen.getByLabelText('数据集路径')).toBeTruthy();
    const found = screen.getByTestId('dataset-summary');
    await waitFor(() => expect(text(found)).toMatch(/训练 60\.0K,测试 10\.0K/), { timeout: 3000 });
    expect(text(found)).toMatch('28×28 像素,灰度');
    expect(screen.getByTestId('wizard-next').textContent).toMatch('下一步');
  });

  it('words the field errors in Chinese, with the limits filled in', async () => {
    locale.set('zh', false);
    render(Wizard, { props: {} });
    await screen.findByTestId('wizard-step-dataset');
    const path = screen.getByLabelText('数据集路径');
    await fireEvent.input(path, { target: { value: '' } });
    const limit = screen.getByLabelText('训练图像(上限)');
    await fireEvent.input(limit, { target: { value: '-5' } });
    await fireEvent.click(screen.getByTestId('wizard-next'));
    expect(path.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('请选择存放数据集的文件夹(或文件)。')).toBeTruthy();
    expect(screen.getByText('请输入图像数量(整数,不小于 1),或留空以使用全部图像。')).toBeTruthy();
    expect(screen.queryByText(/Choose the folder|whole number/)).toBeNull();
  });

  it('composes a range from the limits in Chinese, and in English again after the switch back', () => {
    const lr = { field: 'training.lr', rule: 'min', limit: 0 } as const;
    locale.set('zh', false);
    expect(problemMessage(lr)).toBe('学习率须为大于 0 的数(论文取 0.1)。');
    expect(problemMessage({ field: 'student.model.depth', rule: 'oneOf', options: [18, 34] })).toBe('ResNet 的深度可选 18 或 34。');
    locale.set('en', false);
    expect(problemMessage(lr)).toBe('The learning rate is a number above 0 (0.1 in the paper).');
  });
});
