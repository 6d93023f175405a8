// Class names: from the files that ship with the datasets when present, else well-known or neutral names.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Layout } from './detect.js';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
export const DIGIT_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const neutralNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `class ${i}`);

/** Non-empty lines of a names file (batches.meta.txt, fine_label_names.txt, classes.txt), or null. */
export async function readNamesFile(file: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return names.length > 0 ? names : null;
}

/**
 * `count` names: the first `count` lines of the names file when it has at least that many, else neutral
 * names (a short or missing file must not shift labels onto the wrong names).
 */
export async function namesFromFile(file: string | undefined, count: number): Promise<string[]> {
  const names = file ? await readNamesFile(file) : null;
  return names && names.length >= count ? names.slice(0, count) : neutralNames(count);
}

/**
 * IDX files cannot tell Fashion-MNIST from MNIST by their bytes; the names of the files, their folder and
 * its parent can (not the whole path: /home/fashionista/mnist is MNIST).
 */
export function idxClassNames(files: string[]): string[] {
  const near = (f: string) => [path.basename(f), path.basename(path.dirname(path.resolve(f)))];
  const hint = files.flatMap(near).join('\n').toLowerCase();
  return hint.includes('fashion') ? [...FASHION_MNIST_CLASSES] : [...DIGIT_CLASSES];
}

/** IDX class names: classes.txt when present (any count), else MNIST-family names by folder hint. */
export async function idxClasses(layout: Extract<Layout, { format: 'idx' }>): Promise<string[]> {
  const fromFile = layout.namesFile ? await readNamesFile(layout.namesFile) : null;
  return fromFile ?? idxClassNames([layout.root, layout.train.images]);
}

export function namesNote(file: string | undefined, classes: string[], n: number): string[] {
  if (!file) return [`no class-names file; classes are named "class 0" … "class ${n - 1}"`];
  if (classes[0] === 'class 0') return [`${path.basename(file)} has fewer than ${n} names; classes are named "class 0" …`];
  return [];
}
