/**
 * Worker thread that reads and indexes one large library file, so parsing a 40 MB `.bib` never
 * blocks the extension host. Receives `{ source, bytes, macros, stamp }` and answers twice:
 * first `{ kind: 'papers', … }` with the papers as plain data (the library is searchable from
 * then on, by scanning), then `{ kind: 'cache', bytes }` with the source as cache bytes holding
 * its index (transferred, not copied; also what the persisted cache keeps).
 */
import { parentPort } from 'node:worker_threads';
import { indexPapers } from '../core/searchIndex';
import { FileStamp, encodeSourceCache, plainPaper } from '../core/sourceCache';
import { readLibraryFile } from '../core/sources';

parentPort?.on('message', (msg: { source: string; bytes: Uint8Array; macros: [string, string][]; stamp: FileStamp }) => {
  const result = readLibraryFile(msg.source, msg.bytes, new Map(msg.macros));
  const papers = result.papers.map(plainPaper);
  parentPort!.postMessage({ kind: 'papers', source: result.source, papers, diagnostics: result.diagnostics, macros: result.macros ? [...result.macros] : undefined });
  const bytes = encodeSourceCache({ ...result, segment: indexPapers(papers) }, msg.stamp);
  parentPort!.postMessage({ kind: 'cache', bytes }, [bytes.buffer as ArrayBuffer]);
});
