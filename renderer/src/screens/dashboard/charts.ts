// The dashboard's chart series from its folded model: pure, so the series drawn live and the ones rebuilt
// after a reload are built by the same code (and a test can compare them).
import type { DashModel, Pt } from './fold.js';
import { t } from '../../i18n/index.js';

export interface DashSeries { label: string; points: Pt[]; dashed?: boolean }

export interface DashCharts {
  hasTeacher: boolean;
  /** Which phase "Loss parts" shows: the student's, or the teacher's task loss while only it trains. */
  partsPhase: 'teacher' | 'student';
  xLabel: string;
  loss: DashSeries[];
  parts: DashSeries[];
  pairs: DashSeries[];
  accuracy: DashSeries[];
  lr: DashSeries[];
}

function shift(points: Pt[], dx: number): Pt[] { return dx ? points.map((p) => ({ x: p.x + dx, y: p.y })) : points; }

/**
 * Step series use x = the phase's fractional epoch; the student's are shifted past the teacher's epochs
 * (`teacherEpochs`: the run's recorded teacher epochs when known, else those folded so far).
 */
export function dashboardCharts(m: DashModel, teacherEpochs?: number): DashCharts {
  const hasTeacher = m.steps.teacher.loss.length > 0 || m.epochs.teacher.length > 0;
  const off = hasTeacher ? (teacherEpochs ?? m.epochs.teacher.length) : 0;
  const partsPhase = m.steps.student.loss.length ? 'student' : 'teacher';
  const s = m.steps[partsPhase];
  const dx = partsPhase === 'student' ? off : 0;
  const parts: DashSeries[] = [];
  if (s.loss.length) {
    parts.push({ label: partsPhase === 'teacher' ? t('dash.series.teacherCe') : 'ce', points: shift(s.ce, dx), ...(partsPhase === 'teacher' ? { dashed: true } : {}) });
    if (s.at.length) parts.push({ label: 'at', points: shift(s.at, dx) });
    if (s.kd.length) parts.push({ label: 'kd', points: shift(s.kd, dx) });
    if (s.gradAt.length) parts.push({ label: 'gradAt', points: shift(s.gradAt, dx) });
  }
  const st = m.epochs.student;
  return {
    hasTeacher, partsPhase,
    xLabel: hasTeacher ? t('dash.xEpochBoth') : t('dash.xEpoch'),
    loss: [
      ...(hasTeacher ? [{ label: t('dash.series.teacherLoss'), points: m.steps.teacher.loss, dashed: true }] : []),
      { label: t('dash.series.studentLoss'), points: shift(m.steps.student.loss, off) },
    ],
    parts,
    pairs: m.steps.student.atPerPair.map((pts, i) => ({ label: t('dash.series.pair', { n: i + 1 }), points: shift(pts, off) })),
    accuracy: [
      ...(hasTeacher ? [
        { label: t('dash.series.teacherTrain'), points: m.epochs.teacher.map((e) => ({ x: e.epoch, y: e.trainAcc })), dashed: true },
        { label: t('dash.series.teacherTest'), points: m.epochs.teacher.map((e) => ({ x: e.epoch, y: e.top1 })), dashed: true },
      ] : []),
      { label: t('dash.series.studentTrain'), points: st.map((e) => ({ x: e.epoch + off, y: e.trainAcc })) },
      { label: t('dash.series.studentTest'), points: st.map((e) => ({ x: e.epoch + off, y: e.top1 })) },
      // Only when the run holds out a validation split.
      ...(st.some((e) => e.valTop1 !== undefined)
        ? [{ label: t('dash.series.studentVal'), points: st.filter((e) => e.valTop1 !== undefined).map((e) => ({ x: e.epoch + off, y: e.valTop1! })) }]
        : []),
    ],
    lr: [
      ...(hasTeacher ? [{ label: t('dash.series.teacherLr'), points: m.steps.teacher.lr, dashed: true }] : []),
      { label: t('dash.series.studentLr'), points: shift(m.steps.student.lr, off) },
    ],
  };
}
