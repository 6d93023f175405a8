// The README's layering as lint rules (eslint.config.js uses them; test/lint/boundaries.test.ts proves they fire):
//   core/      imports no adapter (cli/, serve/, electron/, renderer/) and no Electron/UI package;
//   cli/, serve/, electron/ never import each other (nor the renderer);
//   renderer/  imports from core/ only the pure modules listed below, and from electron/ only types.
// ESLint's own no-restricted-imports checks static imports and re-exports by their text; dynamic import()
// goes through no-restricted-syntax with the same patterns. Matching the text, not the resolved file, is
// sound here because no folder below the top level is named core, cli, serve, electron or renderer.

/** A folder at the repository's top, reached by any number of `../`. */
const top = (dirs) => `^(\\.\\./)+(${dirs.join('|')})/`;

/** Packages that only the UI or the desktop shell may use. */
const UI_PACKAGES = '^(electron|svelte|chart\\.js)(/.*)?$';

/**
 * The core modules the renderer may import: types, and pure functions with no Node, TF.js or file access
 * (checked by the renderer's build, which bundles them for the browser).
 */
export const RENDERER_CORE_MODULES = [
  'attention/hintPairs', 'config/describe', 'config/limits', 'config/types', 'eval/precisionRecall', 'events/types',
  'i18n/lang', 'i18n/messages', 'models/types', 'report/inferno', 'report/lineChart', 'runs/recordedSteps', 'runs/replicates', 'runs/settings',
  'runs/types', 'service/api', 'service/wireError', 'study/types',
  'i18n/report', 'study/sentence',
];

/**
 * Imports that cross a boundary and are allowed by name, each one file and one import (so a new crossing
 * still fails). None today: the runs folder default and the bridge's error parser moved to core/.
 */
export const KNOWN_CROSSINGS = [];

/** no-restricted-imports + the same patterns for import() expressions. */
function restrict(patterns, allowed = []) {
  const active = patterns.map((p) => ({ ...p, regex: allowed.length ? `(?!^(${allowed.map(escape).join('|')})$)${p.regex}` : p.regex }));
  return {
    'no-restricted-imports': ['error', { patterns: active }],
    'no-restricted-syntax': ['error', ...active.map((p) => ({
      selector: `ImportExpression > Literal.source[value=/${p.regex.replaceAll('/', '\\x2F')}/]`, // esquery's /regex/ cannot hold a slash
      message: p.message,
    }))],
  };
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One files block per rule set, and a narrower block for each known crossing that lifts only that import. */
function blocks(name, files, patterns) {
  const crossings = KNOWN_CROSSINGS.filter((c) => files.some((f) => c.file.startsWith(f.slice(0, f.indexOf('**')))));
  return [
    { name: `boundaries/${name}`, files, rules: restrict(patterns) },
    ...crossings.map((c) => ({ name: `boundaries/${name}/known:${c.file}`, files: [c.file], rules: restrict(patterns, [c.source]) })),
  ];
}

export const coreBoundaries = blocks('core', ['core/**/*.ts'], [
  { regex: top(['cli', 'serve', 'electron', 'renderer']), message: 'core/ must not import cli/, serve/, electron/ or renderer/: the engine stays usable without any adapter (README, Architecture).' },
  { regex: UI_PACKAGES, message: 'core/ must not import Electron, Svelte or chart.js: the engine runs in plain Node and in a worker.' },
]);

export const adapterBoundaries = [
  ...blocks('cli', ['cli/**/*.ts'], [
    { regex: top(['electron', 'renderer']), message: 'cli/ must not import another adapter or the UI: move what both need into core/.' },
    // `atstudio serve` launches serve mode through serve/'s entry point, and nothing else of serve/.
    { regex: '^(\\.\\./)+serve/(?!index\\.js$)', message: 'cli/ may import serve/ only through serve/index.js (its public entry).' },
    { regex: UI_PACKAGES, message: 'cli/ must not import Electron or UI packages.' },
  ]),
  ...blocks('serve', ['serve/**/*.ts'], [
    { regex: top(['cli', 'electron', 'renderer']), message: 'serve/ must not import another adapter or the UI: move what both need into core/.' },
    { regex: UI_PACKAGES, message: 'serve/ must not import Electron or UI packages.' },
  ]),
  ...blocks('electron', ['electron/**/*.ts'], [
    { regex: top(['cli', 'serve', 'renderer']), message: 'electron/ must not import another adapter or the UI: move what both need into core/.' },
  ]),
];

// The renderer's code proper; its vite.config.ts runs in Node at build time.
export const rendererBoundaries = blocks('renderer', ['renderer/src/**/*.ts', 'renderer/src/**/*.svelte', 'renderer/api/**/*.ts'], [
  {
    regex: `^(\\.\\./)+core/(?!(${RENDERER_CORE_MODULES.join('|')})\\.js$)`,
    message: `renderer/ may import from core/ only its pure modules (${RENDERER_CORE_MODULES.join(', ')}): the rest needs Node or TF.js.`,
  },
  { regex: top(['cli', 'serve']), message: 'renderer/ must not import an adapter: it talks to the engine through the AtStudioApi.' },
  { regex: '^(\\.\\./)+electron/', allowTypeImports: true, message: 'renderer/ may import only types from electron/ (the bridge\'s shape).' },
  { regex: '^node:', message: 'renderer/ runs in a browser: no Node modules.' },
]);
