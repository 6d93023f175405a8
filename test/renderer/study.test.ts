// The study view: progress over the whole study, the table and the plain sentences, Stop and Resume.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { DONE_RUN, fakeApi, resetFakeApi, STUDY_VIEW } from './fakeApi.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const m = await import('./fakeApi.js');
  return { api: m.fakeApi, toUiError: m.toUiError };
});

import StudyScreen from '../../renderer/src/screens/StudyScreen.svelte';
import Studies from '../../renderer/src/screens/Studies.svelte';
import { notices } from '../../renderer/src/lib/notices.svelte.js';
import { locale } from '../../renderer/src/i18n/index.js';

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
/** Each body row of a table as its cells' text joined by " | ". */
const rows = (table: Element) => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map(text).join(' | '));

beforeEach(() => resetFakeApi());
afterEach(() => {
  cleanup();
  for (const n of notices.list) notices.dismiss(n.id);
});

describe('study view', () => {
  it('shows run k of n, the time left, the table and one sentence per method', async () => {
    render(StudyScreen, { props: { studyId: 'study-1' } });
    const progress = await screen.findByTestId('study-progress');
    expect(text(progress)).toMatch('4 of 5 runs done');
    expect(text(progress)).toMatch('about 1 min 35 s left');
    expect(text(progress)).toMatch('now: at · seed 2 (run 5 of 5)');
    expect(rows(screen.getByTestId('study-table'))).toEqual([
      'Baseline | 2/2 | 82.0% ± 1.4 | 81.0% ± 1.4 | ',
      'AT | 1/2 | 83.0% | 82.0% | +2.0 (one seed)',
    ]);
    const sentences = screen.getByTestId('study-sentences').querySelectorAll('li');
    expect([...sentences].map(text)).toEqual(STUDY_VIEW.results.rows.map((r) => r.sentence));
    expect(fakeApi.getStudy).toHaveBeenCalledWith('study-1');
  });

  it('words the sentences in Chinese from the same numbers', async () => {
    locale.set('zh', false);
    try {
      render(StudyScreen, { props: { studyId: 'study-1' } });
      const list = await screen.findByTestId('study-sentences');
      expect([...list.querySelectorAll('li')].map(text)).toEqual([
        'Baseline(仅学生):最终 top-1 为 81.0 % ± 1.4(2 个种子)。',
        'AT:仅一个种子上 top-1 相差 +2.0 个百分点——无法据此判断;请至少运行 2 个种子(3 个以上更好),与种子本身的波动对比。',
      ]);
    } finally {
      locale.set('en', false);
    }
  });

  it('Stop asks the engine to stop the study; a stopped one offers Resume', async () => {
    render(StudyScreen, { props: { studyId: 'study-1' } });
    await fireEvent.click(await screen.findByTestId('study-stop'));
    await waitFor(() => expect(fakeApi.cancelStudy).toHaveBeenCalledWith('study-1'));
    cleanup();
    fakeApi.getStudy = vi.fn(async () => ({ ...STUDY_VIEW, status: 'cancelled' as const }));
    render(StudyScreen, { props: { studyId: 'study-1' } });
    await fireEvent.click(await screen.findByTestId('study-resume'));
    await waitFor(() => expect(fakeApi.resumeStudy).toHaveBeenCalledWith('study-1'));
  });

  it('exports the study report into the teacher run\'s exports/ folder in a browser and links it', async () => {
    const base = fakeApi.getRun.getMockImplementation()!;
    fakeApi.getRun = vi.fn(async (id: string) => (id === 'teacher-run'
      ? { ...(await base(DONE_RUN.id)), summary: { ...DONE_RUN, id, dir: '/tmp/runs/teacher-run' } } : base(id)));
    render(StudyScreen, { props: { studyId: 'study-1' } });
    await fireEvent.click(await screen.findByTestId('study-export'));
    await waitFor(() => expect(fakeApi.exportStudyReport).toHaveBeenCalledTimes(1));
    const [id, dest] = fakeApi.exportStudyReport.mock.calls[0]! as [string, string];
    expect(id).toBe('study-1');
    expect(dest).toBe('/tmp/runs/teacher-run/exports/study-study-1.html');
    expect(fakeApi.getRun).toHaveBeenCalledWith('teacher-run');
    const link = await screen.findByTestId('study-report-link');
    expect(link.getAttribute('href')).toBe('/runs/teacher-run/files/exports/study-study-1.html');
  });

  it('lists the studies with their progress', async () => {
    render(Studies);
    const table = await screen.findByTestId('studies-table');
    expect(rows(table)[0]).toMatch(/^does AT help \| running \| 4\/5 \| baseline, at \| /);
  });
});
