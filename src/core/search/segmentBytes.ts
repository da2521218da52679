/**
 * A segment saved and loaded as raw bytes (the persisted cache, the prebuilt index of the
 * built-in corpus), so a large library is not indexed again at the next start.
 */
import { FIELD_COUNT, SEGMENT_FORMAT_VERSION, Segment } from './termIndex';
const MAGIC = 0x43544958; // "CTIX"

/**
 * The segment as bytes: a small header, the typed arrays, then the terms as UTF-8 joined by
 * newlines (a term never contains one). Loading copies nothing but the term list.
 */
export function segmentToBytes(seg: Segment): Uint8Array {
  const termBytes = new TextEncoder().encode(seg.terms.join('\n'));
  const arrays: ArrayBufferView[] = [seg.termStart, seg.postDoc, seg.fieldDf, seg.fieldLengthSum, seg.postMeta, seg.fieldLength];
  const header = new Uint32Array([MAGIC, SEGMENT_FORMAT_VERSION, seg.docCount, seg.terms.length, seg.postDoc.length, termBytes.length]);
  const align8 = (n: number) => (n + 7) & ~7;
  let size = align8(header.byteLength);
  for (const a of arrays) size += align8(a.byteLength);
  size += termBytes.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const a of [header, ...arrays]) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += align8(a.byteLength);
  }
  out.set(termBytes, at);
  return out;
}

/** Reads bytes written by {@link segmentToBytes}; undefined when they are not a segment of this format. */
export function segmentFromBytes(bytes: Uint8Array): Segment | undefined {
  try {
    // typed-array views need aligned offsets: copy when the bytes do not start on an 8-byte boundary
    const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const u32 = (at: number, n: number) => new Uint32Array(buf.buffer, buf.byteOffset + at, n);
    if (buf.byteLength < 24) return undefined;
    const [magic, version, docCount, termCount, postCount, termBytes] = u32(0, 6);
    if (magic !== MAGIC || version !== SEGMENT_FORMAT_VERSION) return undefined;
    const align8 = (n: number) => (n + 7) & ~7;
    const F = FIELD_COUNT;
    let at = align8(24);
    const take = <T>(make: (off: number, n: number) => T, n: number, bytesPer: number): T => {
      const v = make(buf.byteOffset + at, n);
      at += align8(n * bytesPer);
      return v;
    };
    const termStart = take((o, n) => new Uint32Array(buf.buffer, o, n), termCount + 1, 4);
    const postDoc = take((o, n) => new Uint32Array(buf.buffer, o, n), postCount, 4);
    const fieldDf = take((o, n) => new Uint32Array(buf.buffer, o, n), termCount * F, 4);
    const fieldLengthSum = take((o, n) => new Float64Array(buf.buffer, o, n), F, 8);
    const postMeta = take((o, n) => new Uint16Array(buf.buffer, o, n), postCount, 2);
    const fieldLength = take((o, n) => new Uint16Array(buf.buffer, o, n), docCount * F, 2);
    if (at + termBytes > buf.byteLength) return undefined;
    const text = new TextDecoder().decode(new Uint8Array(buf.buffer, buf.byteOffset + at, termBytes));
    const list = termCount ? text.split('\n') : [];
    if (list.length !== termCount || termStart[termCount] !== postCount) return undefined;
    return { docCount, terms: list, termStart, postDoc, postMeta, fieldDf, fieldLength, fieldLengthSum };
  } catch {
    return undefined;
  }
}
