/**
 * Light Markdown in library text: abstracts copied from arXiv or Zotero often carry `*emphasis*`,
 * `**strong**` or `` `code` ``, which showed as raw asterisks on the card. The spans are found
 * here and rendered by each front end's own escaping (HTML for the card, Markdown for hovers):
 * what is inside a span is still text, never markup, so nothing but these three marks changes.
 */

/** One run of text and how it is marked. */
export interface MarkupSpan {
  kind: 'text' | 'em' | 'strong' | 'code';
  text: string;
}

/*
 * `code`, **strong**, *em*, _em_. A mark opens and closes next to non-space text and not inside a
 * word ("a*b*c", "snake_case_name" and "$x^*$" stay text).
 */
const SPAN = /(`+)([^`\n]+?)\1|(?<![\p{L}\p{N}*\\])\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![\p{L}\p{N}*])|(?<![\p{L}\p{N}_\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?![\p{L}\p{N}_])/gu;

/** The spans of `text`, in order; their texts joined are `text` without the marks. */
export function lightMarkup(text: string): MarkupSpan[] {
  const out: MarkupSpan[] = [];
  if (typeof text !== 'string' || !text) return out;
  let last = 0;
  for (const m of text.matchAll(SPAN)) {
    const at = m.index!;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    if (m[2] !== undefined) out.push({ kind: 'code', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'strong', text: m[3] });
    else out.push({ kind: 'em', text: m[4] ?? m[5] });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}

/** `text` with its light Markdown rendered by `escape` for text and `wrap` for each marked span. */
export function renderLightMarkup(text: string, escape: (s: string) => string, wrap: (kind: Exclude<MarkupSpan['kind'], 'text'>, escaped: string) => string): string {
  return lightMarkup(text)
    .map((s) => (s.kind === 'text' ? escape(s.text) : wrap(s.kind, escape(s.text))))
    .join('');
}
