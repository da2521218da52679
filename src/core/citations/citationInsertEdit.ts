/**
 * Citing keys at the cursor: merged into the citation there, or written as a new one; and where a
 * citation goes ({@link planCitationInsert}): before a sentence's full stop, into a citation it
 * follows.
 */
import { sentenceEndAt } from '../text/paragraph';
import { sentenceEndAfter } from '../text/sentences';
import { isSpace } from './characters';
import { mergePlanAt } from './citeContext';
import { CitationFormatOptions, formatCitation, pandocKey, typstKey, uniqueKeys } from './formatCitation';
import { citeBoundaryBefore, isPlainTypstLabel, isTypstLabelChar } from './keySyntax';
import { DocumentSyntax } from './languages';
import { ParsedCitation } from './lexedDocument';

/** A replacement of `[start, end)` by `newText` in a document. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

function keyFor(kind: ParsedCitation['kind'], key: string): string {
  switch (kind) {
    case 'latex': return key;
    case 'typst-ref': case 'typst-cite': return typstKey(key);
    default: return pandocKey(key);
  }
}

/**
 * The edit that cites `keys` at `offset`. Inside a citation (see {@link citeContextAt}) the keys
 * are merged into it: keys already there are not repeated, the edit is an insertion at
 * `citation.insertAt` and never touches text outside the citation (`\citep[p.~3]{a|}` + b →
 * `\citep[p.~3]{a,b}`; `[@a|]` → `[@a; @b]`). Elsewhere a new citation (see
 * {@link formatCitation}) is inserted at `offset`, with a space added where Typst or a preceding
 * backslash would otherwise swallow it. An empty `newText` means nothing to add.
 */
export function citationInsertEdit(text: string, offset: number, keys: readonly string[], syntax: DocumentSyntax, options: CitationFormatOptions = {}, endingHere = false): TextEdit {
  const safeText = typeof text === 'string' ? text : '';
  const at = Math.max(0, Math.min(safeText.length, Number.isFinite(offset) ? Math.floor(offset) : 0));
  const ks = uniqueKeys(keys);
  const plan = mergePlanAt(safeText, at, syntax, endingHere);
  if (plan) {
    const have = new Set(plan.ctx.keysAll);
    const add = ks.filter((k) => !have.has(k));
    const insertAt = plan.ctx.citation.insertAt;
    if (!add.length) return { start: insertAt, end: insertAt, newText: '' };
    const sep = plan.ctx.citation.separator;
    const parts = add.map((k, idx) => (idx === 0 && plan.fillMarker ? keyFor(plan.kind, k).replace(/^@/, '') : keyFor(plan.kind, k)));
    if (plan.fillMarker && plan.kind === 'typst-ref' && !isPlainTypstLabel(add[0])) parts[0] = add[0]; // best effort
    return { start: insertAt, end: insertAt, newText: plan.leading + parts.join(sep) + plan.trailing };
  }
  let cit = formatCitation(ks, syntax, options);
  if (!cit) return { start: at, end: at, newText: '' };
  const before = at > 0 ? safeText.charCodeAt(at - 1) : -1;
  const after = at < safeText.length ? safeText.charCodeAt(at) : -1;
  if (before === 92) {
    let bs = 0;
    for (let k = at - 1; k >= 0 && safeText.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 1) cit = ' ' + cit;
  } else if (cit.startsWith('@') && before >= 0 && !isSpace(before) && before !== 40 && before !== 91 && before !== 123) {
    cit = ' ' + cit; // "@key" right after a word (or '#', ']' …) would not be read as a reference
  }
  // a following "@key" citation keeps its boundary; a following e-mail address stays one
  let q = at;
  while (q < safeText.length && (safeText.charCodeAt(q) === 42 || safeText.charCodeAt(q) === 95 || safeText.charCodeAt(q) === 126)) q++;
  const citationFollows = safeText.charCodeAt(q) === 64 && citeBoundaryBefore(safeText, q, 0);
  if (syntax === 'typst' && after >= 0 && (isTypstLabelChar(after) || citationFollows)) cit += ' ';
  if (syntax === 'markdown' && cit.endsWith(']') && (after === 40 || after === 91 || citationFollows)) cit += ' '; // not a link
  return { start: at, end: at, newText: cit };
}

