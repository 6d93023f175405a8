// The New-run wizard against a fake engine: estimates shown, Next refused on bad input, engine issues
// mapped back to their step, Start sending the draft, and "Duplicate" loading another run's config.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { fakeApi, resetFakeApi, FASHION, DONE_RUN, defaultConfig } from './fakeApi.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const m = await import('./fakeApi.js');
  return { api: m.fakeApi, toUiError: m.toUiError };
});

import Wizard from '../../renderer/src/wizard/Wizard.svelte';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { notices } from '../../renderer/src/lib/notices.svelte.js';
import { formatCount, formatRatio } from '../../renderer/src/lib/format.js';

/** An element's text, whitespace collapsed (no jest-dom here). */
const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
const value = (el: Element) => (el as HTMLInputElement | HTMLSelectElement).value;
const step = (key: string) => screen.getByTestId(`wizard-step-${key}`);
const next = () => fireEvent.click(screen.getByTestId('wizard-next'));
/** A button of the step list, by the step's title. */
const navButton = (title: string) =>
  within(screen.getByRole('navigation', { name: 'Wizard steps' })).getByRole('button', { name: new RegExp(`^${title}`) });

/** Render and wait until the defaults are in and the suggested dataset has been read. */
async function open(props: { from?: string } = {}) {
  const r = render(Wizard, { props });
  await screen.findByTestId('wizard-step-dataset');
  return r;
}

async function datasetReady() {
  await waitFor(() => expect(within(screen.getByTestId('dataset-summary')).getByText(/28×28×1/)).toBeTruthy(), { timeout: 3000 });
}

/** Next until the step `key` is showing. */
async function goTo(key: string) {
  for (let i = 0; i < 7 && !screen.queryByTestId(`wizard-step-${key}`); i++) {
    await next();
    await new Promise((r) => setTimeout(r, 0));
  }
  expect(step(key)).toBeTruthy();
}

// jsdom's Blob has no text(); browsers and Electron do.
if (!Blob.prototype.text) {
  Blob.prototype.text = function (this: Blob) {
    return new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(r.error);
      r.readAsText(this);
    });
  };
}

beforeEach(() => {
  localStorage.clear();
  resetFakeApi();
  location.hash = '#/new';
});
afterEach(() => {
  cleanup();
  for (const n of notices.list) notices.dismiss(n.id);
});

