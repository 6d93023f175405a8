// Try it on its own: a baseline's text never mentions a teacher; the camera button only where the browser
// can give a camera, and a frame goes the same way as a chosen file.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { fakeApi, resetFakeApi } from './fakeApi.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const f = await import('./fakeApi.js');
  return { api: f.fakeApi, toUiError: f.toUiError };
});

const { default: TryIt } = await import('../../renderer/src/components/TryIt.svelte');

const nav = navigator as unknown as { mediaDevices?: unknown };
beforeEach(() => resetFakeApi());
afterEach(() => {
  cleanup();
  delete nav.mediaDevices;
  vi.restoreAllMocks();
});

const png = () => new File([new Uint8Array([137, 80, 78, 71])], 'shoe.png', { type: 'image/png' });

describe('Try it', () => {
  it('on a baseline says nothing of a teacher, before and after a prediction', async () => {
    render(TryIt, { runId: 'base', hasTeacher: false });
    const section = screen.getByTestId('try-it');
    expect(section.textContent).not.toMatch(/teacher/i);
    await fireEvent.change(screen.getByTestId('try-file'), { target: { files: [png()] } });
    await screen.findByTestId('try-student');
    expect(fakeApi.tryImage).toHaveBeenCalledWith('base', 'iVBORw==');
    expect(section.textContent).not.toMatch(/teacher/i);
    expect([...section.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label')).join(' ')).not.toMatch(/teacher/i);
  });

  it('on a run with a teacher says the teacher answers beside the student', () => {
    render(TryIt, { runId: 'at' });
    expect(screen.getByTestId('try-intro').textContent).toMatch(/the teacher beside it/);
  });

  it('offers no camera where the browser has none', () => {
    render(TryIt, { runId: 'at' });
    expect(screen.queryByTestId('try-camera')).toBeNull();
    expect(screen.getByTestId('try-intro').textContent).not.toMatch(/camera/);
  });

  it('"Use camera": asks for video only, and a frame goes to the run like a chosen PNG', async () => {
    const stop = vi.fn();
    const stream = { getTracks: () => [{ stop }] };
    const getUserMedia = vi.fn(async () => stream);
    nav.mediaDevices = { getUserMedia };
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.spyOn(HTMLVideoElement.prototype, 'videoWidth', 'get').mockReturnValue(64);
    vi.spyOn(HTMLVideoElement.prototype, 'videoHeight', 'get').mockReturnValue(48);
    const drawImage = vi.fn();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValueOnce({ drawImage } as never); // the frame's canvas; the maps' get none (setup.ts)
    vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue('data:image/png;base64,RlJBTUU=');
    render(TryIt, { runId: 'at' });
    await fireEvent.click(screen.getByTestId('try-camera'));
    expect(getUserMedia).toHaveBeenCalledWith({ video: true, audio: false });
    await screen.findByTestId('try-camera-view');
    await fireEvent.click(screen.getByTestId('try-camera-take'));
    await waitFor(() => expect(fakeApi.tryImage).toHaveBeenCalledWith('at', 'RlJBTUU='));
    expect(drawImage).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalled(); // the camera is off once the picture is taken
    expect(screen.queryByTestId('try-camera-view')).toBeNull();
    await screen.findByTestId('try-student');
  });

  it('says so plainly when the camera is refused', async () => {
    nav.mediaDevices = { getUserMedia: vi.fn(async () => { throw Object.assign(new Error('denied'), { name: 'NotAllowedError' }); }) };
    render(TryIt, { runId: 'at' });
    await fireEvent.click(screen.getByTestId('try-camera'));
    expect((await screen.findByRole('alert')).textContent).toBe('The camera was not allowed.');
    expect(fakeApi.tryImage).not.toHaveBeenCalled();
  });
});
