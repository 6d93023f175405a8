import { describe, expect, it } from 'vitest';
import { perClassPR } from '../../core/eval/precisionRecall.js';

describe('perClassPR', () => {
  it('precision over the predicted column, recall over the true row, by hand', () => {
    // true 0: 8 right, 2 taken for 1; true 1: 1 taken for 0, 4 right; class 2: no images, never predicted.
    const pr = perClassPR([[8, 2, 0], [1, 4, 0], [0, 0, 0]]);
    expect(pr[0]).toEqual({ precision: 8 / 9, recall: 8 / 10, support: 10 });
    expect(pr[1]).toEqual({ precision: 4 / 6, recall: 4 / 5, support: 5 });
    expect(pr[2]).toEqual({ support: 0 });
  });
});
