// Attention maps' colours: the same inferno-like map as the reports (core/report/inferno.ts).
import { inferno } from '../../../core/report/inferno.js';

export function colormap(v: number): [number, number, number] {
  return inferno(v);
}
