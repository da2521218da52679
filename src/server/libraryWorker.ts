/**
 * Worker thread that reads and indexes one large library file, so parsing a 40 MB `.bib` never
 * blocks the extension host. Receives `{ source, bytes, macros, stamp }` and answers twice, both
 * times in the persisted cache's format: first `{ kind: 'papers', bytes }`, the papers alone (the
 * library is searchable from then on, by scanning), then `{ kind: 'cache', bytes }`, the papers
 * with their index (transferred, not copied; what the persisted cache keeps).
 */
import { parentPort } from 'node:worker_threads';
import { indexPapers } from '../core/search/searchIndex';
import { FileStamp, appendSegment, encodePapers } from '../core/library/sourceCache';
import { readLibraryFile } from '../core/sources/readLibraryFile';

parentPort?.on('message', (msg: { source: string; bytes: Uint8Array; macros: [string, string][]; stamp: FileStamp }) => {
  const result = readLibraryFile(msg.source, msg.bytes, new Map(msg.macros));
  const papers = encodePapers(result, msg.stamp);
  // a copy made here and transferred: receiving it costs the extension host nothing, where a
  // copied message would be copied again on its thread (tens of milliseconds for 100k papers)
  const sent = papers.slice();
  parentPort!.postMessage({ kind: 'papers', bytes: sent }, [sent.buffer as ArrayBuffer]);
  const cache = appendSegment(papers, indexPapers(result.papers));
  parentPort!.postMessage({ kind: 'cache', bytes: cache }, [cache.buffer as ArrayBuffer]);
});
