/**
 * Related papers for what is being written: the passage is the selection, else the paragraph at the
 * cursor, else a given text (the paper card's title and abstract). One engine serves the Related view,
 * Suggest Citations, the paper card and the CLI; it is built once per library state.
 */
import { RelatednessEngine } from '../../core/analysis/related';
import { documentTitle } from '../../core/analysis/relatedContext';
import { findCitations } from '../../core/citations/documentLexer';
import { syntaxForLanguage } from '../../core/citations/languages';
import { paragraphAt } from '../../core/text/paragraph';
import { RelatedParams, RelatedResult } from '../../protocol/requests';
import { ServerContext } from '../context';
import { summaryOf } from './paperViews';

export class RelatedService {
  private engine: RelatednessEngine | undefined;
  /** The library changed since the engine was built. */
  private stale = false;
  private builtAt = 0;
  private buildMs = 0;

  constructor(private readonly ctx: ServerContext) {
    ctx.library.onDidChange(() => (this.stale = true));
  }

  /**
   * The engine over the current library, built on first use after a change. While a large
   * library arrives file by file (900 files, each a change), rebuilding after every file would
   * keep the server busy indexing: an engine is rebuilt only once four times its build time has
   * passed since it was built, and the previous one answers meanwhile (its papers that left the
   * library are skipped by {@link suggest}). A small library's engine takes milliseconds, so it
   * is rebuilt at once.
   */
  current(): RelatednessEngine {
    const now = performance.now();
    if (!this.engine || (this.stale && now - this.builtAt >= 4 * this.buildMs)) {
      this.stale = false;
      this.engine = new RelatednessEngine(this.ctx.library.papers());
      this.builtAt = performance.now();
      this.buildMs = this.builtAt - now;
    }
    return this.engine;
  }

  suggest(params: RelatedParams): RelatedResult {
    const limit = Math.max(1, Math.min(50, params.limit ?? 10));
    const library = this.ctx.library;
    let body: string;
    let syntax: 'latex' | 'markdown' | 'plain' = 'plain';
    let passage: RelatedResult['passage'];
    let context: string | undefined;
    const cited = new Set<string>();
    if (params.uri) {
      const doc = this.ctx.documents.get(params.uri);
      if (!doc) return { suggestions: [] };
      const text = doc.getText();
      const range = params.range && (params.range.start.line !== params.range.end.line || params.range.start.character !== params.range.end.character)
        ? { start: doc.offsetAt(params.range.start), end: doc.offsetAt(params.range.end) }
        : paragraphAt(text, doc.offsetAt(params.position ?? { line: 0, character: 0 }));
      body = text.slice(range.start, range.end);
      passage = { start: doc.positionAt(range.start), end: doc.positionAt(range.end) };
      const s = syntaxForLanguage(doc.languageId);
      syntax = s === 'latex' ? 'latex' : s === 'markdown' ? 'markdown' : 'plain';
      for (const c of findCitations(text, s)) cited.add(library.get(c.key)?.key ?? c.key);
      // the document's title says what the paragraph is part of
      context = documentTitle(text, syntax);
    } else {
      body = params.text ?? '';
    }
    if (body.trim().split(/\s+/).length < 3) return { suggestions: [], passage };
    const exclude = params.exclude ? library.get(params.exclude) : undefined;
    const hideCited = this.ctx.settings().relatedHideCited;
    const out: RelatedResult['suggestions'] = [];
    for (const s of this.current().suggest(body, { limit: limit + 4, citedKeys: cited, syntax, context })) {
      const p = library.get(s.key);
      if (!p || p === exclude || s.key === params.exclude) continue;
      const isCited = s.cited || cited.has(p.key);
      if (isCited && hideCited) continue;
      out.push({ key: p.key, title: p.title, score: s.score, evidence: s.evidence, cited: isCited, paper: summaryOf(p, isCited) });
      if (out.length >= limit) break;
    }
    return { suggestions: out, passage };
  }
}
