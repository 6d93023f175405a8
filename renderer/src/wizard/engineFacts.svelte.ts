// What the engine says about the wizard's draft: the dataset, the teacher and student estimates and the
// hint pairing, re-asked when the fields they depend on change (debounced; the newest answer wins).
// Called once while the Wizard component initialises, so its effects live and die with the component.
import { api, toUiError } from '../lib/api.js';
import { t as tr } from '../i18n/index.js';
import type { ModelFamilySpec, RunConfig } from '../../../core/config/types.js';
import { describeModel } from '../../../core/config/describe.js';
import { type WizardDraft, type WizardFactsState, modelInput, type TeacherView } from './draft.svelte.js';
import { AT_METHODS, TEACHER_METHODS, isWrnDepth } from './validate.js';

type Slot = 'dataset' | 'teacher' | 'student';

/**
 * One fact that is looked up after a pause (the person may still be typing): facts[slot], its error and
 * its loading flag. A newer ask, cancel or clear makes an older answer count for nothing.
 */
function lookupSlot<K extends Slot>(facts: WizardFactsState, slot: K, delayMs: number) {
  let seq = 0;
  const write = (value: WizardFactsState[K] | null, error: string | null): void => {
    facts[slot] = value as WizardFactsState[K];
    facts[`${slot}Error`] = error;
  };
  return {
    cancel(): void { seq++; },
    clear(): void {
      seq++;
      write(null, null);
      facts[`${slot}Loading`] = false;
    },
    /** Starts `lookup` after the pause; returns the $effect cleanup that drops it if it has not begun. */
    ask(lookup: () => Promise<WizardFactsState[K]>): () => void {
      const my = ++seq;
      facts[`${slot}Loading`] = true;
      const timer = setTimeout(async () => {
        try {
          const value = await lookup();
          if (my === seq) write(value, null);
        } catch (err) {
          if (my === seq) write(null, toUiError(err).message);
        } finally {
          if (my === seq) facts[`${slot}Loading`] = false;
        }
      }, delayMs);
      return () => clearTimeout(timer);
    },
  };
}

export function trackEngineFacts(getDraft: () => WizardDraft | null, facts: WizardFactsState): void {
  const draft = $derived(getDraft());

  const dataset = lookupSlot(facts, 'dataset', 400);
  $effect(() => {
    if (!draft) return;
    const path = draft.config.data.path.trim();
    const format = draft.config.data.format;
    if (!path) return dataset.clear();
    return dataset.ask(() => api.inspectDataset(path, format));
  });

  function modelOk(m: ModelFamilySpec | undefined): boolean {
    if (!m) return false;
    if (m.family === 'wrn') return isWrnDepth(m.depth) && Number.isInteger(m.widen) && m.widen >= 1 && m.widen <= 20;
    if (m.family === 'resnet') return m.depth === 18 || m.depth === 34;
    return m.variant === 'thin' || m.variant === 'wide';
  }

  const inputKey = $derived(draft ? JSON.stringify(modelInput(draft.config, facts)) : '');

  const teacher = lookupSlot(facts, 'teacher', 250);
  const teacherKey = $derived.by(() => {
    if (!draft || !TEACHER_METHODS.has(draft.config.method)) return null;
    const t = draft.build().teacher;
    return t ? JSON.stringify({ t, input: inputKey }) : null;
  });
  $effect(() => {
    const key = teacherKey;
    if (!key) return teacher.clear();
    const { t, input } = JSON.parse(key) as { t: NonNullable<RunConfig['teacher']>; input: string };
    const { inputShape, numClasses } = JSON.parse(input) as ReturnType<typeof modelInput>;
    if ((t.source === 'train' && !modelOk(t.model)) || (t.source === 'run' && !t.run) || (t.source === 'file' && !t.path)) {
      return teacher.clear();
    }
    return teacher.ask(async (): Promise<TeacherView> => {
      if (t.source === 'train') {
        const e = await api.estimateModel({ model: t.model, inputShape, numClasses });
        return { name: e.name, params: e.params, multiplyAdds: e.multiplyAdds, sizeBytes: e.sizeBytes, taps: e.taps, trained: false };
      }
      if (t.source === 'run') {
        const detail = await api.getRun(t.run);
        const role = t.role ?? 'student';
        const src = detail.config.teacher;
        const model = role === 'teacher' ? (src?.source === 'train' ? src.model : null) : detail.config.student.model;
        if (!model) throw new Error(tr('facts.notOwnTeacher', { name: detail.summary.name }));
        const e = await api.estimateModel({ model, inputShape, numClasses });
        return {
          name: tr(role === 'teacher' ? 'facts.roleOf.teacher' : 'facts.roleOf.student', { model: describeModel(model), name: detail.summary.name }), params: e.params, multiplyAdds: e.multiplyAdds,
          sizeBytes: e.sizeBytes, taps: e.taps, trained: true,
          notes: detail.config.data.path !== draft?.config.data.path.trim() ? [tr('facts.trainedOn', { path: detail.config.data.path })] : undefined,
        };
      }
      const f = await api.inspectTeacherFile(t.path, t.taps);
      return { name: f.path.split(/[\\/]/).filter(Boolean).slice(-2).join('/'), params: f.params, multiplyAdds: f.multiplyAdds, sizeBytes: f.sizeBytes,
        taps: f.taps, layers: f.layers, trained: true, numClasses: f.numClasses, inputShape: f.inputShape, notes: f.notes };
    });
  });

  const student = lookupSlot(facts, 'student', 250);
  const studentKey = $derived(draft ? JSON.stringify({ m: draft.config.student.model, input: inputKey }) : null);
  $effect(() => {
    const key = studentKey;
    if (!key) return student.cancel();
    const { m, input } = JSON.parse(key) as { m: ModelFamilySpec; input: string };
    const { inputShape, numClasses } = JSON.parse(input) as ReturnType<typeof modelInput>;
    if (!modelOk(m)) return student.clear();
    return student.ask(() => api.estimateModel({ model: m, inputShape, numClasses }));
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
