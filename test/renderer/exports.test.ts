import { afterEach, describe, expect, it, vi, beforeEach } from 'vitest';
import { render, screen, fireEvent, waitFor } from '@testing-library/svelte';
import { fakeApi, resetFakeApi, summary, FakeApiError } from './compareFakes.js';

vi.mock('../../renderer/src/lib/api.js', async () => {
  const f = await import('./compareFakes.js');
  return { api: f.fakeApi, toUiError: f.fakeToUiError };
});

const { default: ExportMenu } = await import('../../renderer/src/components/ExportMenu.svelte');
const { runExport, exportName, idsHash, joinPath, exportErrorMessage } = await import('../../renderer/src/lib/exports.js');
const { notices } = await import('../../renderer/src/lib/notices.svelte.js');

beforeEach(() => {
  notices.list = [];
});

describe('export names and paths', () => {
  it('names files per run and per comparison', () => {
    expect(exportName('report', ['r1'])).toBe('report-r1.html');
    expect(exportName('pdf', ['r1'])).toBe('report-r1.pdf');
    expect(exportName('metrics-csv', ['r1'])).toBe('metrics-r1.csv');
    expect(exportName('model', ['r1'])).toBe('student-r1');
    expect(exportName('report', ['a', 'b'])).toBe(`comparison-${idsHash(['a', 'b'])}.html`);
    expect(idsHash(['a', 'b'])).toMatch(/^[0-9a-f]{8}$/);
    expect(idsHash(['a', 'b'])).not.toBe(idsHash(['a', 'c']));
    expect(joinPath('/x/y/', 'exports', 'f.html')).toBe('/x/y/exports/f.html');
    expect(joinPath('C:\\runs\\r1', 'exports', 'f.html')).toBe('C:\\runs\\r1\\exports\\f.html');
  });
});

