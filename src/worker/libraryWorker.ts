/**
 * Worker thread that reads and indexes one large library file, so parsing a 40 MB `.bib` never
 * blocks the extension host. Receives `{ source, bytes, macros, stamp }`, answers with the source
 * as cache bytes (transferred, not copied): the same bytes the persisted cache keeps.
 */
import { parentPort } from 'node:worker_threads';
import { FileStamp, parseToCache } from '../core/sourceCache';

parentPort?.on('message', (msg: { source: string; bytes: Uint8Array; macros: [string, string][]; stamp: FileStamp }) => {
  const out = parseToCache(msg.source, msg.bytes, new Map(msg.macros), msg.stamp);
  parentPort!.postMessage(out, [out.buffer as ArrayBuffer]);
});
