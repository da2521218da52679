/**
 * Answers to the custom requests the editor's own UI makes (see `src/protocol/requests.ts`): search,
 * one paper in full, the paper card page, a built-in paper's page, the key at a position, the keys a
 * document cites, the mentions to decorate, and the library status.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findCitations } from '../../core/citations/documentLexer';
import { syntaxForLanguage } from '../../core/citations/languages';
import { BUILTIN_SOURCE, Paper, plainPaper } from '../../core/model/paper';
import { paperCardHtml } from '../../core/render/cardHtml';
import { cardMarkdown } from '../../core/render/cardMarkdown';
import { toBibtex } from '../../core/sources/bibtex/writer';
import {
  CitedParams, CitedResult, KeyAtParams, KeyAtResult, LibraryStatusResult, MentionsParams, MentionsResult, PaperCardParams, PaperCardResult,
  PaperParams, PaperResult, SearchParams, SearchResult,
} from '../../protocol/requests';
import { ServerContext } from '../context';
import { nameOf, pathOf } from '../documents';
import { citedInProject } from '../projectCitations';
import { RelatedService } from './related';
import { summaryOf } from './paperViews';
import { TopicsService } from './topics';

/** Hits scoring under this fraction of the best are set apart as weak. */
const WEAK_FRACTION = 1 / 3;

/** The keys a document cites (any key of a paper counts as the paper's). */
export function citedKeys(ctx: ServerContext, doc: TextDocument | undefined): Set<string> {
  const out = new Set<string>();
  if (!doc) return out;
  for (const c of ctx.analyzer.analyze(doc).citations) out.add(ctx.library.get(c.key)?.key ?? c.key);
  return out;
}

export async function search(ctx: ServerContext, related: RelatedService, params: SearchParams): Promise<SearchResult> {
  const limit = Math.max(1, Math.min(200, params.limit ?? 50));
  const doc = params.uri ? ctx.documents.get(params.uri) : undefined;
  // "cited" in the results: cited anywhere in the document's project
  const cited = doc ? await citedInProject(ctx, doc.uri) : new Set<string>();
  const complete = ctx.loader.loading === 0;
  if (!params.query.trim()) {
    const near = doc && params.position ? related.suggest({ uri: doc.uri, position: params.position, limit: 8 }).suggestions.map((s) => s.key) : [];
    const keys = [...new Set([...near, ...ctx.recent])];
    const papers = keys.map((k) => ctx.library.get(k)).filter((p): p is Paper => !!p);
    return { hits: papers.map((p) => ({ paper: summaryOf(p, cited.has(p.key)), score: 0 })), strongCount: papers.length, complete };
  }
  const hits = ctx.library.search(params.query, limit);
  const best = hits[0]?.score ?? 0;
  let strongCount = hits.findIndex((h) => h.score < best * WEAK_FRACTION);
  if (strongCount < 0) strongCount = hits.length;
  return { hits: hits.map((h) => ({ paper: summaryOf(h.paper, cited.has(h.paper.key)), score: h.score })), strongCount, complete };
}

/** How often a document cites a paper (under any of its keys). */
function citedCount(ctx: ServerContext, uri: string | undefined, paper: Paper): number | undefined {
  const doc = uri ? ctx.documents.get(uri) : undefined;
  if (!doc || syntaxForLanguage(doc.languageId) === 'plain') return undefined;
  return ctx.analyzer.analyze(doc).citations.filter((c) => c.key === paper.key || ctx.library.get(c.key) === paper).length;
}

export async function paper(ctx: ServerContext, topics: TopicsService, params: PaperParams): Promise<PaperResult | null> {
  const p = ctx.library.get(params.key);
  if (!p) return null;
  const names = await topics.topicsOf(p);
  const doc = params.uri ? ctx.documents.get(params.uri) : undefined;
  return {
    paper: plainPaper(p),
    summary: summaryOf(p, doc ? citedKeys(ctx, doc).has(p.key) : undefined),
    bibtex: toBibtex(p),
    markdown: cardMarkdown(p, { citedHere: citedCount(ctx, params.uri, p), topics: names }),
    topics: names,
  };
}

