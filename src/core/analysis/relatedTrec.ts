/**
 * The field's batch conventions for related-paper suggestions: TREC topics in, a TREC run out.
 *
 * Topics (as trec_eval, Anserini and ACM-CR write them):
 *
 *     <top>
 *     <num> Number: 337796001
 *     <title> The citing paper's title
 *     <desc> Description:
 *     The paragraph being written …
 *     <narr> Narrative:
 *     </top>
 *
 * The query is the description (the paragraph); a topic without one falls back to its title.
 * A run has one line per suggestion: `NUM Q0 KEY RANK SCORE TAG`.
 */

/** One topic: its number (as written) and the text to find papers for. */
export interface TrecTopic {
  id: string;
  /** 1-based line of its `<top>` in the file. */
  line: number;
  title: string;
  text: string;
}

/** A problem that leaves a topic out (an empty one), with where it is. */
export interface TrecProblem {
  line: number;
  message: string;
}

/** The file is not TREC topics at all: the message names the file and the line. */
export class TrecFormatError extends Error {}

const TAG = /<(\/?)(top|num|title|desc|narr)>/gi;

/**
 * Reads a TREC topics file. Tags may be in any case and spaced freely; a field runs to the next
 * tag. Empty topics are left out and reported in `problems`; a file that is not TREC topics
 * (no `<top>`, a `<top>` never closed, a topic without a number, text outside topics) throws a
 * {@link TrecFormatError} naming `file` and the line.
 */
export function parseTrecTopics(content: string, file: string): { topics: TrecTopic[]; problems: TrecProblem[] } {
  const text = content.replace(/^\uFEFF/, '');
  const lineAt = lineCounter(text);
  const fail = (offset: number, what: string): never => {
    throw new TrecFormatError(`${file}:${lineAt(offset)}: ${what}`);
  };
  const topics: TrecTopic[] = [];
  const problems: TrecProblem[] = [];
  const seen = new Set<string>();
  let open: { offset: number; fields: Map<string, string> } | undefined;
  let field: { name: string; from: number } | undefined;
  let last = 0;
  const closeField = (to: number) => {
    if (field && open) open.fields.set(field.name, (open.fields.get(field.name) ?? '') + text.slice(field.from, to));
    field = undefined;
  };
  for (const m of text.matchAll(TAG)) {
    const at = m.index;
    const name = m[2].toLowerCase();
    const closing = m[1] === '/';
    if (!open) {
      if (text.slice(last, at).trim()) fail(last + text.slice(last, at).search(/\S/), 'text outside a <top> … </top> topic: this is not a TREC topics file');
      if (name !== 'top' || closing) fail(at, `<${m[1]}${m[2]}> outside a <top> … </top> topic: this is not a TREC topics file`);
      open = { offset: at, fields: new Map() };
      last = at + m[0].length;
      continue;
    }
    closeField(at);
    if (name === 'top') {
      if (!closing) fail(at, `<top> inside the topic opened on line ${lineAt(open.offset)} (missing </top>)`);
      const topic = finishTopic(open.fields, lineAt(open.offset), file, problems);
      if (topic) {
        if (seen.has(topic.id)) problems.push({ line: topic.line, message: `topic ${topic.id} appears twice; the second is left out` });
        else {
          seen.add(topic.id);
          topics.push(topic);
        }
      }
      open = undefined;
    } else if (!closing) {
      field = { name, from: at + m[0].length };
    }
    last = at + m[0].length;
  }
  if (open) fail(open.offset, '<top> is never closed by </top>');
  if (text.slice(last).trim()) fail(last + text.slice(last).search(/\S/), 'text outside a <top> … </top> topic: this is not a TREC topics file');
  if (topics.length === 0 && problems.length === 0) fail(0, 'no <top> … </top> topic: this is not a TREC topics file');
  return { topics, problems };
}

function finishTopic(fields: Map<string, string>, line: number, file: string, problems: TrecProblem[]): TrecTopic | undefined {
  const num = (fields.get('num') ?? '').replace(/^\s*Number\s*:/i, '').trim();
  if (!num) throw new TrecFormatError(`${file}:${line}: the topic has no <num> Number: …`);
  if (/\s/.test(num)) throw new TrecFormatError(`${file}:${line}: the topic number "${num}" has spaces`);
  const title = clean(fields.get('title') ?? '');
  const desc = clean((fields.get('desc') ?? '').replace(/^\s*Description\s*:/i, ''));
  const body = desc || title;
  if (!body) {
    problems.push({ line, message: `topic ${num} is empty (no description or title); it is left out` });
    return undefined;
  }
  return { id: num, line, title, text: body };
}

/** Field text with its lines joined back into prose. */
function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Maps offsets to 1-based line numbers, for offsets given in increasing order or not. */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * The run lines of one topic: `NUM Q0 KEY RANK SCORE TAG`, ranks from 1. Scores are printed
 * strictly decreasing (a tie is nudged below its predecessor), because trec_eval orders a run by
 * score, not by rank, and breaks ties by key.
 */
export function trecRunLines(topic: string, ranked: readonly { key: string; score: number }[], tag = 'citelens'): string[] {
  const out: string[] = [];
  let prev = Infinity;
  ranked.forEach((s, i) => {
    let score = Math.round(s.score * 1e6) / 1e6;
    if (score >= prev) score = Math.round((prev - 1e-6) * 1e6) / 1e6;
    prev = score;
    out.push(`${topic} Q0 ${s.key} ${i + 1} ${score.toFixed(6)} ${tag}`);
  });
  return out;
}

/** Keys listed one per line (blank lines and `#` comments skipped). */
export function parseKeyList(content: string): Set<string> {
  const keys = new Set<string>();
  for (const line of content.split(/\r?\n/)) {
    const k = line.trim();
    if (k && !k.startsWith('#')) keys.add(k);
  }
  return keys;
}
