/**
 * Per-document analysis shared by hover, navigation, diagnostics and the views: the citations a
 * document makes and the papers it mentions, computed once per document version. The mention matcher
 * (a trie of every title: half a second for 100k papers) is rebuilt in the background after the
 * library settles; until then the previous one answers, so a hover never waits for it.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Mention, MentionMatcher } from '../core/analysis/mentions';
import { CitationOccurrence, findCitations } from '../core/citations/documentLexer';
import { DocumentSyntax, syntaxForLanguage } from '../core/citations/languages';
import { Library } from '../core/library/library';

export interface Analysis {
  syntax: DocumentSyntax;
  citations: CitationOccurrence[];
  mentions: Mention[];
}

/** The library settles this long before the mention matcher is rebuilt. */
const REBUILD_DELAY_MS = 400;

export class DocumentAnalyzer {
  private matcher: MentionMatcher | undefined;
  private matcherGeneration = 0;
  private readonly cache = new Map<string, { version: number; generation: number; analysis: Analysis }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly off: () => void;
  /** Called after the matcher was rebuilt (mentions may have changed). */
  onDidRebuild: (() => void) | undefined;

  constructor(private readonly library: Library) {
    this.off = library.onDidChange(() => this.scheduleRebuild());
  }

  private scheduleRebuild(): void {
    if (!this.matcher) return; // built on first use
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuild();
      this.onDidRebuild?.();
    }, REBUILD_DELAY_MS);
  }

  private rebuild(): void {
    this.matcher = new MentionMatcher(this.library.papers());
    this.matcherGeneration++;
  }

  /** The analysis of a document at its current version. */
  analyze(doc: TextDocument): Analysis {
    if (!this.matcher) this.rebuild();
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.matcherGeneration) return hit.analysis;
    const syntax = syntaxForLanguage(doc.languageId);
    const text = doc.getText();
    const analysis: Analysis = { syntax, citations: findCitations(text, syntax), mentions: this.matcher!.scan(text, syntax) };
    this.cache.delete(doc.uri);
    this.cache.set(doc.uri, { version: doc.version, generation: this.matcherGeneration, analysis });
    if (this.cache.size > 50) this.cache.delete(this.cache.keys().next().value!);
    return analysis;
  }

  /** The citation key occurrence at `offset`, if any. */
  citationAt(doc: TextDocument, offset: number): CitationOccurrence | undefined {
    return this.analyze(doc).citations.find((c) => c.start <= offset && offset <= c.end);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.off();
    this.cache.clear();
  }
}
