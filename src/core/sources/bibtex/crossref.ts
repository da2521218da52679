/** `crossref` inheritance between BibTeX entries (biblatex rules). */
import type { BibtexEntry } from './reader';

/** Parent entry types whose title becomes a child's booktitle through crossref (biblatex rule). */
const CONTAINER_TYPES = new Set([
  'proceedings', 'book', 'collection', 'mvbook', 'mvproceedings', 'mvcollection', 'reference',
  'mvreference', 'periodical',
]);

/**
 * The entry's fields with the fields it inherits through `crossref` (nearest parent first, chains
 * followed, cycles stopped). Returns `entry.fields` itself when no parent is found.
 */
export function inheritFields(entry: BibtexEntry, find: (lowerKey: string) => BibtexEntry | undefined): Record<string, string> {
  let merged: Record<string, string> | undefined;
  const seen = new Set<string>([entry.key.toLowerCase()]);
  let cur = entry;
  for (let depth = 0; depth < 16; depth++) {
    const ref = cur.fields.crossref;
    if (ref === undefined) break;
    const k = ref.trim().toLowerCase();
    if (seen.has(k)) break;
    const parent = find(k);
    if (!parent) break;
    seen.add(k);
    if (!merged) merged = { ...entry.fields };
    for (const f in parent.fields) {
      if (f === 'crossref' || f === 'ids' || f === 'key') continue;
      if (merged[f] === undefined) merged[f] = parent.fields[f];
    }
    if (CONTAINER_TYPES.has(parent.type) && parent.fields.title !== undefined && merged.booktitle === undefined) {
      merged.booktitle = parent.fields.title;
    }
    cur = parent;
  }
  return merged ?? entry.fields;
}
