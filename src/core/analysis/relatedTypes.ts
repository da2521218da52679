/** The relatedness engine's public types and parameters, and the shapes its stages pass around. */
import { MarkupSyntax } from '../text/markup';
import { WordScan } from '../text/tokenizer';

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
  /**
   * Text around the passage that says what the whole document is about (its title), added to
   * the query with weight {@link RelatednessParams.contextWeight}.
   */
  context?: string;
  /** Keys never to suggest (the paper being written, papers the user ruled out). */
  exclude?: ReadonlySet<string>;
}

/** Ranking parameters. Field weights and saturation apply at query time (one index serves all). */
export interface RelatednessParams {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** Weight of the title field relative to the abstract. */
  titleWeight: number;
  /** Weight of the keywords field relative to the abstract. */
  keywordsWeight: number;
  /** Weight of the venue (journal, proceedings) relative to the abstract. */
  venueWeight: number;
  /** Length normalisation of titles (short, so weak), abstracts, keywords and venues. */
  titleB: number;
  abstractB: number;
  keywordsB: number;
  venueB: number;
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
  /** Drop numbered citation markers and bare numbers from the passage ({@link cleanQuery}). */
  cleanQuery: boolean;
  /**
   * Query weight of the sentences without a citation marker ("[12, 14]", "[?]") when others
   * have one: the sentences that cite describe the papers cited (1: all sentences alike).
   */
  uncitedSentenceWeight: number;
  /**
   * Weight, in the reciprocal-rank fusion, of one ranking per citing sentence beside the
   * paragraph's ranking (0: the paragraph's ranking alone). A paragraph citing several papers
   * on several points finds each with the sentence that makes that point.
   */
  sentenceFusion: number;
  /**
   * A built-in corpus paper, in a library that has the user's own papers too, is suggested only
   * when it scores at least this fraction of the user's best paper and shares a phrase or three
   * terms with the passage: the corpus is there to help, not to crowd a user's library with
   * papers that merely share words like "compute" or "time".
   */
  builtinMinRatio: number;
  /** Query weight of {@link SuggestOptions.context} (the document's title) against the passage's sentences. */
  contextWeight: number;
  /** Pseudo-relevance feedback (RM3): how many top papers lend terms (0: off). */
  feedbackDocs: number;
  /** RM3: how many expansion terms are added. */
  feedbackTerms: number;
  /** RM3: weight of the original query against the expansion (λ). */
  feedbackOriginalWeight: number;
}

/**
 * The default {@link RelatednessParams}: measured on ACM-CR's dev split (bench/relatedBench.ts), one
 * change at a time; RM3, sentence fusion and venue weight are off because they did not pay there.
 */
export const DEFAULT_RELATEDNESS_PARAMS: Readonly<RelatednessParams> = {
  k1: 1.2,
  titleWeight: 2.5,
  keywordsWeight: 2,
  venueWeight: 0,
  titleB: 0.3,
  abstractB: 0.75,
  keywordsB: 0.3,
  venueB: 0,
  k3: 2,
  phraseWeight: 1,
  compoundWeight: 0.5,
  authorWeight: 1,
  prefixWeight: 0.5,
  maxDocFrequency: 0.5,
  postingsBudget: 500_000,
  candidates: 30,
  cleanQuery: true,
  uncitedSentenceWeight: 1,
  sentenceFusion: 0,
  builtinMinRatio: 1,
  contextWeight: 0.8,
  feedbackDocs: 0,
  feedbackTerms: 20,
  feedbackOriginalWeight: 0.5,
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

