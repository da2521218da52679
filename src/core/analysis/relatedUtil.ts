/** Small building blocks of the relatedness engine: hashes, buffers, top-k selection. */
import { foldAscii } from '../model/paper';
import { stripLatex } from '../text/markup';

/** Prepares a paper field for analysis: leftover LaTeX in titles and abstracts is stripped. */
export function fieldText(s: string | undefined): string {
  if (!s) return '';
  return s.includes('\\') || s.includes('$') ? stripLatex(s) : s;
}

/** 32-bit hash of an ordered pair of term ids (for the phrase document-frequency sketch). */
export function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}

/** A map key for an ordered pair of term ids. */
export function pairKey(a: number, b: number): number {
  return a * 0x4000000 + b;
}

/** A second, independent-enough hash derived from a {@link pairHash}. */
export function rehash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}

/** Growable Int32 buffer. */
export class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** A family name in the form {@link authorMentions} returns. */
export function foldName(name: string): string {
  return foldAscii(name).toLowerCase().replace(/[^a-z\s-]/g, '').trim();
}


/** The `k` papers with the highest accumulated scores (ties by library order). */
export function topK(acc: Float64Array, touched: Int32Array, n: number, k: number): number[] {
  // binary min-heap of paper indices keyed by score
  const heap: number[] = [];
  const less = (a: number, b: number) => acc[a] < acc[b] || (acc[a] === acc[b] && a > b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < heap.length && less(heap[l], heap[s])) s = l;
      if (r < heap.length && less(heap[r], heap[s])) s = r;
      if (s === i) return;
      [heap[i], heap[s]] = [heap[s], heap[i]];
      i = s;
    }
  };
  for (let j = 0; j < n; j++) {
    const d = touched[j];
    if (heap.length < k) {
      heap.push(d);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i], heap[parent])) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
      }
    } else if (less(heap[0], d)) {
      heap[0] = d;
      down(0);
    }
  }
  return heap;
}

