// Typed message catalogues: plain objects of template strings, English as the source of truth.
// A template names its parameters: "{n} of {total}". A word that depends on a count is written
// "{n#run|runs}" (singular|plural, chosen by Intl.PluralRules for the language; Chinese has no plural and
// simply writes the count). The parameter names are read from English's literal types, so t('key', {…})
// is checked by the compiler: a missing or misspelt parameter fails the build, as does a key missing from
// a translation (typed Record<keyof English, string>).
import { intlLocale, type Lang } from './lang.js';

/** The parameter names of a template literal type: "a {x} b {n#y|z}" → "x" | "n". */
export type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${infer N}#${string}` ? N : P) | ParamNames<Rest>
  : never;

export type ParamValue = string | number;

/** The rest arguments of t(): none for a template without parameters, else one object naming them all. */
export type ParamsArg<S extends string> = [ParamNames<S>] extends [never] ? [] : [params: Record<ParamNames<S>, ParamValue>];

/** A translation of a catalogue: every key, each a string (its parameters are checked by a test). */
export type Translation<C extends Record<string, string>> = { readonly [K in keyof C]: string };

const PLACEHOLDER = /\{(\w+)(?:#([^}|]*)\|([^}]*))?\}/g;

/** The parameter names a template uses (sorted, unique), for the catalogue tests. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** Fills a template's parameters; numbers are formatted for the language. */
export function interpolate(template: string, params: Record<string, ParamValue> | undefined, lang: Lang): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string, one?: string, other?: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    if (one !== undefined) {
      let rules = pluralRules.get(lang);
      if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(intlLocale(lang))));
      return rules.select(Number(v)) === 'one' ? one : (other ?? one);
    }
    if (typeof v === 'number') {
      let nf = numberFormats.get(lang);
      if (!nf) numberFormats.set(lang, (nf = new Intl.NumberFormat(intlLocale(lang), { maximumFractionDigits: 20, useGrouping: false })));
      return nf.format(v);
    }
    return v;
  });
}

/** A t() over a source catalogue and its translations, reading the language from getLang at every call. */
export function translator<C extends Record<string, string>>(
  catalogues: { en: C } & Record<Exclude<Lang, 'en'>, Translation<C>>,
  getLang: () => Lang,
): <K extends keyof C & string>(key: K, ...params: ParamsArg<C[K]>) => string {
  return (key, ...params) => {
    const lang = getLang();
    const template = (catalogues[lang] as Record<string, string>)[key] ?? catalogues.en[key];
    return interpolate(template, params[0] as Record<string, ParamValue> | undefined, lang);
  };
}
