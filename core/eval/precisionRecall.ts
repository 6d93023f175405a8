// Per-class precision and recall from a confusion matrix (rows: true class, columns: predicted class).
// No imports: the app bundles it too.

export interface ClassPR {
  /** Of the images predicted as this class, the share that are: tp / column sum; undefined when never predicted. */
  precision?: number;
  /** Of the images of this class, the share found: tp / row sum; undefined when the class has no test image. */
  recall?: number;
  /** Test images of this class (the row sum). */
  support: number;
}

export function perClassPR(confusion: number[][]): ClassPR[] {
  const n = confusion.length;
  return confusion.map((row, i) => {
    const tp = row[i] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < n; r++) predicted += confusion[r]?.[i] ?? 0;
    return { ...(predicted > 0 ? { precision: tp / predicted } : {}), ...(support > 0 ? { recall: tp / support } : {}), support };
  });
}
