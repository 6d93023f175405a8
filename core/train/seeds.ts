// Independent random streams derived from the run's one seed, so that e.g. the teacher phase's length
// does not change the student's data order, and initialization does not consume the data stream.
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5; // FNV-1a of the label, mixed with the seed
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return (Math.imul(h ^ (seed >>> 0), 0x9e3779b1) ^ (seed >>> 0)) >>> 0;
}
