/** An in-memory file system for the project model's tests: files by absolute path, folders implied. */
import { dirname } from 'node:path';
import { ProjectHost } from '../../src/core/project/projectHost';

export class MemoryHost implements ProjectHost {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  /** How many times each file was read (to see a scan skipped). */
  readonly reads = new Map<string, number>();

  constructor(files: Record<string, string> = {}, extraDirs: string[] = []) {
    for (const [p, t] of Object.entries(files)) this.add(p, t);
    for (const d of extraDirs) this.addDir(d);
  }

  add(path: string, text: string): this {
    this.files.set(path, text);
    this.addDir(dirname(path));
    return this;
  }

  addDir(dir: string): void {
    for (let d = dir; !this.dirs.has(d); d = dirname(d)) {
      this.dirs.add(d);
      if (dirname(d) === d) break;
    }
  }

  async readText(path: string): Promise<string | undefined> {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    return this.files.get(path);
  }

  async kind(path: string): Promise<'file' | 'directory' | 'missing'> {
    return this.files.has(path) ? 'file' : this.dirs.has(path) ? 'directory' : 'missing';
  }

  async list(dir: string): Promise<string[]> {
    const out = new Set<string>();
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length) out.add(p.slice(prefix.length).split('/')[0]);
    }
    return [...out];
  }
}
