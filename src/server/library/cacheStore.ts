/**
 * The persisted cache of parsed and indexed library files: one file per library file (named by a
 * digest of its URI) in the server's storage folder. A cache file is used only when it was made from
 * exactly the same file (size, modification time, other files' @string macros, format version: see
 * `core/library/sourceCache`). The folder is kept under {@link MAX_CACHE_BYTES}: the least recently
 * used files go first.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** The cache folder's size limit (a 100k-entry file takes about 70 MB; a folder of 900 exports about 100 MB). */
export const MAX_CACHE_BYTES = 1024 * 1024 * 1024;

export class CacheStore {
  private pruning: Promise<void> | undefined;
  private prunePending = false;

  constructor(readonly dir: string, private readonly log: (message: string) => void) {}

  private fileOf(source: string): string {
    return join(this.dir, createHash('sha1').update(source).digest('hex') + '.bin');
  }

  /** The cached bytes for `source`, or undefined (none, or unreadable). Marks the file as used. */
  async read(source: string): Promise<Uint8Array | undefined> {
    const file = this.fileOf(source);
    try {
      const bytes = await fs.readFile(file);
      const now = new Date();
      void fs.utimes(file, now, now).catch(() => undefined);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch {
      return undefined;
    }
  }

  /** Writes the cache of `source`; failures are logged, never thrown. */
  async write(source: string, bytes: Uint8Array): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true });
      const file = this.fileOf(source);
      // write then rename: a reader never sees half a file
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
      this.schedulePrune();
    } catch (e) {
      this.log(`could not write the library cache for ${source}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Prunes once after a burst of writes (900 files arriving write 900 caches). */
  private schedulePrune(): void {
    if (this.pruning) {
      this.prunePending = true;
      return;
    }
    this.pruning = this.prune()
      .catch((e) => this.log(`could not prune the library cache: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.pruning = undefined;
        if (this.prunePending) {
          this.prunePending = false;
          this.schedulePrune();
        }
      });
  }

  private async prune(): Promise<void> {
    const names = (await fs.readdir(this.dir)).filter((n) => n.endsWith('.bin'));
    const files = await Promise.all(
      names.map(async (n) => {
        const st = await fs.stat(join(this.dir, n)).catch(() => undefined);
        return { path: join(this.dir, n), size: st?.size ?? 0, used: st?.mtimeMs ?? 0 };
      }),
    );
    let total = files.reduce((s, f) => s + f.size, 0);
    if (total <= MAX_CACHE_BYTES) return;
    files.sort((a, b) => a.used - b.used);
    for (const f of files) {
      if (total <= MAX_CACHE_BYTES) break;
      await fs.rm(f.path, { force: true });
      total -= f.size;
    }
  }
}
