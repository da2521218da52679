/**
 * A small pool of library workers (one per spare core, at least one) that live as long as the server:
 * a folder of 900 library files is read by two threads side by side instead of 900 threads started one
 * after the other. A worker that dies is replaced; its job is answered with an error so the caller can
 * read the file itself.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileStamp } from '../../core/library/sourceCache';
import type { WorkerAnswer, WorkerJob } from './libraryWorker';

/** What a job resolves with: the papers' cache bytes at once, the index's later. */
export interface WorkerResult {
  papers: Uint8Array;
  /** Settles with the full cache bytes (papers and index), or undefined when indexing failed. */
  indexed: Promise<Uint8Array | undefined>;
}

interface Pending {
  job: WorkerJob;
  resolve: (r: WorkerResult | undefined) => void;
  indexDone?: (bytes: Uint8Array | undefined) => void;
}

interface Slot {
  worker: Worker;
  current?: Pending;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;

  /**
   * @param script the bundled worker (`dist/libraryWorker.js`)
   * @param size how many workers; default one per core (the server's own thread mostly waits while they read), at most 4
   */
  constructor(
    private readonly script: string,
    private readonly size = Math.max(1, Math.min(4, cpus().length)),
    private readonly onError: (message: string) => void = () => undefined,
  ) {}

  /** Jobs waiting or running. */
  get busy(): number {
    return this.queue.length + this.slots.filter((s) => s.current).length;
  }

  /**
   * Reads and indexes one file's bytes in a worker. Resolves undefined when no worker could do it
   * (the caller then reads the file on its own thread).
   */
  read(source: string, bytes: Uint8Array, macros: ReadonlyMap<string, string>, stamp: FileStamp): Promise<WorkerResult | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    // the buffer is transferred: it must hold these bytes alone (a pooled Buffer shares its memory)
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return new Promise((resolve) => {
      this.queue.push({ job: { id: this.nextId++, source, bytes: own, macros: [...macros], stamp }, resolve });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const next = this.queue.shift()!;
      slot.current = next;
      slot.worker.postMessage(next.job, [next.job.bytes.buffer as ArrayBuffer]);
    }
  }

  private spawn(): Slot | undefined {
    let worker: Worker;
    try {
      worker = new Worker(this.script);
    } catch (e) {
      this.onError(`could not start a library worker: ${e instanceof Error ? e.message : String(e)}`);
      // no worker can run here: every waiting job is read by the caller
      for (const p of this.queue.splice(0)) p.resolve(undefined);
      return undefined;
    }
    worker.unref();
    const slot: Slot = { worker };
    this.slots.push(slot);
    worker.on('message', (m: WorkerAnswer) => {
      const cur = slot.current;
      if (!cur || cur.job.id !== m.id) return;
      if (m.kind === 'papers') {
        const indexed = new Promise<Uint8Array | undefined>((r) => (cur.indexDone = r));
        cur.resolve({ papers: m.bytes, indexed });
      } else if (m.kind === 'cache') {
        cur.indexDone?.(m.bytes);
        this.finish(slot);
      } else if (m.kind === 'error') {
        this.onError(`reading ${cur.job.source} in a worker: ${m.message}`);
        if (cur.indexDone) cur.indexDone(undefined);
        else cur.resolve(undefined);
        this.finish(slot);
      }
    });
    const lost = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const cur = slot.current;
      slot.current = undefined;
      if (cur) {
        this.onError(`a library worker stopped while reading ${cur.job.source}: ${why}`);
        if (cur.indexDone) cur.indexDone(undefined);
        else cur.resolve(undefined);
      }
      if (!this.disposed) this.pump();
    };
    worker.on('error', (e) => lost(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return slot;
  }

  private finish(slot: Slot): void {
    slot.current = undefined;
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue.splice(0)) p.resolve(undefined);
    for (const s of this.slots.splice(0)) void s.worker.terminate();
  }
}
