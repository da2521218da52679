/**
 * A worker thread of the server's pool: reads and indexes library files, one job at a time, so that
 * parsing never holds the thread that answers hovers and completions. A job `{ id, source, bytes,
 * macros, stamp }` is answered twice, both times in the persisted cache's format: first
 * `{ id, kind: 'papers', bytes }`, the papers alone (searchable from then on, by scanning), then
 * `{ id, kind: 'cache', bytes }`, the papers with their index (what the persisted cache keeps).
 * Bytes are transferred, never copied.
 */
import { parentPort } from 'node:worker_threads';
import { indexPapers } from '../../core/search/searchIndex';
import { FileStamp, appendSegment, encodePapers } from '../../core/library/sourceCache';
import { readLibraryFile } from '../../core/sources/readLibraryFile';

/** A job for the worker. */
export interface WorkerJob {
  id: number;
  source: string;
  bytes: Uint8Array;
  macros: [string, string][];
  stamp: FileStamp;
}

/** An answer of the worker. */
export type WorkerAnswer = { id: number; kind: 'papers' | 'cache'; bytes: Uint8Array } | { id: number; kind: 'error'; message: string };

parentPort?.on('message', (job: WorkerJob) => {
  try {
    const result = readLibraryFile(job.source, job.bytes, new Map(job.macros));
    const papers = encodePapers(result, job.stamp);
    const sent = papers.slice();
    parentPort!.postMessage({ id: job.id, kind: 'papers', bytes: sent } satisfies WorkerAnswer, [sent.buffer as ArrayBuffer]);
    const cache = appendSegment(papers, indexPapers(result.papers));
    parentPort!.postMessage({ id: job.id, kind: 'cache', bytes: cache } satisfies WorkerAnswer, [cache.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: job.id, kind: 'error', message: e instanceof Error ? e.message : String(e) } satisfies WorkerAnswer);
  }
});
