/**
 * The Citelens language server's own requests and notifications, beside the standard Language Server
 * Protocol: what only an editor's own UI shows (the search QuickPick, the Topics, Cited and Related
 * views, the paper card, the library status) asks the server through these. Every method is named
 * here once; both ends import the names and the shapes, nothing else crosses.
 *
 * Positions and ranges are LSP's (0-based line, UTF-16 character); URIs are strings as the editor
 * sends them.
 */
import type { Paper } from '../core/model/paper';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A paper as listed in a picker or a tree: no abstract, no fields record. */
export interface PaperSummary {
  key: string;
  title: string;
  /** The first authors (at most four) as display names. */
  authors: string[];
  /** How many authors the paper has in all. */
  authorCount: number;
  year?: number;
  venue?: string;
  arxiv?: string;
  doi?: string;
  url?: string;
  /** The source id: a library file's URI, or "builtin". */
  source: string;
  /** True for a paper of the built-in corpus that no user library has. */
  builtin: boolean;
  /** Where the entry sits in its file (for "Reveal in .bib"). */
  range?: { startLine: number; startColumn: number };
  /** "Shoeybi, Patwary, Puri et al. · 2019 · NeurIPS" */
  detail: string;
  /** "Shoeybi et al. · 2019" */
  byline: string;
  /** True when the document (project) the request named cites this paper. */
  cited?: boolean;
}

/** `citelens/search`: ranked search over every library; an empty query gives papers for the paragraph at `position` and recent citations. */
export const SearchRequest = 'citelens/search';
export interface SearchParams {
  query: string;
  limit?: number;
  /** The document being written, for the empty query and the "cited" marks. */
  uri?: string;
  position?: Position;
}
export interface SearchResult {
  hits: { paper: PaperSummary; score: number }[];
  /**
   * Index of the first hit that is much weaker than the best (under a third of its score); hits from
   * here on are set apart. Equal to `hits.length` when all are strong.
   */
  strongCount: number;
  /** False while libraries are still loading (the answer may grow). */
  complete: boolean;
}

/** `citelens/paper`: one paper in full, with its card text and BibTeX. Null when no library has the key. */
export const PaperRequest = 'citelens/paper';
export interface PaperParams {
  key: string;
  /** The document the card is for ("cited 2× here"). */
  uri?: string;
}
export interface PaperResult {
  paper: Paper;
  summary: PaperSummary;
  bibtex: string;
  /** The hover-style card as Markdown (library text escaped), without action links. */
  markdown: string;
  topics: string[];
}

/** `citelens/topics`: the topics with their sizes. */
export const TopicsRequest = 'citelens/topics';
export interface TopicsParams {
  /** Only papers matching this query. */
  filter?: string;
}
export interface TopicInfo {
  /** Stable within one library state: `origin:name`. */
  id: string;
  name: string;
  query: string;
  origin: 'builtin' | 'user' | 'keywords';
  count: number;
}
export interface TopicsResult {
  topics: TopicInfo[];
}

/** `citelens/topicPapers`: a topic's papers, sorted, the first `limit`. */
export const TopicPapersRequest = 'citelens/topicPapers';
export interface TopicPapersParams {
  id: string;
  filter?: string;
  sortBy: 'year' | 'title' | 'relevance';
  limit: number;
  /** The document being written: its cited papers come marked `cited`. */
  uri?: string;
}
export interface TopicPapersResult {
  papers: PaperSummary[];
  /** Papers of the topic beyond `limit`. */
  more: number;
}

/** `citelens/topicOfPaper`: the first topic listing a paper among its first `limit` papers (for reveal). */
export const TopicOfPaperRequest = 'citelens/topicOfPaper';
export interface TopicOfPaperParams {
  key: string;
  filter?: string;
  sortBy: 'year' | 'title' | 'relevance';
  limit: number;
}

/** `citelens/related`: papers a passage should cite: the selection, else the paragraph at `position`, else `text`. */
export const RelatedRequest = 'citelens/related';
export interface RelatedParams {
  uri?: string;
  position?: Position;
  range?: Range;
  /** A passage given directly (the paper card's title and abstract). */
  text?: string;
  /** Leave out this paper (the card's own). */
  exclude?: string;
  limit?: number;
}
export interface RelatedSuggestion {
  key: string;
  title: string;
  score: number;
  /** The words the passage and the paper share, most telling first. */
  evidence: string[];
  cited: boolean;
  paper: PaperSummary;
}
export interface RelatedResult {
  suggestions: RelatedSuggestion[];
  /** The passage the suggestions are for. */
  passage?: Range;
}

/** `citelens/paperCard`: the paper card page (library text escaped; the caller's CSP source, nonce and asset URIs). */
export const PaperCardRequest = 'citelens/paperCard';
export interface PaperCardParams {
  key: string;
  uri?: string;
  nonce: string;
  cspSource: string;
  styleUri: string;
  scriptUri: string;
  /** The stylesheet's text (`url()`s as webview URIs), put inline so the card is styled from its first paint. */
  styleText?: string;
}
export interface PaperCardResult {
  key: string;
  title: string;
  html: string;
}

