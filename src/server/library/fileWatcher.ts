/**
 * Watches library files on disk, so a `.bib` changed by another program (a reference manager's
 * export, `git checkout`) is read again. One `fs.watch` per folder, shared by the files in it;
 * events are debounced per file. Works in any editor: no editor watch API is needed.
 */
import { FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Changes settle this long before a file is read again (an export writes in several steps). */
const SETTLE_MS = 150;

export class FileWatcher {
  private readonly folders = new Map<string, { watcher: FSWatcher; files: Set<string> }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly changed: (path: string) => void) {}

  /** Starts watching `path` (a file); watching a file twice is watching it once. */
  add(path: string): void {
    const dir = dirname(path);
    const name = basename(path);
    let folder = this.folders.get(dir);
    if (!folder) {
      let watcher: FSWatcher;
      try {
        watcher = watch(dir, { persistent: false });
      } catch {
        return; // no such folder (yet), or not watchable: the file is read when asked again
      }
      const files = new Set<string>();
      watcher.on('change', (_event, file) => {
        const n = typeof file === 'string' ? file : file?.toString();
        if (n && files.has(n)) this.schedule(dir, n);
        // some platforms do not name the file: every watched file of the folder may have changed
        if (!n) for (const f of files) this.schedule(dir, f);
      });
      watcher.on('error', () => {
        watcher.close();
        this.folders.delete(dir);
      });
      folder = { watcher, files };
      this.folders.set(dir, folder);
    }
    folder.files.add(name);
  }

  remove(path: string): void {
    const dir = dirname(path);
    const folder = this.folders.get(dir);
    if (!folder) return;
    folder.files.delete(basename(path));
    if (!folder.files.size) {
      folder.watcher.close();
      this.folders.delete(dir);
    }
  }

  private schedule(dir: string, name: string): void {
    const path = dir.endsWith('/') ? dir + name : `${dir}/${name}`;
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        this.changed(path);
      }, SETTLE_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const f of this.folders.values()) f.watcher.close();
    this.folders.clear();
  }
}
