/**
 * An append-only list of 32-bit integers in fixed-size chunks: growing it never copies what it
 * holds, so building the postings of a 100k-paper library never needs twice their memory at once.
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

export class ChunkedInts {
  private readonly chunks: Int32Array[] = [];
  length = 0;

  push(v: number): void {
    const c = this.length >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Int32Array(CHUNK));
    this.chunks[c][this.length & (CHUNK - 1)] = v;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & (CHUNK - 1)];
  }

  /** Calls `fn` for each value in order (faster than {@link get} in a loop). */
  forEach(fn: (v: number, i: number) => void): void {
    let i = 0;
    for (const chunk of this.chunks) {
      const n = Math.min(CHUNK, this.length - i);
      for (let k = 0; k < n; k++) fn(chunk[k], i++);
    }
  }
}