/** `citelens/libraryStatus`: every source, its size and problems. */
export const LibraryStatusRequest = 'citelens/libraryStatus';
export interface SourceStatusInfo {
  source: string;
  /** A path for people ("Built-in corpus" for the corpus). */
  label: string;
  entries: number;
  problems: number;
  /** The first few problems, "line N: message". */
  firstProblems: string[];
  /** How the source was last loaded. */
  load?: { from: 'parse' | 'cache'; ms: number; indexedMs?: number };
}
export interface LibraryStatusResult {
  papers: number;
  sources: SourceStatusInfo[];
  /** Files still being read. */
  loading: number;
  /** Messages about the `citelens.libraries` setting (a glob that matched nothing, or too many files). */
  messages: string[];
  builtin?: { papers: number; ms: number };
}

/** `citelens/libraryChanged` (server → client notification): the library changed. */
export const LibraryChangedNotification = 'citelens/libraryChanged';
export interface LibraryChangedParams {
  papers: number;
  problems: number;
  loading: number;
  onlyBuiltin: boolean;
}

/** A change to a bibliography file that the client applies (with the document's edit, as one undo step). */
export interface BibliographyEdit {
  uri: string;
  /** The file does not exist yet: create it with `text`. */
  create: boolean;
  /**
   * Text to insert at `position` (UTF-8 files and new files). Undefined when the file is in another
   * encoding: then `bytes` holds the bytes to append.
   */
  text?: string;
  position?: Position;
  /** Base64 bytes to append to a file not in UTF-8, which must still be `expectedSize` bytes long. */
  bytes?: string;
  expectedSize?: number;
  /** Keys of the entries added. */
  added: string[];
}

/** `citelens/citePlan`: the edits that cite `keys` at `position` and add their missing entries to the bibliography. */
export const CitePlanRequest = 'citelens/citePlan';
export interface CitePlanParams {
  uri: string;
  position: Position;
  keys: string[];
  /** Right after a mention in prose: a tie or space goes before the citation. */
  afterMention?: boolean;
  /** Cite at the end of the sentence at `position` instead of at `position`. */
  atSentenceEnd?: boolean;
  /** Only the bibliography entries (the citation was already typed, e.g. by completion). */
  bibliographyOnly?: boolean;
}
export interface CitePlanResult {
  /** The citation edit in the document (absent with `bibliographyOnly`). */
  edit?: { range: Range; newText: string };
  bibliography?: BibliographyEdit;
  keys: string[];
  /** Why the bibliography is not changed, when it is not (a message for the user). */
  refused?: string;
}

/** `citelens/cited`: the keys a document cites, in order of first use, each with its paper or none. */
export const CitedRequest = 'citelens/cited';
export interface CitedParams {
  uri: string;
  /** The cursor: a key being typed there is not yet reported as unknown. */
  position?: Position;
}
export interface CitedNodeInfo {
  key: string;
  paper?: PaperSummary;
  count: number;
  firstOffset: number;
  /** Where its first citation is. */
  range: Range;
}
export interface CitedResult {
  nodes: CitedNodeInfo[];
  /** The file name of the document, for the view's description. */
  name: string;
}

/** `citelens/mentions`: where the document names papers in prose (for decorations). */
export const MentionsRequest = 'citelens/mentions';
export interface MentionsParams {
  uri: string;
}
export interface MentionsResult {
  ranges: Range[];
}

/** `citelens/keyAt`: the citation key at a position (on a key, or the first key of the citation there). */
export const KeyAtRequest = 'citelens/keyAt';
export interface KeyAtParams {
  uri: string;
  position: Position;
}
export interface KeyAtResult {
  key?: string;
}

/** `citelens/paperPage`: a read-only page for a built-in paper (Go to Definition of its key). */
export const PaperPageRequest = 'citelens/paperPage';
export interface PaperPageParams {
  key: string;
}

/** Commands the server executes (`workspace/executeCommand`); editors without a client of their own get the edits by `workspace/applyEdit`. */
export const ServerCommands = {
  /** Arguments: document URI, keys. Adds the missing entries to the document's bibliography. */
  addEntries: 'citelens.server.addEntries',
  /** Arguments: document URI, offset, key. Cites the paper right after its mention. */
  citeHere: 'citelens.server.citeHere',
} as const;

/** Requests the server answers only when started for tests (`initializationOptions.testMode`). */
export const TestRequests = {
  /** Adds or replaces a source of papers: `{ source, papers }`. */
  setSource: 'citelens/test/setSource',
  /** Removes a source: `{ source }`. */
  removeSource: 'citelens/test/removeSource',
  /** Reads a library file again now: `{ uri }`. */
  readFile: 'citelens/test/readFile',
  /** The cache folder: `{}` → string. */
  cacheDir: 'citelens/test/cacheDir',
  /** Ends the server process abruptly after answering, as a crash would: `{}` → true. */
  crash: 'citelens/test/crash',
} as const;

/** What the client tells the server when it starts it. */
export interface InitializationOptions {
  /** Where the server keeps its cache of large libraries (the extension's global storage). */
  storagePath?: string;
  /** The client runs command links in hovers (VS Code): hover cards carry Cite here / Open card / Copy BibTeX. */
  hoverActions?: boolean;
  /** The workspace is trusted: false makes the server refuse writes outside workspace folders even harder. */
  trusted?: boolean;
  /** Started by the extension's tests: the test requests are answered. */
  testMode?: boolean;
}
