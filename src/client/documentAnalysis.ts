/**
 * Per-document analysis shared by hover, navigation, diagnostics and the views: the citations a
 * document makes and the papers it mentions, computed once per document version. The mention
 * matcher is rebuilt lazily after the library changes.
 */
import * as vscode from 'vscode';
import { CitationOccurrence, findCitations } from '../core/citations/documentLexer';
import { DocumentSyntax, EDITOR_LANGUAGES, syntaxForLanguage } from '../core/citations/languages';
import { Library } from '../core/library/library';
import { Mention, MentionMatcher } from '../core/analysis/mentions';

export interface Analysis {
  syntax: DocumentSyntax;
  citations: CitationOccurrence[];
  mentions: Mention[];
}

/** The editors Citelens serves: its document languages and plain text. */
export const DOCUMENT_SELECTOR: vscode.DocumentSelector = [...EDITOR_LANGUAGES].map((language) => ({ language }));

export class DocumentAnalyzer implements vscode.Disposable {
  private matcher: MentionMatcher | undefined;
  private readonly cache = new Map<string, { version: number; matcherGen: number; analysis: Analysis }>();
  private generation = 0;
  private readonly off: () => void;

  constructor(private readonly library: Library) {
    this.off = library.onDidChange(() => {
      this.matcher = undefined;
      this.generation++;
    });
  }

  private mentionMatcher(): MentionMatcher {
    this.matcher ??= new MentionMatcher(this.library.papers());
    return this.matcher;
  }

  analyze(doc: vscode.TextDocument): Analysis {
    const id = doc.uri.toString();
    const hit = this.cache.get(id);
    if (hit && hit.version === doc.version && hit.matcherGen === this.generation) return hit.analysis;
    const syntax = syntaxForLanguage(doc.languageId);
    const text = doc.getText();
    const analysis: Analysis = { syntax, citations: findCitations(text, syntax), mentions: this.mentionMatcher().scan(text, syntax) };
    this.cache.set(id, { version: doc.version, matcherGen: this.generation, analysis });
    if (this.cache.size > 50) this.cache.delete(this.cache.keys().next().value!);
    return analysis;
  }

  /** The citation key occurrence at `position`, if any. */
  citationAt(doc: vscode.TextDocument, position: vscode.Position): CitationOccurrence | undefined {
    const offset = doc.offsetAt(position);
    return this.analyze(doc).citations.find((c) => c.start <= offset && offset <= c.end);
  }

  /** How many times the document cites `key` (a paper's own key or an alias of it). */
  citedCount(doc: vscode.TextDocument, key: string): number {
    const paper = this.library.get(key);
    return this.analyze(doc).citations.filter((c) => c.key === key || (paper && this.library.get(c.key) === paper)).length;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }

  dispose(): void {
    this.off();
    this.cache.clear();
  }
}
