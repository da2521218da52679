/**
 * Worker thread that reads one large library file, so parsing a 40 MB `.bib` never blocks the
 * extension host. Receives `{ source, bytes, macros }`, answers with the `ReadResult`.
 */
import { parentPort } from 'node:worker_threads';
import { readLibraryFile } from '../core/sources';

parentPort?.on('message', (msg: { source: string; bytes: Uint8Array; macros: [string, string][] }) => {
  const result = readLibraryFile(msg.source, msg.bytes, new Map(msg.macros));
  parentPort!.postMessage({ ...result, macros: result.macros ? [...result.macros] : undefined });
});
