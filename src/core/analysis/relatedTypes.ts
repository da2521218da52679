/** The relatedness engine's public types and parameters, and the shapes its stages pass around. */
import { MarkupSyntax, WordScan } from '../text/textAnalysis';

/** One suggested paper for a passage. */
export interface Suggestion {
  /** Citation key of the paper. */
  key: string;
  title: string;
  /** Relevance score, higher is better; comparable within one call only. */
  score: number;
  /**
   * Why: the terms and phrases the passage shares with the paper's title or abstract, as
   * written in the paper ("mixture of experts", "KV cache"), or an author the passage names
   * ("Zhao et al."); most telling first, at most five.
   */
  evidence: string[];
  /** The passage already cites this paper (`\cite{key}`, `[@key]`, or `citedKeys`). */
  cited: boolean;
}

/** Options of {@link RelatednessEngine.suggest}. */
export interface SuggestOptions {
  /** Maximum number of suggestions (default 10). */
  limit?: number;
  /** Keys already cited around the passage; matching suggestions get `cited: true`. */
  citedKeys?: ReadonlySet<string>;
  /** The markup of the passage; detected when omitted (backslash commands mean LaTeX). */
  syntax?: MarkupSyntax;
  /** Keys never to suggest (the paper being written, papers the user ruled out). */
  exclude?: ReadonlySet<string>;
}

/** Ranking parameters. The defaults are textbook BM25 values, not tuned to a test set. */
export interface RelatednessParams {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** Weight of the title field relative to the abstract. */
  titleWeight: number;
  /** Length normalisation of titles (short, so weak) and abstracts. */
  titleB: number;
  abstractB: number;
  /** Saturation of repeated terms in the passage. */
  k3: number;
  /** Weight of the phrase (word-pair) evidence relative to single terms. */
  phraseWeight: number;
  /**
   * Query weight of the joined form of a compound ("pre-training" → "pretraining"), used only
   * for compounds the library never hyphenates (its closed spellings are then matched by the
   * joined form alone); the parts already count as terms.
   */
  compoundWeight: number;
  /**
   * Weight of an author mention ("Zhao et al.") matching a paper's first author, relative to a
   * term of the same rarity; other authors count half.
   */
  authorWeight: number;
  /** Query weight of the known words an unknown word is a prefix of ("telecom"). */
  prefixWeight: number;
  /** Query terms in more than this fraction of the library are ignored. */
  maxDocFrequency: number;
  /**
   * Upper bound on postings visited per query. Terms are visited rarest first, so what the
   * budget cuts off in a very large library are the commonest, least telling terms.
   */
  postingsBudget: number;
  /** How many first-stage candidates are rescored with phrase evidence (at least 3 × limit). */
  candidates: number;
}

/** The default {@link RelatednessParams}. */
export const DEFAULT_RELATEDNESS_PARAMS: Readonly<RelatednessParams> = {
  k1: 1.2,
  titleWeight: 2.5,
  titleB: 0.3,
  abstractB: 0.75,
  k3: 2,
  phraseWeight: 1,
  compoundWeight: 0.5,
  authorWeight: 1,
  prefixWeight: 0.5,
  maxDocFrequency: 0.5,
  postingsBudget: 500_000,
  candidates: 30,
};

/** A paper field as analysed: its text (markup stripped), its words and their term ids. */
export interface FieldAnalysis {
  text: string;
  scan: WordScan;
  /** Term id of each word (-1: stopword or unknown). */
  terms: Int32Array;
  /** {@link phrasePairs} of the field. */
  pairs: Int32Array;
}

/** Per-query data of one query term. */
export interface QueryTerm {
  term: number;
  idf: number;
  weight: number;
}

/** Per-query data of one phrase (word pair) of the passage. */
export interface QueryPair {
  idf: number;
  weight: number;
}

/** A run of consecutive shared word pairs in a paper field (a phrase of two or more words). */
export interface PhraseRun {
  field: number;
  first: number;
  last: number;
  pairs: number[];
  terms: number[];
}

/** What an author mention adds to a paper. */
export interface AuthorMatch {
  score: number;
  label: string;
}

/** How many papers' analysed fields are kept for rescoring (a few MB at most). */
export const FIELD_CACHE_SIZE = 4096;

/** A candidate's full score and what its evidence is drawn from. */
export interface Rescored {
  doc: number;
  score: number;
  fields: FieldAnalysis[];
  termScore: Map<number, number>;
  pairScore: Map<number, number>;
  runs: PhraseRun[];
  author: AuthorMatch | undefined;
}

/** Prepares a paper field for analysis: leftover LaTeX in titles and abstracts is stripped. */
