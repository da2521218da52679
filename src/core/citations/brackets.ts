/** Matching brackets in a document, tolerant of unclosed ones and never across a blank line. */
import { blankLineAt } from './characters';

/**
 * Where each `[` and `{` of a document closes, computed in one pass the first time it is asked
 * (escaped brackets skipped; in LaTeX also `%` comments; pairs never span a blank line), so that
 * reading arguments stays linear even in a document full of unclosed brackets.
 */
export class BracketIndex {
  private closeOf: Int32Array | undefined;

  constructor(private readonly text: string, private readonly n: number, private readonly latex: boolean) {}

  /** The offset of the `]`/`}` closing the bracket at `i`, or -1. */
  close(i: number): number {
    if (!this.closeOf) this.build();
    return (this.closeOf as Int32Array)[i];
  }

  private build(): void {
    const { text, n } = this;
    const closeOf = new Int32Array(n + 1).fill(-1);
    const squares: number[] = [];
    const braces: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (c) {
        case 92: i++; break;
        case 37:
          if (this.latex) { const e = text.indexOf('\n', i); i = e < 0 ? n : e - 1; }
          break;
        case 10:
          if (blankLineAt(text, i, n)) { squares.length = 0; braces.length = 0; }
          break;
        case 91: squares.push(i); break;
        case 93: if (squares.length) closeOf[squares.pop() as number] = i; break;
        case 123: braces.push(i); break;
        case 125: if (braces.length) closeOf[braces.pop() as number] = i; break;
      }
    }
    this.closeOf = closeOf;
  }
}

/**
 * Finds the bracket closing the one at `i` (same kind, nested pairs counted, backslash escapes
 * skipped), giving up at a blank line or after `limit` characters. Returns -1 when not found.
 */
export function findClosing(text: string, i: number, n: number, open: number, close: number, limit = 4000): number {
  let depth = 0;
  const stop = Math.min(n, i + limit);
  for (let j = i; j < stop; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) { j++; continue; }
    if (c === open) depth++;
    else if (c === close) { if (--depth === 0) return j; }
    else if (c === 10 && blankLineAt(text, j, n)) return -1;
  }
  return -1;
}