export async function paperCard(ctx: ServerContext, topics: TopicsService, related: RelatedService, params: PaperCardParams): Promise<PaperCardResult | null> {
  const p = ctx.library.get(params.key);
  if (!p) return null;
  const rel = related.suggest({ text: `${p.title}. ${p.abstract ?? ''}`, exclude: p.key, limit: 5 }).suggestions.map((s) => ({ key: s.key, title: s.title, year: s.paper.year }));
  const html = paperCardHtml({
    paper: p,
    topics: await topics.topicsOf(p),
    related: rel,
    bibtex: toBibtex(p),
    nonce: params.nonce,
    cspSource: params.cspSource,
    styleUri: params.styleUri,
    styleText: typeof params.styleText === 'string' ? params.styleText : undefined,
    scriptUri: params.scriptUri,
    citedHere: citedCount(ctx, params.uri, p),
  });
  return { key: p.key, title: p.title, html };
}

/** A built-in paper's read-only page: the full card and its BibTeX. */
export function paperPage(ctx: ServerContext, key: string): string {
  const p = ctx.library.get(key);
  if (!p) return `No paper with key ${key} in the library.`;
  return `${cardMarkdown(p, { abstractSentences: 100 })}\n\n\`\`\`bibtex\n${toBibtex(p)}\`\`\`\n`;
}

export function keyAt(ctx: ServerContext, params: KeyAtParams): KeyAtResult {
  const doc = ctx.documents.get(params.uri);
  if (!doc) return {};
  const offset = doc.offsetAt(params.position);
  const citations = ctx.analyzer.analyze(doc).citations;
  // on a key: that key; elsewhere in a citation (`\cite` itself, a note): its first key
  const c = citations.find((x) => x.start <= offset && offset <= x.end) ?? citations.find((x) => x.citation.start <= offset && offset <= x.citation.end);
  return c ? { key: c.key } : {};
}

export function cited(ctx: ServerContext, params: CitedParams): CitedResult | null {
  const doc = ctx.documents.get(params.uri);
  if (!doc || syntaxForLanguage(doc.languageId) === 'plain') return null;
  const text = doc.getText();
  const cursor = params.position ? doc.offsetAt(params.position) : -1;
  const byKey = new Map<string, CitedResult['nodes'][number]>();
  for (const c of findCitations(text, syntaxForLanguage(doc.languageId))) {
    const seen = byKey.get(c.key);
    if (seen) {
      seen.count++;
      continue;
    }
    const paper = ctx.library.get(c.key);
    // a key still being typed is not listed as unknown until the cursor leaves it: typing "}" or ","
    // moves past it, and an editor that closes braces itself has the "}" there from the start
    if (!paper && cursor >= c.start && cursor <= c.end) continue;
    byKey.set(c.key, { key: c.key, paper: paper && summaryOf(paper, true), count: 1, firstOffset: c.start, range: { start: doc.positionAt(c.start), end: doc.positionAt(c.end) } });
  }
  return { nodes: [...byKey.values()].sort((a, b) => a.firstOffset - b.firstOffset), name: nameOf(doc.uri) };
}

export function mentions(ctx: ServerContext, params: MentionsParams): MentionsResult {
  const doc = ctx.documents.get(params.uri);
  if (!doc) return { ranges: [] };
  return {
    ranges: ctx.analyzer
      .analyze(doc)
      .mentions.filter((m) => m.kind !== 'key' && ctx.library.get(m.key))
      .map((m) => ({ start: doc.positionAt(m.start), end: doc.positionAt(m.end) })),
  };
}

export function libraryStatus(ctx: ServerContext): LibraryStatusResult {
  return {
    papers: ctx.library.size,
    sources: ctx.library.status().map((s) => {
      const load = ctx.loader.loads.get(s.source);
      return {
        source: s.source,
        label: s.source === BUILTIN_SOURCE ? 'Built-in corpus' : (pathOf(s.source) ?? s.source),
        entries: s.entries,
        problems: s.diagnostics.length,
        firstProblems: s.diagnostics.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`),
        load: load && { from: load.from, ms: load.ms, indexedMs: load.indexedMs },
      };
    }),
    loading: ctx.loader.loading,
    messages: ctx.loader.settingMessages,
    builtin: ctx.loader.builtinLoad,
  };
}
