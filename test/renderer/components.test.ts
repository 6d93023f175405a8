import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';

const listDirectory = vi.fn();
vi.mock('../../renderer/src/lib/api.js', () => ({
  api: { dialogs: null, listDirectory: (...a: unknown[]) => listDirectory(...a) },
  toUiError: (e: unknown) => ({ code: 'internal', message: String(e) }),
}));

import ConfusionMatrix from '../../renderer/src/components/ConfusionMatrix.svelte';
import StatusBadge from '../../renderer/src/components/StatusBadge.svelte';
import ConfirmDialog from '../../renderer/src/components/ConfirmDialog.svelte';
import AttentionMap from '../../renderer/src/components/AttentionMap.svelte';
import LineChart from '../../renderer/src/components/LineChart.svelte';
import PathField from '../../renderer/src/components/PathField.svelte';

describe('shared components', () => {
  it('ConfusionMatrix shades each row by its own fractions and keeps counts in titles', () => {
    render(ConfusionMatrix, { matrix: [[3, 1], [0, 4]], classes: ['cat', 'dog'], title: 'Run A', testid: 'cm' });
    const cells = screen.getByTestId('cm').querySelectorAll('tbody td');
    expect([...cells].map((c) => c.textContent)).toEqual(['75', '25', '', '100']);
    expect(cells[1]!.getAttribute('title')).toBe('true cat, predicted dog: 1');
    // Each cell's text colour is chosen against its own shade: the full-accent diagonal gets white, an empty cell black.
    const colors = [...cells].map((c) => [(c as HTMLElement).style.backgroundColor, (c as HTMLElement).style.color]);
    expect(colors[3]).toEqual(['rgb(47, 95, 208)', 'rgb(255, 255, 255)']);
    expect(colors[2]).toEqual(['rgb(255, 255, 255)', 'rgb(0, 0, 0)']);
  });

  it('StatusBadge carries the status as its class', () => {
    render(StatusBadge, { status: 'failed' });
    const b = screen.getByTestId('status-badge');
    expect(b).toHaveClass('badge', 'failed');
    expect(b).toHaveTextContent('failed');
  });

  it('ConfirmDialog confirms or cancels', async () => {
    const onconfirm = vi.fn();
    render(ConfirmDialog, { open: true, title: 'Delete run?', message: 'Gone for good.', confirmLabel: 'Delete', danger: true, onconfirm });
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel', hidden: true }));
    expect(onconfirm).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Delete', hidden: true }));
    expect(onconfirm).toHaveBeenCalledTimes(1);
  });

  it('AttentionMap labels itself and exposes a checksum without a canvas context', () => {
    render(AttentionMap, { map: [0.1, 0.2, 0.3, 0.4], h: 2, w: 2, label: 'teacher group0', testid: 'am' });
    const el = screen.getByTestId('am');
    expect(el).toHaveAttribute('aria-label', 'teacher group0');
    expect(el).toHaveAttribute('data-checksum', '1');
  });

  it('LineChart shows its caption, counts points and says when empty', () => {
    const { unmount } = render(LineChart, { title: 'Loss', series: [], testid: 'c1' });
    expect(screen.getByText('No data yet')).toBeInTheDocument();
    expect(screen.getByTestId('c1')).toHaveAttribute('data-points', '0');
    unmount();
    render(LineChart, { title: 'Loss', series: [{ label: 'train', points: [{ x: 1, y: 2 }, { x: 2, y: 1.5 }] }], testid: 'c2' });
    expect(screen.getByTestId('c2')).toHaveAttribute('data-points', '2');
    expect(screen.getByRole('img', { name: /Loss\. train: 1\.50/ })).toBeInTheDocument();
  });

  it('PathField in a browser opens the server folder browser and takes the chosen file', async () => {
    listDirectory.mockResolvedValue({
      path: '/data', parent: '/', places: [{ label: 'Dataset: fashion-mnist', path: '/usr/share/datasets/fashion-mnist' }],
      entries: [{ name: '.git', path: '/data/.git', kind: 'dir' }, { name: 'sub', path: '/data/sub', kind: 'dir' },
        { name: '.bashrc', path: '/data/.bashrc', kind: 'file', size: 10 }, { name: 'model.json', path: '/data/model.json', kind: 'file', size: 2048 }],
    });
    const onchange = vi.fn();
    render(PathField, { id: 'p', label: 'Teacher file', value: '', kind: 'file', onchange });
    await fireEvent.click(screen.getByRole('button', { name: 'Browse for Teacher file' }));
    const entry = await screen.findByRole('button', { name: /model\.json/, hidden: true });
    // No dotfiles; icons are drawn (svg), not emoji that show as empty boxes without an emoji font.
    expect(screen.queryByRole('button', { name: /\.git|\.bashrc/, hidden: true })).toBeNull();
    expect(entry.querySelector('svg')).toBeTruthy();
    expect(entry.textContent).not.toMatch(/[\u{1F4C1}\u{1F4C4}]/u);
    await fireEvent.click(entry);
    await waitFor(() => expect(onchange).toHaveBeenCalledWith('/data/model.json'));
    expect(screen.getByLabelText('Teacher file')).toHaveValue('/data/model.json');
  });
});