describe('wizard', () => {
  it('suggests Fashion-MNIST and shows what the engine found in it', async () => {
    await open();
    expect(value(screen.getByLabelText('Dataset path'))).toBe(String(FASHION));
    await datasetReady();
    const summary = screen.getByTestId('dataset-summary');
    expect(text(summary)).toMatch('IDX');
    expect(text(summary)).toMatch('10: T-shirt/top, Trouser');
    expect(text(summary)).toMatch(`${formatCount(60000)} training, ${formatCount(10000)} test`);
    expect(within(screen.getByTestId('dataset-samples')).getAllByRole('img')).toHaveLength(10);
    expect(fakeApi.inspectDataset).toHaveBeenLastCalledWith(FASHION, 'auto');
  });

  it('refuses Next on invalid input with inline errors, aria-invalid and focus', async () => {
    await open();
    const path = screen.getByLabelText('Dataset path');
    await fireEvent.input(path, { target: { value: '' } });
    const limit = screen.getByLabelText('Training images (limit)');
    await fireEvent.input(limit, { target: { value: '-5' } });
    await next();
    expect(step('dataset')).toBeTruthy();
    expect(path.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Choose the folder (or file) that holds your dataset.')).toBeTruthy();
    expect(limit.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/whole number of images, 1 or more/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(path));

    // A path the engine cannot read: its message, under the field.
    await fireEvent.input(path, { target: { value: '/nope' } });
    await fireEvent.input(limit, { target: { value: '500' } });
    await waitFor(() => expect(screen.getAllByText(/no dataset found in \/nope/).length).toBeGreaterThan(0), { timeout: 3000 });
    await next();
    expect(step('dataset')).toBeTruthy();
    expect(limit.getAttribute('aria-invalid')).toBe(null);

    // Fixed: Next works and the step list marks the new step.
    await fireEvent.input(path, { target: { value: FASHION } });
    await datasetReady();
    await next();
    expect(step('teacher')).toBeTruthy();
    expect(navButton('Teacher').getAttribute('aria-current')).toBe('step');
  });

  it('a bad depth is shown as soon as the field is left, before Next', async () => {
    await open();
    await datasetReady();
    await goTo('student');
    const depth = screen.getByLabelText('Student depth');
    await fireEvent.input(depth, { target: { value: '12' } });
    expect(depth.getAttribute('aria-invalid')).toBeNull(); // not while typing
    await fireEvent.change(depth, { target: { value: '12' } });
    expect(depth.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/6n\+4: 10, 16, 22, 28, 34, 40, … \(12 is not\)/)).toBeTruthy();
    // Other fields of the step are not judged yet.
    expect(screen.getByLabelText('Student width').getAttribute('aria-invalid')).toBeNull();
  });

  it('a bad teacher depth blocks the Teacher step', async () => {
    await open();
    await datasetReady();
    await goTo('teacher');
    const depth = screen.getByLabelText('Teacher depth');
    await fireEvent.input(depth, { target: { value: '12' } });
    await next();
    expect(step('teacher')).toBeTruthy();
    expect(depth.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/6n\+4: 10, 16, 22, 28, 34, 40, … \(12 is not\)/)).toBeTruthy();
  });

  it('shows parameters, multiply-adds and the compression ratio from the estimates', async () => {
    await open();
    await datasetReady();
    await goTo('teacher');
    const teacher = screen.getByTestId('teacher-estimate');
    await waitFor(() => expect(text(teacher)).toMatch('WRN-16-2'), { timeout: 3000 });
    expect(text(teacher)).toMatch(formatCount(691_674));
    // Built for the dataset's images (28×28 grey, 10 classes): its taps have their resolutions.
    await waitFor(() => expect(fakeApi.estimateModel).toHaveBeenCalledWith({ model: { family: 'wrn', depth: 16, widen: 2 }, inputShape: [28, 28, 1], numClasses: 10 }));
    await waitFor(() => expect(text(teacher)).toMatch('28×28, 32 channels'));
    await goTo('student');
    const student = screen.getByTestId('student-estimate');
    await waitFor(() => expect(text(student)).toMatch('WRN-16-1'), { timeout: 3000 });
    expect(text(student.querySelector('[data-field="params"]')!)).toBe(formatCount(175_066));
    expect(text(screen.getByTestId('compression-ratio'))).toMatch(`${formatRatio(691_674 / 175_066)} fewer parameters`);

    // A wider student: new estimate, new ratio.
    await fireEvent.input(screen.getByLabelText('Student width'), { target: { value: '2' } });
    await waitFor(() => expect(text(student.querySelector('[data-field="params"]')!)).toBe(formatCount(691_674)), { timeout: 3000 });
    expect(text(screen.getByTestId('compression-ratio'))).toMatch('about as many parameters as the teacher');
    expect(text(screen.getByTestId('compression-ratio'))).toMatch(/not larger than the student/);
    // A student larger than its teacher: "more", never "0.3× fewer".
    await fireEvent.input(screen.getByLabelText('Student width'), { target: { value: '4' } });
    await waitFor(() => expect(text(screen.getByTestId('compression-ratio'))).toMatch(/× more parameters than the teacher/), { timeout: 3000 });
    expect(text(screen.getByTestId('compression-ratio'))).not.toMatch('fewer');
  });

  it('previews the teacher\'s attention and says when the teacher is untrained', async () => {
    await open();
    await datasetReady();
    await goTo('attention');
    const preview = screen.getByTestId('attention-preview');
    await waitFor(() => expect(text(preview)).toMatch(/Untrained teacher/), { timeout: 3000 });
    expect(fakeApi.previewAttention).toHaveBeenLastCalledWith({
      data: { path: FASHION, format: 'auto' }, teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } }, fn: { kind: 'sum-p', p: 2 }, sample: 0,
    });
    await fireEvent.change(screen.getByLabelText('Attention function'), { target: { value: 'max-p' } });
    await waitFor(() => expect(fakeApi.previewAttention).toHaveBeenLastCalledWith(expect.objectContaining({ fn: { kind: 'max-p', p: 2 } })), { timeout: 3000 });
    // A bad p is refused before Next.
    const p = screen.getByLabelText('p');
    // 0.5 is refused: the engine's limit (MIN_ATTENTION_P = 1), shown as the field's minimum and in its message.
    expect(p.getAttribute('min')).toBe('1');
    await fireEvent.input(p, { target: { value: '0.5' } });
    await next();
    expect(p.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/^p is a number, 1 or more \(the paper uses 2\)/)).toBeTruthy();
  });

  it('draws the automatic hint pairs and lets the user change them', async () => {
    await open();
    await datasetReady();
    await goTo('hints');
    const hints = await screen.findByTestId('hint-pairs', {}, { timeout: 3000 });
    await waitFor(() => expect(hints.querySelectorAll('path.link')).toHaveLength(3), { timeout: 3000 });
    expect(screen.getByText('Automatic pairing')).toBeTruthy();
    const sel = screen.getByLabelText('Teacher tap for group0');
    expect(value(sel)).toBe('group0');
    await fireEvent.change(sel, { target: { value: 'group1' } });
    await waitFor(() => expect(screen.getByText(/resolutions differ|area-averaged/)).toBeTruthy(), { timeout: 3000 });
    expect(screen.getByText('Your pairing')).toBeTruthy();
    await fireEvent.change(screen.getByLabelText('Teacher tap for group1'), { target: { value: '' } });
    await waitFor(() => expect(hints.querySelectorAll('path.link')).toHaveLength(2));
    expect(fakeApi.proposeHintPairs).toHaveBeenLastCalledWith(expect.any(Array), expect.any(Array), [
      { student: 'group0', teacher: 'group1' }, { student: 'group2', teacher: 'group2' },
    ]);
  });

  it('gives one hint pair its own β and refuses a negative one', async () => {
    await open();
    await datasetReady();
    await goTo('hints');
    const hints = await screen.findByTestId('hint-pairs', {}, { timeout: 3000 });
    await waitFor(() => expect(hints.querySelectorAll('path.link')).toHaveLength(3), { timeout: 3000 });
    await fireEvent.change(screen.getByLabelText("β for group1 (empty: the run's β)"), { target: { value: '500' } });
    await waitFor(() => expect(fakeApi.proposeHintPairs).toHaveBeenLastCalledWith(expect.any(Array), expect.any(Array), [
      { student: 'group0', teacher: 'group0' }, { student: 'group1', teacher: 'group1', beta: 500 }, { student: 'group2', teacher: 'group2' },
    ]), { timeout: 3000 });
    await fireEvent.change(screen.getByLabelText("β for group1 (empty: the run's β)"), { target: { value: '-1' } });
    await next();
    await waitFor(() => expect(screen.getByText(/A pair's β must be a number, 0 or more/)).toBeTruthy());
  });

  it('lists the backends and why some are unavailable', async () => {
    await open();
    await datasetReady();
    await goTo('training');
    const backend = screen.getByLabelText('Backend') as HTMLSelectElement;
    const tf = within(backend).getByRole('option', { name: /^tensorflow \(not available\)/ }) as HTMLOptionElement;
    expect(tf.disabled).toBe(true);
    expect(screen.getByText(/@tensorflow\/tfjs-node is not installed/)).toBeTruthy();
    // webgpu names its GPU adapter, and says when it is only an emulation.
    const gpu = within(backend).getByRole('option', { name: 'webgpu (SwiftShader driver 5.0.0, software)' }) as HTMLOptionElement;
    expect(gpu.disabled).toBe(false);
    expect(screen.getByText(/Automatic never picks it/)).toBeTruthy();
  });

  it('Start validates, calls startRun with the draft and opens the run', async () => {
    const go = vi.spyOn(router, 'go');
    await open();
    await datasetReady();
    await fireEvent.input(screen.getByLabelText('Training images (limit)'), { target: { value: '500' } });
    await fireEvent.input(screen.getByLabelText('Test images'), { target: { value: '200' } });
    await goTo('training');
    await fireEvent.input(screen.getByLabelText('Epochs'), { target: { value: '3' } });
    await fireEvent.input(screen.getByLabelText('Run name'), { target: { value: 'quick try' } });
    await goTo('review');
    const duration = screen.getByTestId('duration-estimate');
    await waitFor(() => expect(text(duration)).toMatch('measured'), { timeout: 3000 });
    expect(text(screen.getByTestId('review-summary'))).toMatch('quick try');
    // Training and test images apart: 500 of 60,000 training images, 200 of 10,000 test images.
    expect(text(screen.getByTestId('review-summary'))).toMatch(/500 training and\s+200 test images/);
    await fireEvent.click(screen.getByTestId('wizard-start'));
    await waitFor(() => expect(fakeApi.startRun).toHaveBeenCalledTimes(1));
    const sent = fakeApi.startRun.mock.calls[0]![0] as any;
    expect(sent).toMatchObject({
      name: 'quick try', method: 'at', data: { path: FASHION, limit: 500, testLimit: 200, format: 'auto' },
      teacher: { source: 'train', model: { family: 'wrn', depth: 16, widen: 2 } },
      student: { model: { family: 'wrn', depth: 16, widen: 1 } },
      training: { epochs: 3, batchSize: 128, lr: 0.1 },
    });
    expect(fakeApi.validateConfig).toHaveBeenLastCalledWith(sent);
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: 'run', id: 'new-run-1' }));
    go.mockRestore();
  });

  it('keeps the draft when the screen is left or reloaded, and Start over clears it', async () => {
    await open();
    await datasetReady();
    await fireEvent.input(screen.getByLabelText('Training images (limit)'), { target: { value: '700' } });
    await goTo('student');
    await fireEvent.input(screen.getByLabelText('Student depth'), { target: { value: '22' } });
    cleanup(); // the person clicks Runs, or reloads
    await open().catch(() => undefined);
    await screen.findByTestId('wizard-step-student');
    expect(screen.getByTestId('draft-restored')).toBeTruthy();
    expect(value(screen.getByLabelText('Student depth'))).toBe('22');
    await fireEvent.click(navButton('Dataset'));
    expect(value(screen.getByLabelText('Training images (limit)'))).toBe('700');
    await fireEvent.click(screen.getByTestId('wizard-start-over'));
    await screen.findByTestId('wizard-step-dataset');
    await waitFor(() => expect(value(screen.getByLabelText('Training images (limit)'))).toBe(''));
    expect(screen.queryByTestId('draft-restored')).toBeNull();
    cleanup();
    render(Wizard, { props: {} });
    await screen.findByTestId('wizard-step-dataset');
    expect(value(screen.getByLabelText('Training images (limit)'))).toBe('');
  });

  it('the Training step opens on presets sized from the measured duration; Custom and Advanced hold the raw fields', async () => {
    await open();
    await datasetReady();
    await goTo('training');
    // The fake estimate: 754 s for 200 epochs of 60,000 images → 3.77 s an epoch; Quick look takes 10 (its most).
    await waitFor(() => expect(text(screen.getByTestId('preset-quick'))).toMatch('10 epochs, batch 64: about 38 s here'));
    expect(value(screen.getByLabelText('Epochs'))).toBe('10');
    expect(value(screen.getByLabelText('Batch size'))).toBe('64');
    expect((screen.getByTestId('training-custom') as HTMLDetailsElement).open).toBe(false);
    expect((screen.getByTestId('training-advanced') as HTMLDetailsElement).open).toBe(false);
    expect(text(screen.getByTestId('preset-paper'))).toMatch('200 epochs, batch 128: about 12 min 34 s here');
    await fireEvent.click(screen.getByRole('radio', { name: /Paper recipe/ }));
    expect(value(screen.getByLabelText('Epochs'))).toBe('200');
    expect(value(screen.getByLabelText('Milestones'))).toBe('0.3, 0.6, 0.8');
    // Typing a raw value makes the choice Custom.
    await fireEvent.input(screen.getByLabelText('Epochs'), { target: { value: '2' } });
    expect((screen.getByRole('radio', { name: /^Custom/ }) as HTMLInputElement).checked).toBe(true);
    expect(text(screen.getByTestId('crowded-milestones'))).toMatch('after epochs 1, 1, 2');
  });

  it('asks before starting a run estimated at more than a day, stating the estimate', async () => {
    fakeApi.estimateDuration.mockImplementation(async () => ({ backend: 'wasm', seconds: 100_000, measured: true, phases: [{ phase: 'student', imagesPerSec: 1, epochs: 200, stepsPerEpoch: 469, seconds: 100_000 }] }));
    await open();
    await datasetReady();
    await goTo('review');
    await waitFor(() => expect(text(screen.getByTestId('duration-estimate'))).toMatch('27 h 47 min'));
    await fireEvent.click(screen.getByTestId('wizard-start'));
    const dialog = await screen.findByRole('dialog');
    expect(text(dialog)).toMatch('about 27 h 47 min on this machine');
    expect(fakeApi.startRun).not.toHaveBeenCalled();
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Start anyway' }));
    await waitFor(() => expect(fakeApi.startRun).toHaveBeenCalledTimes(1));
  });

  it('maps the engine\'s issues to their step and field, and does not start', async () => {
    await open();
    await datasetReady();
    await goTo('review');
    fakeApi.validateConfig.mockResolvedValue({
      ok: false, warnings: [],
      issues: [{ path: 'training.lr', message: 'must be a number > 0 (expected a number > 0, got 0)' }],
    });
    await fireEvent.click(screen.getByTestId('wizard-start'));
    await waitFor(() => expect(step('training')).toBeTruthy());
    const lr = screen.getByLabelText('Learning rate');
    expect(lr.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('must be a number > 0 (expected a number > 0, got 0)')).toBeTruthy();
    expect(fakeApi.startRun).not.toHaveBeenCalled();
    expect(navButton('Training \\(has problems\\)')).toBeTruthy();
    // Editing the config clears the stale engine message.
    await fireEvent.input(lr, { target: { value: '0.05' } });
    await waitFor(() => expect(lr.getAttribute('aria-invalid')).toBe(null));
  });

  it('maps a hint-pair issue to the Hint groups step', async () => {
    await open();
    await datasetReady();
    await goTo('review');
    fakeApi.validateConfig.mockResolvedValue({
      ok: false, warnings: [], issues: [{ path: 'attention.pairs.0.teacher', message: 'no teacher tap "group7"' }],
    });
    await fireEvent.click(screen.getByTestId('wizard-start'));
    await waitFor(() => expect(step('hints')).toBeTruthy());
    await waitFor(() => expect(text(screen.getByRole('alert'))).toMatch('attention.pairs.0.teacher: no teacher tap "group7"'));
  });

  it('shows the engine\'s warnings on the review', async () => {
    fakeApi.validateConfig.mockResolvedValue({ ok: true, issues: [], warnings: ['the teacher (WRN-16-2) is not larger than the student'] });
    await open();
    await datasetReady();
    await goTo('review');
    expect(await screen.findByText('the teacher (WRN-16-2) is not larger than the student')).toBeTruthy();
  });

  it('never drops the suggested dataset into the path field while the person is in it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const real = fakeApi.listDirectory.getMockImplementation()!;
    fakeApi.listDirectory.mockImplementation(async (p?: string) => { await gate; return real(p); });
    render(Wizard, { props: {} });
    const field = (await screen.findByLabelText('Dataset path')) as HTMLInputElement;
    field.focus();
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(field.value).toBe('');
    fakeApi.listDirectory.mockImplementation(real);
  });

  it('duplicates a run: its config fills every step', async () => {
    await open({ from: 'copy-me' });
    expect(fakeApi.getRun).toHaveBeenCalledWith('copy-me');
    expect(screen.getByText('my KD run')).toBeTruthy();
    expect(value(screen.getByLabelText('Dataset path'))).toBe(String(FASHION));
    expect(value(screen.getByLabelText('Training images (limit)'))).toBe(String(500));
    expect(fakeApi.listDirectory).not.toHaveBeenCalled();
    // Every step is reachable from the step list.
    await datasetReady();
    await fireEvent.click(navButton('Student'));
    expect(value(screen.getByLabelText('Student depth'))).toBe(String(22));
    await fireEvent.click(navButton('Attention'));
    expect(value(screen.getByLabelText('Method'))).toBe(String('kd'));
    expect(value(screen.getByLabelText('Temperature T'))).toBe(String(4));
    await fireEvent.click(navButton('Training'));
    expect(value(screen.getByLabelText('Epochs'))).toBe(String(12));
    expect(value(screen.getByLabelText('Seed'))).toBe(String(7));
    expect(value(screen.getByLabelText('Run name'))).toBe(String('my KD run'));
    await fireEvent.click(navButton('Review'));
    await fireEvent.click(screen.getByTestId('wizard-start'));
    await waitFor(() => expect(fakeApi.startRun).toHaveBeenCalled());
    expect(fakeApi.startRun.mock.calls[0]![0]).toMatchObject({ method: 'kd', seed: 7, student: { model: { depth: 22 } }, training: { epochs: 12, schedule: { kind: 'cosine' } } });
  });

  it('a finished run with a teacher offers its teacher first, with the teacher\'s accuracy', async () => {
    const AT_DONE = { ...DONE_RUN, id: 'at-done', name: 'at done', method: 'at' as const, models: 'WRN-16-1 ← WRN-16-2', student: 'WRN-16-1', teacher: 'WRN-16-2',
      best: { epoch: 3, top1: 0.81 }, teacherResults: { best: { epoch: 3, top1: 0.88 } } };
    fakeApi.listRuns.mockImplementation(async () => [AT_DONE]);
    await open();
    await datasetReady();
    await goTo('teacher');
    await fireEvent.click(screen.getByLabelText('Use a finished run'));
    const select = screen.getByLabelText('Finished run');
    expect(text(within(select).getAllByRole('option')[1]!)).toBe('at done · teacher WRN-16-2 · 88.0%');
    await fireEvent.change(select, { target: { value: 'at-done' } });
    expect(value(await screen.findByLabelText('Which network of that run'))).toBe('teacher');
  });

  it('duplicates a run whose teacher is a finished run: the teacher is taken whole (no default model)', async () => {
    const c = defaultConfig();
    const config = { ...c, data: { ...c.data, path: FASHION }, teacher: { source: 'run' as const, run: DONE_RUN.id, role: 'student' as const } };
    fakeApi.getRun.mockImplementation(async () => ({ summary: { ...DONE_RUN, id: 'dup', name: 'dup' }, config, status: {} as never, environment: null }));
    await open({ from: 'dup' });
    await fireEvent.click(navButton('Review'));
    await fireEvent.click(await screen.findByTestId('wizard-start'));
    await waitFor(() => expect(fakeApi.startRun).toHaveBeenCalledTimes(1));
    expect((fakeApi.startRun.mock.calls[0]![0] as any).teacher).toEqual({ source: 'run', run: DONE_RUN.id, role: 'student' });
  });

  it('duplicates a cosine-schedule run without the default step schedule\'s milestones', async () => {
    await open({ from: 'copy-me' });
    await fireEvent.click(navButton('Review'));
    await fireEvent.click(await screen.findByTestId('wizard-start'));
    await waitFor(() => expect(fakeApi.startRun).toHaveBeenCalledTimes(1));
    expect((fakeApi.startRun.mock.calls[0]![0] as any).training.schedule).toEqual({ kind: 'cosine' });
  });

  it('uses a finished run as the teacher', async () => {
    await open();
    await datasetReady();
    await goTo('teacher');
    await fireEvent.click(screen.getByLabelText('Use a finished run'));
    await next();
    expect(screen.getByText('Pick one of your finished runs.')).toBeTruthy();
    const select = screen.getByLabelText('Finished run');
    expect(within(select).getAllByRole('option')).toHaveLength(2); // the placeholder + the one done run
    await fireEvent.change(select, { target: { value: DONE_RUN.id } });
    const est = screen.getByTestId('teacher-estimate');
    await waitFor(() => expect(text(est)).toMatch('WRN-40-2'), { timeout: 3000 });
    expect(text(est)).toMatch('trained');
    await next();
    expect(step('student')).toBeTruthy();
  });

  it('starts one run per seed when asked for several, named after their seeds', async () => {
    const go = vi.spyOn(router, 'go');
    await open();
    await datasetReady();
    await goTo('training');
    await fireEvent.input(screen.getByLabelText('Seed'), { target: { value: '7' } });
    const runs = screen.getByLabelText('Runs (one per seed)');
    await fireEvent.input(runs, { target: { value: '11' } });
    await next();
    expect(step('training')).toBeTruthy();
    expect(screen.getByText('Train 1 to 10 runs (one per seed).')).toBeTruthy();
    await fireEvent.input(runs, { target: { value: '3' } });
    expect(text(screen.getByText(/Start trains 3 runs/))).toMatch('seeds 7–9, one after another, each training its own teacher');
    await fireEvent.input(screen.getByLabelText('Run name'), { target: { value: 'spread' } });
    await goTo('review');
    expect(text(screen.getByTestId('review-summary'))).toMatch('3 runs, seeds 7–9');
    await waitFor(() => expect(screen.getByTestId('duration-all-seeds')).toBeTruthy(), { timeout: 3000 });
    await fireEvent.click(screen.getByTestId('wizard-start'));
    await waitFor(() => expect(fakeApi.startRun).toHaveBeenCalledTimes(3));
    const sent = fakeApi.startRun.mock.calls.map((c: unknown[]) => c[0] as { seed: number; name: string; training: unknown });
    expect(sent.map((c: { seed: number; name: string }) => [c.seed, c.name])).toEqual([[7, 'spread · seed 7'], [8, 'spread · seed 8'], [9, 'spread · seed 9']]);
    // Nothing else differs between them.
    const strip = ({ seed: _s, name: _n, ...rest }: { seed: number; name: string }) => rest;
    expect(strip(sent[1])).toEqual(strip(sent[0]));
    expect(strip(sent[2])).toEqual(strip(sent[0]));
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: 'run', id: 'new-run-1' }));
    go.mockRestore();
  });

  it('"Compare methods" starts a study: methods × β × seeds, the run count and the whole study\'s time on the review', async () => {
    const go = vi.spyOn(router, 'go');
    await open();
    await datasetReady();
    await goTo('attention');
    await fireEvent.click(screen.getByTestId('study-compare'));
    expect((screen.getByTestId('study-method-baseline') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId('study-method-at') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('study-method-kd'));
    await fireEvent.input(screen.getByLabelText('Seeds (runs per method)'), { target: { value: '2' } });
    await fireEvent.input(screen.getByLabelText('β values to try (optional)'), { target: { value: '100, 300' } });
    // baseline + AT at two β + KD = 4 rows × 2 seeds, and the teacher once.
    expect(text(screen.getByTestId('study-count'))).toBe('9 runs, one after another: the teacher once, then 4 methods × 2 seeds.');
    // KD's options show beside AT's while comparing.
    expect(screen.getByLabelText('Temperature T')).toBeTruthy();
    await goTo('review');
    expect(text(screen.getByTestId('review-study'))).toMatch('Compare methods: Baseline, AT, KD × 2 seeds, β ∈ {100, 300} for AT — 9 runs');
    // Teacher 520 s once + 8 student runs × 234 s (the fake estimate) = 2392 s.
    await waitFor(() => expect(text(screen.getByTestId('duration-study'))).toMatch('9 runs one after another: about 39 min 52 s'), { timeout: 3000 });
    expect(text(screen.getByTestId('wizard-start'))).toBe('Start study (9 runs)');
    await fireEvent.click(screen.getByTestId('wizard-start'));
    await waitFor(() => expect(fakeApi.startStudy).toHaveBeenCalledTimes(1));
    const sent = fakeApi.startStudy.mock.calls[0]![0] as Record<string, unknown>;
    expect(sent).toMatchObject({ methods: ['baseline', 'at', 'kd'], seeds: 2, betas: [100, 300], teacher: { source: 'train' } });
    expect(sent.method).toBeUndefined();
    expect(fakeApi.startRun).not.toHaveBeenCalled();
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: 'study', id: 'study-1' }));
    go.mockRestore();
  });

  it('loads a teacher from a model file and lets the person choose its taps', async () => {
    await open();
    await datasetReady();
    await goTo('teacher');
    await fireEvent.click(screen.getByLabelText('Load a model file'));
    await fireEvent.input(screen.getByLabelText('Teacher model file (model.json)'), { target: { value: '/models/t/model.json' } });
    const est = screen.getByTestId('teacher-estimate');
    await waitFor(() => expect(text(est)).toMatch(`${formatCount(80_000_000)} per image`), { timeout: 3000 });
    const layers = screen.getByTestId('teacher-layers');
    const box = (name: string) => within(layers).getByRole('checkbox', { name: new RegExp(`^${name.replace(/\./g, '\\.')} `) }) as HTMLInputElement;
    // Automatic: the three stage outputs ticked, the relus before them not.
    expect(within(layers).getAllByRole('checkbox')).toHaveLength(6);
    expect(['group0', 'group1', 'group2'].map((n) => box(n).checked)).toEqual([true, true, true]);
    expect(box('group1.block0.relu0').checked).toBe(false);
    expect(screen.queryByRole('button', { name: 'Use the automatic choice' })).toBeNull();

    // Swap group1 for the relu before it: the engine is asked with the choice, in the network's order.
    await fireEvent.click(box('group1.block0.relu0'));
    await fireEvent.click(box('group1'));
    await waitFor(() => expect(fakeApi.inspectTeacherFile).toHaveBeenLastCalledWith('/models/t/model.json', ['group0', 'group1.block0.relu0', 'group2']), { timeout: 3000 });
    await waitFor(() => expect(text(est)).toMatch('group1.block0.relu0'), { timeout: 3000 });

    // Nothing ticked: Next is refused with the reason, on this step.
    for (const n of ['group0', 'group1.block0.relu0', 'group2']) await fireEvent.click(box(n));
    await next();
    expect(step('teacher')).toBeTruthy();
    expect(screen.getByText(/Tick at least one layer/)).toBeTruthy();

    // Back to the automatic choice: no taps in the config, and Next goes on.
    await fireEvent.click(screen.getByRole('button', { name: 'Use the automatic choice' }));
    await waitFor(() => expect(box('group1').checked).toBe(true));
    await waitFor(() => expect(fakeApi.inspectTeacherFile).toHaveBeenLastCalledWith('/models/t/model.json', undefined), { timeout: 3000 });

    // A choice belongs to its file: another file starts from the automatic choice again.
    await fireEvent.click(box('group0.block0.relu0'));
    await fireEvent.input(screen.getByLabelText('Teacher model file (model.json)'), { target: { value: '/models/u/model.json' } });
    await waitFor(() => expect(fakeApi.inspectTeacherFile).toHaveBeenLastCalledWith('/models/u/model.json', undefined), { timeout: 3000 });
    expect(screen.queryByRole('button', { name: 'Use the automatic choice' })).toBeNull();
    await next();
    expect(step('student')).toBeTruthy();
  });

  it('the baseline needs no teacher and no hint pairs', async () => {
    await open();
    await datasetReady();
    await goTo('attention');
    await fireEvent.change(screen.getByLabelText('Method'), { target: { value: 'baseline' } });
    await fireEvent.click(navButton('Teacher'));
    expect(text(screen.getByRole('note'))).toMatch('needs no teacher');
    await goTo('hints');
    expect(text(screen.getByRole('note'))).toMatch('does not use them');
  });

  it('saves the config as a JSON download and loads one back', async () => {
    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((b: Blob) => { blobs.push(b); return 'blob:config'; });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await open();
    await datasetReady();
    await goTo('review');
    await fireEvent.click(screen.getByTestId('save-config'));
    expect(click).toHaveBeenCalledTimes(1);
    const saved = JSON.parse(await blobs[0]!.text());
    expect(saved).toMatchObject({ version: 2, method: 'at', data: { path: FASHION }, training: { epochs: 200 } });
    expect(saved).not.toHaveProperty('name'); // the engine names it from the models
    click.mockRestore();

    // Load: a partial config on top of the defaults; the wizard goes to the review.
    const file = new File([JSON.stringify({ method: 'kd', data: { path: FASHION }, training: { epochs: 4 } })], 'kd.json', { type: 'application/json' });
    const input = screen.getByLabelText('Load config file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    await waitFor(() => expect(text(screen.getByTestId('review-summary'))).toMatch('KD — knowledge distillation'));
    expect(text(screen.getByTestId('review-summary'))).toMatch('4 epochs');
    expect(text(screen.getByText(/Starting from/))).toMatch('kd.json');

    // Not JSON: an error, the draft unchanged.
    const pushed = vi.spyOn(notices, 'push');
    Object.defineProperty(input, 'files', { value: [new File(['{oops'], 'bad.json')], configurable: true });
    await fireEvent.change(input);
    await waitFor(() => expect(pushed).toHaveBeenCalledWith('error', 'bad.json is not a JSON file', expect.any(String)));
    expect(text(screen.getByTestId('review-summary'))).toMatch('4 epochs');
    pushed.mockRestore();
  });
});
