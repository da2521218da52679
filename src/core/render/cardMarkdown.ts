/**
 * The paper card as Markdown (hover, tree tooltip, completion documentation). Library text is data:
 * every title, author, venue and abstract is escaped so Markdown, HTML and `command:` links in it
 * render as plain text. Only the action links built here are links.
 */
import { Paper } from '../model/paper';
import { lightMarkup } from './lightMarkup';
import { sentenceRanges } from '../text/sentences';

/** Escapes text for Markdown: backslash-escapes punctuation and neutralises HTML. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~>]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/:/g, '&#58;')
    .replace(/\r?\n/g, ' ');
}

/** The first `n` sentences of an abstract (whole abstract when shorter). */
export function firstSentences(text: string, n = 3, maxChars = 600): string {
  const ranges = sentenceRanges(text);
  if (!ranges.length) return text.trim();
  let end = ranges[0].end;
  for (const r of ranges.slice(1, n)) {
    if (r.end - ranges[0].start > maxChars) break;
    end = r.end;
  }
  const out = text.slice(ranges[0].start, end);
  return end < ranges[ranges.length - 1].end ? out + ' …' : out;
}

/** A command link action on the card. */
export interface CardAction {
  title: string;
  command: string;
  args: unknown[];
}

export interface CardOptions {
  topics?: readonly string[];
  /** How often the paper is cited in the current document. */
  citedHere?: number;
  actions?: readonly CardAction[];
  abstractSentences?: number;
}

/** Authors for display: the first three, then "et al.". */
export function authorsLine(authors: readonly string[]): string {
  return authors.slice(0, 3).join(', ') + (authors.length > 3 ? ' et al.' : '');
}

/** A safe http(s) link target, or undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\/[^\s()<>"']+$/.test(url) ? url : undefined;
}

/**
 * Markdown of the card, in the order a writer needs it: the title, then authors · year · venue, then
 * the actions (visible without scrolling a hover), then the key, topics and links, then the
 * abstract's first sentences.
 */
export function cardMarkdown(p: Paper, options: CardOptions = {}): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(p.title)}**`);
  const meta = [p.authors.length ? escapeMarkdown(authorsLine(p.authors)) : '', p.year ? String(p.year) : '', p.venue ? escapeMarkdown(p.venue) : ''].filter(Boolean).join(' · ');
  if (meta) lines.push(meta);
  if (options.actions?.length) {
    lines.push(options.actions.map((a) => `[${escapeMarkdown(a.title)}](command:${a.command}?${encodeURIComponent(JSON.stringify(a.args))})`).join(' | '));
  }
  const facts: string[] = [`\`${p.key.replace(/`/g, "'")}\``];
  if (options.topics?.length) facts.push(options.topics.map(escapeMarkdown).join(', '));
  const arxiv = p.arxiv && /^[\w./-]+$/.test(p.arxiv) ? `https://arxiv.org/abs/${p.arxiv}` : undefined;
  if (arxiv) facts.push(`[arXiv:${escapeMarkdown(p.arxiv!)}](${arxiv})`);
  if (p.doi && /^10\.\S+$/.test(p.doi)) facts.push(`[doi:${escapeMarkdown(p.doi)}](https://doi.org/${encodeURI(p.doi).replace(/[()]/g, escape)})`);
  else if (!arxiv && safeUrl(p.url)) facts.push(`[link](${safeUrl(p.url)})`);
  if (options.citedHere !== undefined) facts.push(options.citedHere ? `cited ${options.citedHere}× here` : 'not cited here yet');
  lines.push(facts.join(' · '));
  if (p.abstract) lines.push(abstractMarkdown(firstSentences(p.abstract, options.abstractSentences ?? 2, options.abstractSentences ? 600 * options.abstractSentences : 320)));
  return lines.join('\n\n');
}

/**
 * An abstract as Markdown: its light Markdown (`*emphasis*`, `**strong**`, `` `code` ``) kept as
 * such around escaped text, everything else escaped. A code span's text is shown as written
 * (Markdown reads nothing inside it).
 */
export function abstractMarkdown(text: string): string {
  return lightMarkup(text)
    .map((s) => {
      switch (s.kind) {
        case 'code': return '`' + s.text.replace(/\r?\n/g, ' ') + '`';
        case 'em': return `*${escapeMarkdown(s.text)}*`;
        case 'strong': return `**${escapeMarkdown(s.text)}**`;
        default: return escapeMarkdown(s.text);
      }
    })
    .join('');
}
