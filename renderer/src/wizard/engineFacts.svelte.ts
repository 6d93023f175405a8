// What the engine says about the wizard's draft: the dataset, the teacher and student estimates and the
// hint pairing, re-asked when the fields they depend on change (debounced; the newest answer wins).
// Called once while the Wizard component initialises, so its effects live and die with the component.
import { api, toUiError } from '../lib/api.js';
import type { ModelFamilySpec, RunConfig } from '../../../core/config/types.js';
import { describeModel } from '../../../core/config/describe.js';
import { type WizardDraft, type WizardFactsState, modelInput, type TeacherView } from './draft.svelte.js';
import { AT_METHODS, TEACHER_METHODS, isWrnDepth } from './validate.js';

export function trackEngineFacts(getDraft: () => WizardDraft | null, facts: WizardFactsState): void {
  const draft = $derived(getDraft());

  let dsSeq = 0;
  $effect(() => {
    if (!draft) return;
    const path = draft.config.data.path.trim();
    const format = draft.config.data.format;
    const my = ++dsSeq;
    if (!path) {
      facts.dataset = null; facts.datasetError = null; facts.datasetLoading = false;
      return;
    }
    facts.datasetLoading = true;
    const timer = setTimeout(async () => {
      try {
        const view = await api.inspectDataset(path, format);
        if (my === dsSeq) { facts.dataset = view; facts.datasetError = null; }
      } catch (err) {
        if (my === dsSeq) { facts.dataset = null; facts.datasetError = toUiError(err).message; }
      } finally {
        if (my === dsSeq) facts.datasetLoading = false;
      }
    }, 400);
    return () => clearTimeout(timer);
  });

  function modelOk(m: ModelFamilySpec | undefined): boolean {
    if (!m) return false;
    if (m.family === 'wrn') return isWrnDepth(m.depth) && Number.isInteger(m.widen) && m.widen >= 1 && m.widen <= 20;
    if (m.family === 'resnet') return m.depth === 18 || m.depth === 34;
    return m.variant === 'thin' || m.variant === 'wide';
  }

  const inputKey = $derived(draft ? JSON.stringify(modelInput(draft.config, facts)) : '');

  let tSeq = 0;
  const teacherKey = $derived.by(() => {
    if (!draft || !TEACHER_METHODS.has(draft.config.method)) return null;
    const t = draft.build().teacher;
    return t ? JSON.stringify({ t, input: inputKey }) : null;
  });
  $effect(() => {
    const key = teacherKey;
    const my = ++tSeq;
    if (!key) {
      facts.teacher = null; facts.teacherError = null; facts.teacherLoading = false;
      return;
    }
    const { t, input } = JSON.parse(key) as { t: NonNullable<RunConfig['teacher']>; input: string };
    const { inputShape, numClasses } = JSON.parse(input) as ReturnType<typeof modelInput>;
    if ((t.source === 'train' && !modelOk(t.model)) || (t.source === 'run' && !t.run) || (t.source === 'file' && !t.path)) {
      facts.teacher = null; facts.teacherError = null; facts.teacherLoading = false;
      return;
    }
    facts.teacherLoading = true;
    const timer = setTimeout(async () => {
      try {
        let view: TeacherView;
        if (t.source === 'train') {
          const e = await api.estimateModel({ model: t.model, inputShape, numClasses });
          view = { name: e.name, params: e.params, multiplyAdds: e.multiplyAdds, sizeBytes: e.sizeBytes, taps: e.taps, trained: false };
        } else if (t.source === 'run') {
          const detail = await api.getRun(t.run);
          const role = t.role ?? 'student';
          const src = detail.config.teacher;
          const model = role === 'teacher' ? (src?.source === 'train' ? src.model : null) : detail.config.student.model;
          if (!model) throw new Error(`run "${detail.summary.name}" did not train its own teacher; choose its student, or that teacher directly`);
          const e = await api.estimateModel({ model, inputShape, numClasses });
          view = {
            name: `${describeModel(model)} (${role} of “${detail.summary.name}”)`, params: e.params, multiplyAdds: e.multiplyAdds,
            sizeBytes: e.sizeBytes, taps: e.taps, trained: true,
            notes: detail.config.data.path !== draft?.config.data.path.trim() ? [`trained on ${detail.config.data.path}`] : undefined,
          };
        } else {
          const f = await api.inspectTeacherFile(t.path, t.taps);
          view = { name: f.path.split(/[\\/]/).filter(Boolean).slice(-2).join('/'), params: f.params, taps: f.taps, trained: true, numClasses: f.numClasses, inputShape: f.inputShape, notes: f.notes };
        }
        if (my === tSeq) { facts.teacher = view; facts.teacherError = null; }
      } catch (err) {
        if (my === tSeq) { facts.teacher = null; facts.teacherError = toUiError(err).message; }
      } finally {
        if (my === tSeq) facts.teacherLoading = false;
      }
    }, 250);
    return () => clearTimeout(timer);
  });

  let sSeq = 0;
  const studentKey = $derived(draft ? JSON.stringify({ m: draft.config.student.model, input: inputKey }) : null);
  $effect(() => {
    const key = studentKey;
    const my = ++sSeq;
    if (!key) return;
    const { m, input } = JSON.parse(key) as { m: ModelFamilySpec; input: string };
    const { inputShape, numClasses } = JSON.parse(input) as ReturnType<typeof modelInput>;
    if (!modelOk(m)) {
      facts.student = null; facts.studentError = null; facts.studentLoading = false;
      return;
    }
    facts.studentLoading = true;
    const timer = setTimeout(async () => {
      try {
        const e = await api.estimateModel({ model: m, inputShape, numClasses });
        if (my === sSeq) { facts.student = e; facts.studentError = null; }
      } catch (err) {
        if (my === sSeq) { facts.student = null; facts.studentError = toUiError(err).message; }
      } finally {
        if (my === sSeq) facts.studentLoading = false;
      }
    }, 250);
    return () => clearTimeout(timer);
  });

  let pSeq = 0;
  const pairsKey = $derived.by(() => {
    if (!draft || !AT_METHODS.has(draft.config.method) || !facts.student || !facts.teacher) return null;
    return JSON.stringify({ s: facts.student.taps, t: facts.teacher.taps, explicit: $state.snapshot(draft.config.attention.pairs) });
  });
  $effect(() => {
    const key = pairsKey;
    const my = ++pSeq;
    if (!key) {
      facts.pairs = null; facts.pairsError = null;
      return;
    }
    const { s, t, explicit } = JSON.parse(key);
    api.proposeHintPairs(s, t, explicit ?? undefined).then(
      (pairs) => { if (my === pSeq) { facts.pairs = pairs; facts.pairsError = null; } },
      (err) => { if (my === pSeq) { facts.pairs = null; facts.pairsError = toUiError(err).message; } },
    );
  });
}