/** Options for {@link planCitationInsert}. */
export interface CitationPlacement extends CitationFormatOptions {
  /**
   * Where the citation goes: `cursor` (default) at the cursor, or before the full stop when the
   * cursor is right after one; `mention` right after a name in prose (`LongLoRA~\cite{…}`);
   * `sentence` at the end of the sentence holding the cursor, before its full stop.
   */
  place?: 'cursor' | 'mention' | 'sentence';
  /** LaTeX: join a citation to the word before it with a tie `~` (default true) rather than a space. */
  latexTie?: boolean;
}

/**
 * The edit that cites `keys` for a writer at `offset`, placed where the citation belongs:
 * - right after a sentence's closing punctuation (`route.|`), before it: `route~\cite{a}.` in
 *   LaTeX (a space instead of the tie when `latexTie` is false), `route [@a].` in Markdown;
 * - right after a citation (`\cite{a}|`, `\cite{a}.|`, `[@a]|`), merged into it: `\cite{a,b}`,
 *   `[@a; @b]`;
 * - inside a citation, merged into it; elsewhere, a new citation at the cursor (see
 *   {@link citationInsertEdit}).
 * A new citation moved away from the cursor, or placed after a mention or at a sentence's end, is
 * joined to the word before it by the tie or a space.
 */
export function planCitationInsert(text: string, offset: number, keys: readonly string[], syntax: DocumentSyntax, options: CitationPlacement = {}): TextEdit {
  const safeText = typeof text === 'string' ? text : '';
  let at = Math.max(0, Math.min(safeText.length, Number.isFinite(offset) ? Math.floor(offset) : 0));
  const place = options.place ?? 'cursor';
  let moved = place !== 'cursor';
  if (place === 'sentence') at = sentenceEndAt(safeText, at);
  else if (place === 'cursor' && !mergePlanAt(safeText, at, syntax)) {
    const before = closingPunctuationBefore(safeText, at);
    if (before !== undefined) {
      at = before;
      moved = true;
    }
  }
  const merging = !!mergePlanAt(safeText, at, syntax, true);
  const edit = citationInsertEdit(safeText, at, keys, syntax, options, true);
  if (!moved || merging || !edit.newText || /^\s/.test(edit.newText)) return edit;
  if (at > 0 && !isSpace(safeText.charCodeAt(at - 1))) {
    edit.newText = (syntax === 'latex' && options.latexTie !== false ? '~' : ' ') + edit.newText;
  }
  return edit;
}

/**
 * The start of the closing punctuation (`.`, `!`, `?`, `...`) that ends a sentence right before
 * `at` (`route.|`, or `route. |` with nothing but spaces after the cursor on its line), as the one
 * sentence splitter reads it; undefined when `at` does not follow a sentence's end (`e.g.|`,
 * `et al.|`, `Fig.|`, mid-word).
 */
function closingPunctuationBefore(text: string, at: number): number | undefined {
  let b = at;
  let e = at;
  while (e < text.length && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9)) e++;
  const lineEnds = e >= text.length || text.charCodeAt(e) === 10 || text.charCodeAt(e) === 13;
  if (lineEnds) while (b > 0 && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
  else if (b < text.length && !isSpace(text.charCodeAt(b))) return undefined; // "route.|x": not a sentence's end
  let p = b;
  while (p > 0 && /[.!?]/.test(text[p - 1])) p--;
  if (p === b || p === 0 || text[p - 1] === '\\') return undefined; // no punctuation, or "\." (a command)
  return sentenceEndAfter(text, p) >= 0 ? p : undefined; // not "e.g.|", "et al.|", "Fig.|"
}
