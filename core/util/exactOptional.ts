// Under exactOptionalPropertyTypes an optional field takes a value or no key, never `undefined`. Objects built
// from values that may be undefined go through here: the same keys in the same order, less the undefined ones
// (what JSON.stringify drops anyway, so written files stay byte-identical).

type UndefinedKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** T with each key whose value may be undefined made optional (and never undefined). */
export type DefinedOnly<T> = { [K in Exclude<keyof T, UndefinedKeys<T>>]: T[K] } & { [K in UndefinedKeys<T>]?: Exclude<T[K], undefined> };

export function definedOnly<T extends object>(o: T): DefinedOnly<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as DefinedOnly<T>;
}

type OptionalKeys<T> = { [K in keyof T]-?: Pick<T, K> extends Required<Pick<T, K>> ? never : K }[keyof T];

/** A partial update of T: any field may be left out, and an optional field set to undefined is cleared. */
export type Patch<T> = { [K in Exclude<keyof T, OptionalKeys<T>>]?: T[K] } & { [K in OptionalKeys<T>]?: T[K] | undefined };
