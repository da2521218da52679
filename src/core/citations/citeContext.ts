/**
 * The cursor inside a citation: the keys around it, what completion replaces, and the plan for
 * merging new keys into the citation (where they go, what separates them).
 */
import { isSpace } from './characters';
import { lexDocument } from './documentLexer';
import { citeBoundaryBefore, isPandocInternal, isPandocRegChar, isTypstLabelChar } from './keySyntax';
import { DocumentSyntax } from './languages';
import { CLASS_PROSE, LexedDocument, ParsedCitation, ParsedKey } from './lexedDocument';

/** Where the cursor is relative to a citation, for completion and for merging keys into it. */
export interface CiteContext {
  /** Keys of the citation before the one at the cursor (not including it). */
  keysBefore: string[];
  /** Every key of the citation, including a partial key at the cursor. */
  keysAll: string[];
  /** The part of the key at the cursor typed so far (text from the key's start to the cursor). */
  prefix: string;
  /** Range of the whole key at the cursor (empty at the cursor when there is none): what a completion replaces. */
  replaceStart: number;
  replaceEnd: number;
  /**
   * Whether the cursor is where a key goes (in a key, after `{`, `,`, `@`), i.e. completion makes
   * sense. False in the command name, an optional argument, a Pandoc prefix/suffix text.
   */
  inKey: boolean;
  /**
   * The citation: its range, `insertAt` = where new keys are merged, `separator` = what goes
   * between two keys (`,` or `, ` in LaTeX, `; ` in Pandoc, ` ` in Typst; Pandoc and Typst keys
   * carry their own `@`).
   */
  citation: { start: number; end: number; insertAt: number; separator: string };
}

/** How new keys are merged into the citation at the cursor: its context and the text around the new keys. */
export interface MergePlan {
  ctx: CiteContext;
  kind: ParsedCitation['kind'];
  /** Text before the first new key. */
  leading: string;
  /** Text after the last new key. */
  trailing: string;
  /** The first new key fills an `@` already typed: write it without its `@`. */
  fillMarker: boolean;
}

/** The citations around `offset`, lexed from a window of the text that certainly holds them. */
function citationsNear(text: string, offset: number, syntax: DocumentSyntax): { lexed: LexedDocument; text: string } {
  const end = Math.min(text.length, offset + 4096);
  const t = end < text.length ? text.slice(0, end) : text;
  return { lexed: lexDocument(t, syntax), text: t };
}

/**
 * Whether `offset` is inside a citation, and what completing or merging keys there means:
 * LaTeX `\citep[p.~3]{a,|`, `\cite{a|}` (also after commas, unterminated while typing, in the
 * command name or an optional argument), Pandoc `[@a; @|]`, `[@a|]`, bare `@|`/`@ke|`, Typst
 * `@ke|` and `#cite(<|>)`. Undefined outside citations, in comments and code.
 */
export function citeContextAt(text: string, offset: number, syntax: DocumentSyntax): CiteContext | undefined {
  return mergePlanAt(text, offset, syntax)?.ctx;
}

/**
 * The merge plan for the citation at `offset` (see {@link citeContextAt}); undefined outside citations.
 * With `endingHere`, a closed citation that ends exactly at `offset` (`\cite{a}|`, `[@a]|`) counts
 * too: citing again right after a citation adds to it.
 */
export function mergePlanAt(text: string, offset: number, syntax: DocumentSyntax, endingHere = false): MergePlan | undefined {
  try {
    if (typeof text !== 'string' || !Number.isFinite(offset) || offset < 0 || offset > text.length) return undefined;
    const { lexed, text: t } = citationsNear(text, offset, syntax);
    let found: ParsedCitation | undefined;
    for (const c of lexed.citations) {
      if (c.start >= offset) break;
      const openEnded = !c.terminated || c.kind === 'pandoc-bare' || c.kind === 'typst-ref';
      if (offset < c.end || (offset === c.end && (openEnded || endingHere))) found = c;
    }
    if (found) return planFor(t, found, offset);
    if (syntax === 'markdown' || syntax === 'typst') return emptyMarkerPlan(t, lexed.mask, offset, syntax);
    return undefined;
  } catch {
    return undefined;
  }
}

