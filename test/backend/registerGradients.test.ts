// The gradients the engine replaces in TF.js are registered by one call, which selectBackend makes.
import { describe, expect, it } from 'vitest';
import { tf } from '../../core/tf.js';
import { registerEngineGradients } from '../../core/backend/registerGradients.js';
import { avgPoolGradConfig, avgPoolGradGradConfig, maxPoolGradConfig } from '../../core/backend/poolGradients.js';
import { meanGradConfig, sumGradConfig } from '../../core/backend/reduceGradients.js';
import { tileGradConfig } from '../../core/backend/wasmKernels/tileGrad.js';

const ours = [tileGradConfig, maxPoolGradConfig, avgPoolGradConfig, avgPoolGradGradConfig, sumGradConfig, meanGradConfig];

describe('registerEngineGradients', () => {
  it('replaces TF.js\'s Tile, pooling, Sum and Mean gradients, and calling it again changes nothing', () => {
    expect(ours.filter((g) => tf.getGradient(g.kernelName) === g)).toEqual([]); // TF.js's own before
    registerEngineGradients();
    for (const g of ours) expect(tf.getGradient(g.kernelName)).toBe(g);
    registerEngineGradients();
    for (const g of ours) expect(tf.getGradient(g.kernelName)).toBe(g);
  });
});
