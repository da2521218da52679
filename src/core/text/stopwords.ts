/**
 * The stopword lists: one module, so every reader of text drops the same words for the same reason.
 */

/**
 * English function words plus the boilerplate verbs and adverbs of scientific abstracts
 * ("propose", "demonstrate", "furthermore"). Topic words are never listed here: words common
 * to a particular library are down-weighted by inverse document frequency instead.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above across after afterwards again against all almost alone along already also although always am among amongst an and another any anyhow anyone anything anyway anywhere are aren around as at ' +
    'be became because become becomes becoming been before beforehand behind being below beside besides between beyond both but by can cannot could couldn did didn do does doesn doing done don down due during ' +
    'each either else elsewhere enough especially etc even ever every everyone everything everywhere except few for former formerly from further furthermore had hadn has hasn have haven having he hence her here hereafter ' +
    'hereby herein hers herself him himself his how however i ie if in indeed into is isn it its itself just least less let like likely made mainly make makes many may me meanwhile might mine more moreover most mostly much must my myself ' +
    'namely neither never nevertheless next no nobody none nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please quite rather ' +
    're really same several she should shouldn since so some somehow someone something sometime sometimes somewhere still such than that the their theirs them themselves then thence there thereafter thereby ' +
    'therefore therein thereupon these they this those though through throughout thru thus to together too toward towards under unless until up upon us very via was wasn we were weren what whatever when whence ' +
    'whenever where whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will with within without won would yet you your yours yourself yourselves ' +
    // scientific-prose boilerplate
    'al et eg cf fig figure table section paper papers article propose proposes proposed proposing present presents presented introduce introduces introduced ' +
    'show shows showed shown showing demonstrate demonstrates demonstrated find finds found observe observes observed ' +
    'achieve achieves achieved achieving approach approaches method methods work works recent recently various respectively ' +
    'specifically particular particularly notably additionally finally firstly secondly first second third well use used uses using based new novel ' +
    'able allow allows enable enables given include includes including existing prior previous previously ' +
    'significant significantly substantial substantially remarkable remarkably impressive extensive extensively ' +
    'result results resulting study studies studied approximately nearly around across among ones see way ways instead making'
  ).split(/\s+/),
);

/** Whether a lower-cased, accent-folded word is a stopword. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * The words a search query and the search index skip: only the shortest function words, because a
 * title search must still find "Attention Is All You Need" by "all you need" (the full list above
 * would leave nothing of such titles); scoring by rarity down-weights the other common words.
 */
export const SEARCH_STOPWORDS: ReadonlySet<string> = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'by', 'for', 'from', 'in', 'is', 'of', 'on', 'or', 'the', 'to', 'via', 'with']);

/** Function words that may sit inside a phrase ("mixture of experts", "training and inference"). */
export const PHRASE_GLUE: ReadonlySet<string> = new Set(['of', 'and', 'or', 'for', 'in', 'on', 'to', 'with', 'by', 'from', 'the', 'a', 'an']);

/**
 * Words a topic's name phrase never starts or ends with: function words, and the words every paper
 * of a machine-learning library shares ("large language models"), which would make every topic one.
 */
export const TOPIC_PHRASE_STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at by for from in into is of on or over the to toward towards under via with without we our using based toward new large language model models llm llms study analysis approach approaches method methods'.split(' '),
);