describe('browser exports', () => {
  // Downloads start by themselves: jsdom cannot navigate to them, so the click is only recorded.
  beforeEach(() => { resetFakeApi('browser'); vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {}); });
  afterEach(() => vi.restoreAllMocks());

  it('writes the report under <run.dir>/exports, starts its download and shows a download link', async () => {
    const run = summary('r1');
    const clicked: { href: string; download: string }[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href')!, download: this.download });
    });
    render(ExportMenu, { runIds: ['r1'], runs: [run] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export report (HTML)' }));
    const link = await screen.findByTestId('export-link');
    expect(fakeApi.exportReport).toHaveBeenCalledWith(['r1'], '/data/runs/r1/exports/report-r1.html', { lang: 'en' });
    expect((link).getAttribute('href')).toBe('/runs/r1/files/exports/report-r1.html');
    expect((link).getAttribute('download')).toBe('report-r1.html');
    expect(notices.list.some((n) => n.kind === 'success')).toBe(true);
    // The download started by itself.
    expect(clicked).toEqual([{ href: '/runs/r1/files/exports/report-r1.html', download: 'report-r1.html' }]);
    click.mockRestore();
  });

  it('writes metrics as CSV and JSON', async () => {
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export metrics (CSV)' }));
    await screen.findByTestId('export-link');
    expect(fakeApi.exportMetrics).toHaveBeenCalledWith('r1', '/data/runs/r1/exports/metrics-r1.csv', 'csv');
    await fireEvent.click(screen.getByRole('button', { name: 'Export metrics (JSON)' }));
    await waitFor(() => expect(screen.getAllByTestId('export-link')).toHaveLength(2));
    expect(fakeApi.exportMetrics).toHaveBeenLastCalledWith('r1', '/data/runs/r1/exports/metrics-r1.json', 'json');
  });

  it('exports the student model folder and links each of its files', async () => {
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export student model' }));
    await waitFor(() => expect(screen.getAllByTestId('export-link')).toHaveLength(3));
    expect(fakeApi.exportModel).toHaveBeenCalledWith('r1', '/data/runs/r1/exports/student-r1');
    const hrefs = screen.getAllByTestId('export-link').map((a) => a.getAttribute('href'));
    expect(hrefs[0]).toBe('/runs/r1/files/exports/student-r1/model.json');
    expect(hrefs).toContain('/runs/r1/files/exports/student-r1/group1-shard1of1.bin');
  });

  it('offers only the report and PDF for a comparison, written in the first run’s folder', async () => {
    render(ExportMenu, { runIds: ['a', 'b'], runs: [summary('a'), summary('b')] });
    expect(screen.queryByRole('button', { name: 'Export metrics (CSV)' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Export student model' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Export PDF' }));
    const link = await screen.findByTestId('export-link');
    const name = `comparison-${idsHash(['a', 'b'])}.pdf`;
    expect(fakeApi.exportReportPdf).toHaveBeenCalledWith(['a', 'b'], `/data/runs/a/exports/${name}`, { lang: 'en' });
    expect((link).getAttribute('href')).toBe(`/runs/a/files/exports/${name}`);
  });

  it('disables the model export until the run is done', () => {
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1', { status: 'running' })] });
    expect((screen.getByRole('button', { name: 'Export student model' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/once the run is done/)).toBeTruthy();
  });

  it('shows a rejected export next to the menu and as a notice', async () => {
    fakeApi.exportMetrics.mockRejectedValueOnce(new FakeApiError('forbidden', 'metrics file: /x is outside the folders'));
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export metrics (CSV)' }));
    const err = await screen.findByTestId('export-error');
    expect((err)!.textContent).toContain('outside the folders');
    expect(screen.queryByTestId('export-link')).toBeNull();
    expect(notices.list.some((n) => n.kind === 'error' && n.detail?.includes('outside the folders'))).toBe(true);
    // The button is usable again.
    expect((screen.getByRole('button', { name: 'Export metrics (CSV)' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('explains an unavailable PDF export plainly', async () => {
    fakeApi.exportReportPdf.mockRejectedValueOnce(new FakeApiError('unavailable', 'PDF export needs Chromium; install it or use the HTML report'));
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export PDF' }));
    const err = await screen.findByTestId('export-error');
    expect((err)!.textContent).toContain('PDF export is not available');
    expect((err)!.textContent).toContain('Export report (HTML)');
  });

  it('shows the busy state while exporting', async () => {
    let finish!: (v: { path: string; bytes: number }) => void;
    fakeApi.exportReport.mockImplementationOnce(() => new Promise((res) => { finish = res; }));
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    const btn = screen.getByRole('button', { name: 'Export report (HTML)' });
    await fireEvent.click(btn);
    await waitFor(() => expect((screen.getByTestId('export-report')).getAttribute('aria-busy')).toBe('true'));
    expect((screen.getByTestId('export-report') as HTMLButtonElement).disabled).toBe(true);
    finish({ path: '/p', bytes: 10 });
    await screen.findByTestId('export-link');
    expect((screen.getByTestId('export-report') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('electron exports', () => {
  beforeEach(() => resetFakeApi('electron'));

  it('asks where to save and writes there', async () => {
    fakeApi.dialogs.saveFile.mockResolvedValueOnce('/home/u/my-report.html');
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export report (HTML)' }));
    await waitFor(() => expect(fakeApi.exportReport).toHaveBeenCalledWith(['r1'], '/home/u/my-report.html', { lang: 'en' }));
    expect(fakeApi.dialogs.saveFile).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: 'report-r1.html' }));
    await screen.findByText('/home/u/my-report.html');
    expect(screen.queryByTestId('export-link')).toBeNull();
  });

  it('does nothing when the dialog is cancelled', async () => {
    fakeApi.dialogs.saveFile.mockResolvedValueOnce(null);
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export metrics (CSV)' }));
    await waitFor(() => expect(fakeApi.dialogs.saveFile).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 10));
    expect(fakeApi.exportMetrics).not.toHaveBeenCalled();
    expect(screen.queryByTestId('export-error')).toBeNull();
    expect(notices.list).toHaveLength(0);
  });

  it('exports the model into a subfolder of the chosen folder', async () => {
    fakeApi.dialogs.openFolder.mockResolvedValueOnce('/home/u/models');
    const out = await runExport('model', ['r1'], [summary('r1')], fakeApi);
    expect(fakeApi.exportModel).toHaveBeenCalledWith('r1', '/home/u/models/student-r1');
    expect(out?.links).toEqual([]);
  });
});

describe('student model as ONNX or zip', () => {
  beforeEach(() => resetFakeApi('electron'));

  it('saves an .onnx file or a .zip where the user chooses, asking the service for that format', async () => {
    fakeApi.dialogs.saveFile.mockResolvedValueOnce('/home/u/student.onnx');
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Export student (ONNX)' }));
    await waitFor(() => expect(fakeApi.exportModel).toHaveBeenCalledWith('r1', '/home/u/student.onnx', 'onnx'));
    expect(fakeApi.dialogs.saveFile).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: 'student-r1.onnx', filters: [{ name: 'ONNX model', extensions: ['onnx'] }] }));
    fakeApi.dialogs.saveFile.mockResolvedValueOnce('/home/u/student.zip');
    await runExport('model-zip', ['r1'], [summary('r1')], fakeApi);
    expect(fakeApi.exportModel).toHaveBeenCalledWith('r1', '/home/u/student.zip', 'zip');
  });

  it('keeps both disabled until the run is done', () => {
    render(ExportMenu, { runIds: ['r1'], runs: [summary('r1', { status: 'running' })] });
    for (const name of ['Export student (ONNX)', 'Export student (zip: TF.js + ONNX)']) {
      expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(true);
    }
  });
});

describe('error messages', () => {
  it('passes service messages through', () => {
    expect(exportErrorMessage('report', new FakeApiError('not-found', 'run x not found'))).toBe('run x not found');
  });
});
