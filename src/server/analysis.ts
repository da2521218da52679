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
  /** Keys other files of a document's project cite (worked out asynchronously, by diagnostics). */
  private readonly projectCited = new Map<string, ReadonlySet<string>>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastBuiltAt = 0;
  private lastBuildMs = 0;
  private readonly off: () => void;
  /** Called after the matcher was rebuilt (mentions may have changed). */
  onDidRebuild: (() => void) | undefined;

  constructor(private readonly library: Library) {
    this.off = library.onDidChange(() => this.scheduleRebuild());
  }

  private scheduleRebuild(): void {
    if (!this.matcher) return; // built on first use
    clearTimeout(this.timer);
    // while a library of many files arrives, a rebuild per pause would keep the server busy
    // building matchers (seconds each for 100k titles): wait at least four builds' time between them
    const wait = Math.max(REBUILD_DELAY_MS, this.lastBuiltAt + 4 * this.lastBuildMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuild();
      this.onDidRebuild?.();
    }, wait);
  }

  private rebuild(): void {
    const t = Date.now();
    this.matcher = new MentionMatcher(this.library.papers());
    this.matcherGeneration++;
    this.lastBuiltAt = Date.now();
    this.lastBuildMs = this.lastBuiltAt - t;
  }

  /** The analysis of a document at its current version. */
  analyze(doc: TextDocument): Analysis {
    if (!this.matcher) this.rebuild();
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version && hit.generation === this.matcherGeneration) return hit.analysis;
    const syntax = syntaxForLanguage(doc.languageId);
    const text = doc.getText();
    const citations = findCitations(text, syntax);
    const others = this.projectCited.get(doc.uri);
    // a shared title's mention goes to the entry the project cites, in whichever chapter
    const cited = others?.size ? [...citations.map((c) => c.key), ...others] : undefined;
    const analysis: Analysis = { syntax, citations, mentions: this.matcher!.scan(text, syntax, { cited }) };
    this.cache.delete(doc.uri);
    this.cache.set(doc.uri, { version: doc.version, generation: this.matcherGeneration, analysis });
    if (this.cache.size > 50) this.cache.delete(this.cache.keys().next().value!);
    return analysis;
  }

  /**
   * Records the keys `uri`'s whole project cites, as diagnostics find them; the next analysis of
   * the document uses them (an unchanged set keeps the cached analysis).
   */
  setProjectCited(uri: string, keys: ReadonlySet<string>): boolean {
    const before = this.projectCited.get(uri);
    if (before && before.size === keys.size && [...keys].every((k) => before.has(k))) return false;
    this.projectCited.set(uri, keys);
    this.cache.delete(uri);
    return true;
  }

  /** The citation key occurrence at `offset`, if any. */
  citationAt(doc: TextDocument, offset: number): CitationOccurrence | undefined {
    return this.analyze(doc).citations.find((c) => c.start <= offset && offset <= c.end);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.projectCited.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.off();
    this.cache.clear();
  }
}
