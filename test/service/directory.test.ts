// listDirectory: entries (folders first, by name), parent, places, and the PathPolicy (serve's roots).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createService } from '../../core/service/index.js';
import { FASHION_DIR, tempDir } from './harness.js';

const tmp = tempDir('atstudio-dir-');
afterAll(() => tmp.cleanup());

describe('listDirectory', () => {
  const runsDir = path.join(tmp.dir, 'runs');
  const root = path.join(tmp.dir, 'data');
  mkdirSync(runsDir, { recursive: true });
  mkdirSync(path.join(root, 'b-folder'), { recursive: true });
  mkdirSync(path.join(root, 'A-folder'), { recursive: true });
  writeFileSync(path.join(root, 'a.txt'), 'hello');
  writeFileSync(path.join(root, 'C.json'), '{}');

  it('lists folders first, each group by name, with file sizes; parent and places', async () => {
    const api = createService({ runsDir });
    try {
      const l = await api.listDirectory(root);
      expect(l.path).toBe(root);
      expect(l.parent).toBe(tmp.dir);
      expect(l.entries.map((e) => [e.name, e.kind])).toEqual([['A-folder', 'dir'], ['b-folder', 'dir'], ['C.json', 'file'], ['a.txt', 'file']]);
      expect(l.entries.find((e) => e.name === 'a.txt')).toMatchObject({ path: path.join(root, 'a.txt'), size: 5 });
      expect(l.entries.find((e) => e.kind === 'dir')!.size).toBeUndefined();
      const labels = l.places.map((p) => p.path);
      expect(labels).toContain(process.cwd());
      expect(labels).toContain(runsDir);
      expect(l.places.find((p) => p.path === runsDir)).toMatchObject({ label: 'Runs folder', kind: 'runs' }); // kind: the UI words it
      if (FASHION_DIR.startsWith('/usr/share/datasets/')) expect(labels).toContain(FASHION_DIR);
      // No path given: the process's working folder (no roots).
      expect((await api.listDirectory()).path).toBe(process.cwd());
      // The root of the file system has no parent.
      expect((await api.listDirectory('/')).parent).toBeNull();
    } finally {
      await api.close();
    }
  });

  it('refuses files, missing folders, and (with roots) folders outside them', async () => {
    const api = createService({ runsDir, roots: [root] });
    try {
      expect((await api.listDirectory()).path).toBe(root); // the first root
      const l = await api.listDirectory(path.join(root, 'A-folder'));
      expect(l.parent).toBe(root);
      expect((await api.listDirectory(root)).parent).toBeNull(); // its parent is outside the roots
      // Places are only those it may read: the root and the runs folder (home and cwd are outside).
      expect(l.places.map((p) => p.path).sort()).toEqual([root, runsDir].sort());
      await expect(api.listDirectory('/etc')).rejects.toMatchObject({ code: 'forbidden' });
      await expect(api.listDirectory(path.join(root, 'a.txt'))).rejects.toMatchObject({ code: 'invalid' });
      await expect(api.listDirectory(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'not-found' });
      await expect(api.listDirectory('relative/path')).rejects.toMatchObject({ code: 'invalid' });
    } finally {
      await api.close();
    }
  });
});