function nonEmptyKeys(c: ParsedCitation): ParsedKey[] {
  return c.keys.filter((k) => k.key);
}

function planFor(text: string, c: ParsedCitation, offset: number): MergePlan {
  const keys = nonEmptyKeys(c);
  const keysAll = keys.map((k) => k.key);
  if (c.kind === 'latex') return latexPlan(text, c, offset, keysAll);
  let cur: ParsedKey | undefined;
  for (const k of c.keys) if (k.start <= offset && offset <= k.end) cur = k;
  const separator = c.kind === 'typst-ref' || c.kind === 'typst-cite' ? ' ' : '; ';
  const keysBefore = keys.filter((k) => k !== cur && k.end <= (cur ? cur.start : offset)).map((k) => k.key);
  const ctx: CiteContext = {
    keysBefore, keysAll, prefix: '', replaceStart: offset, replaceEnd: offset, inKey: false,
    citation: { start: c.start, end: c.end, insertAt: c.end, separator },
  };
  const plan: MergePlan = { ctx, kind: c.kind, leading: separator, trailing: '', fillMarker: false };
  if (cur) {
    ctx.inKey = true;
    ctx.prefix = text.slice(cur.start, offset);
    ctx.replaceStart = cur.start;
    ctx.replaceEnd = cur.end;
  }
  if (c.kind === 'typst-cite' || c.kind === 'typst-ref' || c.kind === 'pandoc-bare') {
    // after the citation (#cite takes one key: new keys follow as @refs)
    ctx.citation.insertAt = c.end;
    const after = c.end < text.length ? text.charCodeAt(c.end) : -1;
    if (after >= 0 && (c.kind === 'pandoc-bare' ? isPandocRegChar(after) || isPandocInternal(after) : isTypstLabelChar(after))) plan.trailing = ' ';
    return plan;
  }
  // bracketed Pandoc citation: after the item holding the cursor (or the last item before it)
  const items = c.items ?? [];
  let target = items.length - 1;
  if (cur) target = cur.item;
  else {
    for (let k = 0; k < items.length; k++) if (items[k].start <= offset) target = k;
    if (target < 0) target = 0;
  }
  const empty = c.keys.find((k) => k.item === target && !k.key && k.marker >= 0);
  if (empty) {
    ctx.citation.insertAt = empty.start;
    plan.leading = '';
    plan.fillMarker = true;
  } else {
    ctx.citation.insertAt = items.length ? items[Math.max(0, target)].end : c.start + 1;
    if (!items.length || items[Math.max(0, target)].end === items[Math.max(0, target)].start) plan.leading = '';
  }
  // keep the new key from running into what follows an unterminated citation ("[@a@b$x$")
  const next = ctx.citation.insertAt < text.length ? text.charCodeAt(ctx.citation.insertAt) : -1;
  if (next >= 0 && !isSpace(next) && next !== 59 && next !== 93) plan.trailing = ' ';
  return plan;
}

