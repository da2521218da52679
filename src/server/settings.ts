/**
 * The `citelens.*` settings as the server reads them (`workspace/configuration`, section `citelens`):
 * one typed record, defaults in one place (they mirror package.json's `contributes.configuration`).
 * Whatever the editor sends is checked field by field: a malformed value falls back to its default,
 * never to an exception.
 */

export type PaperSort = 'year' | 'title' | 'relevance';

export interface UserTopic {
  name: string;
  query: string;
}

export interface Settings {
  /** Paths and globs of library files: absolute, `~/…`, or relative to the workspace folder. */
  libraries: string[];
  /** Whether the built-in corpus of 72 papers is part of the library. */
  builtinCorpus: boolean;
  /** Whether large libraries are cached, parsed and indexed, between sessions. */
  cache: boolean;
  /** LaTeX citation command without backslash. */
  latexCommand: string;
  /** A tie (`~`) between the text and a LaTeX citation placed at the end of a sentence. */
  latexTie: boolean;
  /** Per-language citation templates with `${keys}`. */
  citationFormats: Record<string, string>;
  /** Where new entries go when a document names no bibliography (workspace-relative). */
  defaultBibliography: string;
  /** Whether citing appends the missing BibTeX entry to the bibliography. */
  addEntries: boolean;
  topics: UserTopic[];
  paperSort: PaperSort;
  unknownKeys: boolean;
  mentionedNotCited: boolean;
  decorateMentions: boolean;
  related: boolean;
  /** Whether related-paper lists leave out papers the project already cites. */
  relatedHideCited: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  libraries: [],
  builtinCorpus: true,
  cache: true,
  latexCommand: 'cite',
  latexTie: true,
  citationFormats: {},
  defaultBibliography: 'references.bib',
  addEntries: true,
  topics: [],
  paperSort: 'year',
  unknownKeys: true,
  mentionedNotCited: true,
  decorateMentions: false,
  related: true,
  relatedHideCited: false,
});

type Raw = Record<string, unknown>;

function get(raw: Raw, path: string): unknown {
  // settings arrive nested ({ citation: { latexCommand } }) or flat ({ 'citation.latexCommand' })
  if (Object.hasOwn(raw, path)) return raw[path];
  let cur: unknown = raw;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Raw)[part];
  }
  return cur;
}

const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
const str = (v: unknown, d: string) => (typeof v === 'string' && v.trim() ? v.trim() : d);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : []);

/** Settings from whatever the editor sent for the `citelens` section (anything malformed gets its default). */
export function parseSettings(value: unknown): Settings {
  const raw: Raw = value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
  const d = DEFAULT_SETTINGS;
  // no prototype: a language id such as `constructor` must not find Object's members
  const formats = Object.create(null) as Record<string, string>;
  const f = get(raw, 'citation.format');
  if (f && typeof f === 'object' && !Array.isArray(f)) {
    for (const [k, v] of Object.entries(f as Raw)) if (typeof v === 'string' && v.includes('${keys}')) formats[k] = v;
  }
  const topicsRaw = get(raw, 'topics');
  const topics = Array.isArray(topicsRaw)
    ? topicsRaw.filter((t): t is UserTopic => !!t && typeof t === 'object' && typeof (t as Raw).name === 'string' && typeof (t as Raw).query === 'string' && !!(t as UserTopic).name.trim())
    : [];
  const sort = get(raw, 'topics.sortBy');
  return {
    libraries: strings(get(raw, 'libraries')),
    builtinCorpus: bool(get(raw, 'builtinCorpus.enabled'), d.builtinCorpus),
    cache: bool(get(raw, 'cache.enabled'), d.cache),
    latexCommand: str(get(raw, 'citation.latexCommand'), d.latexCommand).replace(/^\\/, '').replace(/[^A-Za-z*]/g, '') || d.latexCommand,
    latexTie: bool(get(raw, 'citation.latexTie'), d.latexTie),
    citationFormats: formats,
    defaultBibliography: str(get(raw, 'bibliography.defaultFile'), d.defaultBibliography),
    addEntries: bool(get(raw, 'bibliography.addEntries'), d.addEntries),
    topics: topics.map((t) => ({ name: t.name.trim(), query: t.query })),
    paperSort: sort === 'year' || sort === 'title' || sort === 'relevance' ? sort : d.paperSort,
    unknownKeys: bool(get(raw, 'diagnostics.unknownKeys'), d.unknownKeys),
    mentionedNotCited: bool(get(raw, 'diagnostics.mentionedNotCited'), d.mentionedNotCited),
    decorateMentions: bool(get(raw, 'hover.decorateMentions'), d.decorateMentions),
    related: bool(get(raw, 'related.enabled'), d.related),
    relatedHideCited: bool(get(raw, 'related.hideCited'), d.relatedHideCited),
  };
}
