/**
 * System names too common to be recognised as mentions of a paper. A paper's system name is the
 * part of its title before the colon ("LongLoRA", "Megatron-LM"); many real titles start with a
 * word or phrase that is not a name at all ("Attention: …", "Deep Learning: …", "Survey: …",
 * "Compressing LLMs: …"). Matching those in prose would decorate half the document, so the
 * mention matcher skips them. Pure data and one predicate; no `vscode` import.
 *
 * Names that are ordinary words but distinctive in their exact casing ("Sigma", "Chimera", "EMO",
 * "Yi", "ThinK", "Cappy", "NOLA") are *not* listed: the matcher finds them case-sensitively, as
 * whole words, outside math and LaTeX commands.
 */

/**
 * Generic words of academic titles (lower case). A name made only of these words ("Deep
 * Learning", "Large Language Models", "Beyond Accuracy", "A Survey") is too common to match.
 */
export const GENERIC_TITLE_WORDS: ReadonlySet<string> = new Set([
  // function words
  'a', 'an', 'the', 'and', 'or', 'of', 'on', 'in', 'for', 'to', 'with', 'without', 'by', 'from', 'at', 'as', 'via', 'into',
  'beyond', 'towards', 'toward', 'about', 'over', 'under', 'through', 'between', 'not', 'no', 'yes', 'all', 'more', 'less',
  'is', 'are', 'be', 'do', 'does', 'can', 'should', 'will', 'what', 'why', 'how', 'when', 'where', 'who', 'which', 'this',
  'that', 'it', 'its', 'we', 'you', 'our', 'your', 'new', 'one', 'two', 'three', 'first', 'second', 'i', 'ii', 'iii', 'iv',
  'part', 'vs', 'versus', 'better', 'best', 'good', 'simple', 'general', 'towards',
  // kinds of publication and sections
  'survey', 'surveys', 'review', 'reviews', 'overview', 'introduction', 'tutorial', 'primer', 'perspective', 'perspectives',
  'position', 'paper', 'papers', 'note', 'notes', 'letter', 'reply', 'response', 'comment', 'comments', 'commentary',
  'editorial', 'erratum', 'corrigendum', 'correction', 'retraction', 'preface', 'foreword', 'abstract', 'abstracts',
  'appendix', 'conclusion', 'conclusions', 'discussion', 'background', 'summary', 'report', 'proceedings', 'workshop',
  'keynote', 'panel', 'invited', 'talk', 'lecture', 'lectures', 'chapter', 'book', 'thesis', 'dissertation', 'case', 'study',
  'studies', 'results', 'methods', 'method', 'analysis', 'evaluation', 'benchmark', 'benchmarks', 'benchmarking', 'dataset',
  'datasets', 'data', 'challenge', 'challenges', 'lessons', 'learned', 'guide', 'handbook', 'roadmap', 'vision', 'manifesto',
  'opinion', 'critique', 'revisited', 'update', 'supplement', 'supplementary', 'material', 'outlook', 'frontiers',
  // the field's everyday vocabulary
  'ai', 'ml', 'nlp', 'llm', 'llms', 'lm', 'lms', 'language', 'languages', 'model', 'models', 'modeling', 'modelling',
  'large', 'small', 'deep', 'machine', 'learning', 'neural', 'network', 'networks', 'artificial', 'intelligence',
  'transformer', 'transformers', 'attention', 'training', 'pretraining', 'pre', 'fine', 'tuning', 'finetuning', 'inference',
  'reasoning', 'generation', 'retrieval', 'alignment', 'scaling', 'scale', 'laws', 'law', 'size', 'efficiency', 'efficient',
  'accuracy', 'performance', 'robustness', 'safety', 'agents', 'agent', 'text', 'vision', 'speech', 'image', 'images',
  'knowledge', 'memory', 'context', 'long', 'short', 'open', 'foundation', 'generative', 'multimodal', 'multilingual',
  'embedding', 'embeddings', 'optimization', 'compression', 'quantization', 'pruning', 'distillation', 'evaluations',
  'prompting', 'prompt', 'prompts', 'instruction', 'instructions', 'chatbots', 'chat', 'computer', 'science', 'statistics',
  'information', 'systems', 'system', 'framework', 'approach', 'approaches', 'theory', 'practice', 'applications',
]);

/**
 * Names (compared case-insensitively) too common to match even in their exact casing: single
 * words that open many titles, everyday English words and generic terms of the field.
 */
export const DEFAULT_COMMON_NAMES: ReadonlySet<string> = new Set([
  'attention', 'transformers', 'transformer', 'survey', 'review', 'overview', 'introduction', 'tutorial', 'position',
  'towards', 'toward', 'beyond', 'rethinking', 'revisiting', 'understanding', 'learning', 'scaling', 'evaluating', 'exploring',
  'improving', 'training', 'benchmarking', 'abstract', 'conclusion', 'appendix', 'editorial', 'erratum', 'preface', 'foreword',
  'keynote', 'chapter', 'part', 'note', 'notes', 'letter', 'reply', 'response', 'comment', 'commentary', 'discussion',
  'correction', 'retraction', 'report', 'proceedings', 'workshop', 'panel', 'summary', 'background', 'results', 'methods',
  'data', 'dataset', 'datasets', 'benchmark', 'model', 'models', 'llm', 'llms', 'ai', 'nlp', 'ml', 'deep learning',
  'machine learning', 'artificial intelligence', 'language models', 'large language models', 'neural networks',
  'yes', 'no', 'why', 'how', 'what', 'when', 'where', 'who', 'the', 'a', 'an', 'and', 'or', 'not', 'all', 'one', 'two',
  'first', 'new', 'open', 'hello', 'hello world', 'welcome', 'perspective', 'perspectives', 'vision', 'opinion', 'lessons',
  'lessons learned', 'case study', 'position paper', 'invited talk', 'book review', 'guest editorial', 'special issue',
  'the end', 'epilogue', 'prologue', 'index', 'contents', 'acknowledgments', 'acknowledgements', 'references', 'bibliography',
]);

/**
 * Whether `name` is too common to be matched as a system name: listed in `list`
 * (case-insensitively; default {@link DEFAULT_COMMON_NAMES}), shorter than two characters,
 * without a letter, made only of {@link GENERIC_TITLE_WORDS} ("Large Language Models",
 * "Beyond Size"), or a gerund followed by generic words ("Compressing LLMs", "Augmenting LLMs").
 */
export function isCommonName(name: string, list: ReadonlySet<string> = DEFAULT_COMMON_NAMES): boolean {
  const n = (name ?? '').trim();
  if (n.length < 2) return true;
  if (!/\p{L}/u.test(n)) return true;
  const lower = n.toLowerCase();
  if (list.has(lower)) return true;
  const words = lower.split(/[\s\-–—/]+/).filter(Boolean);
  if (!words.length) return true;
  if (words.every((w) => GENERIC_TITLE_WORDS.has(w))) return true;
  if (words.length >= 2 && /^[A-Z][a-z]+ing$/.test(n.split(/[\s\-–—/]+/)[0]) && words.slice(1).every((w) => GENERIC_TITLE_WORDS.has(w))) return true;
  return false;
}