function latexPlan(text: string, c: ParsedCitation, offset: number, keysAll: string[]): MergePlan {
  let separator = ',';
  for (const g of c.groups) if (/,[ \t]/.test(text.slice(g.contentStart, g.contentEnd))) separator = ', ';
  const ctx: CiteContext = {
    keysBefore: [], keysAll, prefix: '', replaceStart: offset, replaceEnd: offset, inKey: false,
    citation: { start: c.start, end: c.end, insertAt: c.end, separator },
  };
  const plan: MergePlan = { ctx, kind: 'latex', leading: separator, trailing: '', fillMarker: false };
  const gi = c.groups.findIndex((g) => g.contentStart <= offset && offset <= g.contentEnd);
  const cur = gi >= 0 ? c.keys.find((k) => k.group === gi && k.start <= offset && offset <= k.end) : undefined;
  ctx.keysBefore = c.keys.filter((k) => k !== cur && k.end <= (cur ? cur.start : offset)).map((k) => k.key);
  if (cur) {
    ctx.inKey = true;
    ctx.prefix = text.slice(cur.start, offset);
    ctx.replaceStart = cur.start;
    ctx.replaceEnd = cur.end;
    ctx.citation.insertAt = cur.end;
    return plan;
  }
  if (gi >= 0) {
    const g = c.groups[gi];
    const inGroup = c.keys.filter((k) => k.group === gi);
    const prev = [...inGroup].reverse().find((k) => k.end <= offset);
    const next = inGroup.find((k) => k.start >= offset);
    const prevComma = prev ? /,/.test(stripLatexComments(text.slice(prev.end, offset))) : true;
    if (inLatexComment(text, Math.max(g.contentStart, text.lastIndexOf('\n', offset - 1) + 1), offset)) {
      // the cursor is in a % comment inside the key list: keys go after the previous key
      ctx.citation.insertAt = prev ? prev.end : g.contentStart;
      plan.leading = prev ? separator : '';
      plan.trailing = !prev && next ? separator : '';
      return plan;
    }
    if (prev && !prevComma) {
      // "{a |}": a key cannot be typed here; new keys go right after "a"
      ctx.citation.insertAt = prev.end;
      return plan;
    }
    ctx.inKey = true;
    ctx.citation.insertAt = offset;
    plan.leading = '';
    const nextComma = next ? /,/.test(stripLatexComments(text.slice(offset, next.start))) : true;
    plan.trailing = next && !nextComma ? (isSpace(text.charCodeAt(offset)) ? ',' : separator) : '';
    return plan;
  }
  // in the command name or an optional argument: append to the last group
  const lastGroup = c.groups.length - 1;
  const last = [...c.keys].reverse().find((k) => k.group === lastGroup);
  if (last) ctx.citation.insertAt = last.end;
  else {
    ctx.citation.insertAt = c.groups[lastGroup].contentStart;
    plan.leading = '';
  }
  return plan;
}

/** Whether [from, to) holds an unescaped `%` (so `to` is inside a comment on that line). */
function inLatexComment(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 37) return true;
  }
  return false;
}

function stripLatexComments(s: string): string {
  return s.replace(/%[^\n]*/g, '');
}

/** `@|` with nothing typed after the `@` yet (Markdown, Typst), possibly as `[@|]`. */
function emptyMarkerPlan(text: string, mask: Uint8Array, offset: number, syntax: DocumentSyntax): MergePlan | undefined {
  const at = offset - 1;
  if (at < 0 || text.charCodeAt(at) !== 64 || mask[at] !== CLASS_PROSE) return undefined;
  if (!citeBoundaryBefore(text, at, 0)) return undefined;
  if (syntax === 'typst' && text.charCodeAt(at - 1) === 45) return undefined;
  let start = at;
  let end = offset;
  if (syntax === 'markdown') {
    let b = at - 1;
    if (text.charCodeAt(b) === 45) b--;
    if (b >= 0 && text.charCodeAt(b) === 91 && mask[b] === CLASS_PROSE) {
      start = b;
      let q = offset;
      while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      if (text.charCodeAt(q) === 93) end = q + 1;
    } else if (b + 1 < at) start = b + 1;
  }
  const separator = syntax === 'typst' ? ' ' : '; ';
  const ctx: CiteContext = {
    keysBefore: [], keysAll: [], prefix: '', replaceStart: offset, replaceEnd: offset, inKey: true,
    citation: { start, end, insertAt: offset, separator },
  };
  // "@|$x$": the key written at the marker must not run into the text after it ("@a$x" is one key)
  const next = end === offset && offset < text.length ? text.charCodeAt(offset) : -1;
  const runsOn = next >= 0 && (syntax === 'typst' ? isTypstLabelChar(next) : isPandocRegChar(next) || isPandocInternal(next));
  return { ctx, kind: syntax === 'typst' ? 'typst-ref' : 'pandoc', leading: '', trailing: runsOn ? ' ' : '', fillMarker: true };
}

