// Append-only JSON Lines. A crash can leave the last line half-written; readers skip a line that does
// not parse, and the first append after opening starts on a fresh line so it never glues onto a torn one.
import { promises as fs } from 'node:fs';

export interface JsonLines<T> {
  values: T[];
  /** 1-based numbers of lines that did not parse (a torn last line after a crash, typically). */
  skippedLines: number[];
}

/** Whether the file is missing, empty or ends with a newline. */
async function endsCleanly(file: string): Promise<boolean> {
  let h;
  try {
    h = await fs.open(file, 'r');
    const { size } = await h.stat();
    if (size === 0) return true;
    const buf = Buffer.alloc(1);
    await h.read(buf, 0, 1, size - 1);
    return buf[0] === 0x0a;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  } finally {
    await h?.close();
  }
}

export class JsonLinesAppender {
  private checked = false;

  constructor(readonly file: string) {}

  /** Append values as lines; fsync when `sync` (durability at epoch ends without paying it per step). */
  async append(values: unknown[], sync: boolean): Promise<void> {
    let text = values.map((v) => JSON.stringify(v)).join('\n') + '\n';
    if (!this.checked) {
      if (!(await endsCleanly(this.file))) text = '\n' + text;
      this.checked = true;
    }
    const h = await fs.open(this.file, 'a');
    try {
      await h.appendFile(text);
      if (sync) await h.sync();
    } finally {
      await h.close();
    }
  }
}

export async function readJsonLines<T>(file: string): Promise<JsonLines<T>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { values: [], skippedLines: [] };
    throw err;
  }
  const values: T[] = [];
  const skippedLines: number[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      skippedLines.push(i + 1);
    }
  });
  return { values, skippedLines };
}
