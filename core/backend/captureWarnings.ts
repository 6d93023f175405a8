// tf.setBackend reports a failed initialization only through console.warn: while it runs, console.warn
// is swapped for one that also keeps the text (and put back however it ends).

/** Runs `fn`, keeping what it passes to console.warn (still printed); an exception becomes ok: false. */
export async function captureWarnings(fn: () => Promise<boolean>, describeError: (err: unknown) => string): Promise<{ ok: boolean; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    original(...args);
  };
  try {
    return { ok: await fn(), warnings };
  } catch (err) {
    return { ok: false, warnings: [...warnings, describeError(err)] };
  } finally {
    console.warn = original;
  }
}
