// The renderer's messages in English: the source catalogue. Keys are "area.name"; parameters are named
// ({n}, {name}); "{n#run|runs}" picks singular or plural. zh.ts must have exactly these keys (the
// compiler checks) and the same parameters (test/renderer/i18n.test.ts checks).
export const en = {
  'fmt.seconds': "{s} s",
  'fmt.minSec': "{m} min {s} s",
  'fmt.hourMin': "{h} h {m} min",
  'fmt.rate': "{n} img/s",
  'app.skip': "Skip to content",
  'app.brand': "Attention Transfer Studio",
  'app.navLabel': "Main",
  'app.nav.new': "New run",
  'app.nav.runs': "Runs",
  'app.nav.compare': "Compare",
  'app.nav.studies': "Studies",
  'app.theme': "Theme",
  'app.theme.system': "System theme",
  'app.theme.light': "Light",
  'app.theme.dark': "Dark",
  'app.language': "Language",
  'app.notFound': "Page not found",
  'app.notFoundBefore': "Nothing lives at",
  'app.notFoundLink': "Go to the runs",
  'app.dismiss': "Dismiss",
} as const;
