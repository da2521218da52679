/** Citing keys at the cursor: merged into the citation there, or written as a new one. */
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
export function citationInsertEdit(text: string, offset: number, keys: readonly string[], syntax: DocumentSyntax, options: CitationFormatOptions = {}): TextEdit {
  const safeText = typeof text === 'string' ? text : '';
  const at = Math.max(0, Math.min(safeText.length, Number.isFinite(offset) ? Math.floor(offset) : 0));
  const ks = uniqueKeys(keys);
  const plan = mergePlanAt(safeText, at, syntax);
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
