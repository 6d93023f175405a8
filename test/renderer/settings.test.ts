// The Settings screen: the queue in use, a connection test with its answer, saving (applies at restart),
// and serve mode's read-only view.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import type { QueueSettingsView } from '../../core/service/api.js';

const api = vi.hoisted(() => ({
  dialogs: null,
  queueSettings: vi.fn(),
  testQueue: vi.fn(),
  saveQueueSettings: vi.fn(),
  listDirectory: vi.fn(),
}));
vi.mock('../../renderer/src/lib/api.js', () => ({
  api,
  toUiError: (err: unknown) => ({ code: (err as { code?: string }).code ?? 'internal', message: (err as Error).message }),
}));

import Settings from '../../renderer/src/screens/Settings.svelte';

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
const desktop: QueueSettingsView = {
  editable: true, active: null, activeCaFile: null, source: 'none', saved: { url: null, caFile: null }, restartNeeded: false, settingsFile: '/u/queue.json',
};
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('Settings: the queue', () => {
  it('tests a URL, saves it and says it applies at the next start', async () => {
    api.queueSettings.mockResolvedValue(desktop);
    api.testQueue.mockResolvedValue({ ok: false, message: 'Cannot connect to redis://u:***@lab:6379: nothing listens there' });
    api.saveQueueSettings.mockResolvedValue({ ...desktop, saved: { url: 'redis://u:***@lab:6379', caFile: null }, restartNeeded: true });
    render(Settings);
    expect(text(await screen.findByTestId('queue-active'))).toBe('Runs now train in this app.');
    const url = screen.getByLabelText('Redis URL') as HTMLInputElement;
    const test = screen.getByRole('button', { name: 'Test connection' });
    expect(test).toBeDisabled(); // nothing to test yet
    await fireEvent.input(url, { target: { value: 'redis://u:pw@lab:6379' } });
    await fireEvent.click(test);
    expect(api.testQueue).toHaveBeenCalledWith('redis://u:pw@lab:6379', undefined);
    expect(text(await screen.findByTestId('queue-test'))).toMatch(/nothing listens there/);
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.saveQueueSettings).toHaveBeenCalledWith({ url: 'redis://u:pw@lab:6379' });
    expect(text(await screen.findByTestId('queue-restart'))).toMatch(/applies when you restart the app/);
    expect(url.value).toBe('redis://u:***@lab:6379'); // shown without the password from now on
  });

  it('a refused save is shown; the environment variable is said to decide', async () => {
    api.queueSettings.mockResolvedValue({ ...desktop, active: 'redis://e:6379', source: 'environment' });
    api.saveQueueSettings.mockRejectedValue(Object.assign(new Error('--queue ftp://x: the scheme is ftp, expected redis:// or rediss:// (TLS)'), { code: 'invalid' }));
    render(Settings);
    expect(text(await screen.findByTestId('queue-active'))).toBe('Runs now go to redis://e:6379 (from $ATSTUDIO_QUEUE).');
    expect(screen.getByTestId('queue-env')).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText('Redis URL'), { target: { value: 'ftp://x' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(text(await screen.findByRole('alert'))).toMatch(/the scheme is ftp/);
  });

  it('serve mode: the server\'s queue, read-only (no field, no buttons)', async () => {
    api.queueSettings.mockResolvedValue({ ...desktop, editable: false, active: 'redis://:***@q:6379', source: 'server', saved: null, settingsFile: null });
    render(Settings);
    expect(text(await screen.findByTestId('queue-active'))).toBe('Runs now go to redis://:***@q:6379 (the server\'s --queue).');
    expect(screen.getByTestId('queue-readonly')).toBeInTheDocument();
    expect(screen.queryByLabelText('Redis URL')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
  });
});
