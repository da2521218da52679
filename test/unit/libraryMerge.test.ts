/**
 * The library merges a source that arrives in proportion to its own size (a folder of 900 files must
 * not redo the whole library per file): the view built up one source at a time is the view built at
 * once, whatever the order of additions, replacements and removals.
 */
import * as assert from 'node:assert/strict';
import { Library } from '../../src/core/library/library';
import { BUILTIN_SOURCE, Paper } from '../../src/core/model/paper';
import { paper } from './helpers';

/** A small deterministic generator (the sequence is the test). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function sourcePapers(id: string, rnd: () => number): Paper[] {
  const n = 1 + Math.floor(rnd() * 6);
  return Array.from({ length: n }, (_, i) => {
    // a small pool of titles, DOIs and keys so that duplicates and key clashes happen often
    const t = Math.floor(rnd() * 12);
    return paper({
      key: rnd() < 0.3 ? `shared${Math.floor(rnd() * 5)}` : `${id}-${i}`,
      title: `Paper number ${t} on a subject`,
      year: 2000 + (t % 3),
      doi: rnd() < 0.4 ? `10.1/${Math.floor(rnd() * 8)}` : undefined,
      // what one source knows and another lacks, so merged papers are filled from several
      abstract: rnd() < 0.3 ? `Abstract ${Math.floor(rnd() * 3)} of this subject` : undefined,
      venue: rnd() < 0.3 ? `Venue ${Math.floor(rnd() * 3)}` : undefined,
      source: id,
    });
  });
}

function view(lib: Library, keys: string[]): { shown: string[]; resolved: (string | undefined)[]; hits: string[] } {
  return {
    shown: lib.papers().map((p) => `${p.source}:${p.key}:${p.abstract}:${p.venue}:${p.sources?.join('+')}`),
    resolved: keys.map((k) => lib.get(k)?.key),
    hits: lib.search('paper subject', 100).map((h) => `${h.paper.source}:${h.paper.key}:${h.paper.abstract}`).sort(),
  };
}

describe('the library, merged one source at a time', function () {
  this.timeout(60_000); // hundreds of small libraries: generous for a loaded machine
  it('equals the library merged at once after every addition, replacement and removal', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = random(seed);
      const lib = new Library();
      const current = new Map<string, Paper[]>();
      for (let step = 0; step < 25; step++) {
        const r = rnd();
        const ids = [...current.keys()];
        if (r < 0.55 || !ids.length) {
          const id = rnd() < 0.15 ? BUILTIN_SOURCE : `s${step}.bib`;
          current.set(id, sourcePapers(id, rnd));
          lib.setSource({ source: id, papers: current.get(id)!, diagnostics: [] });
        } else if (r < 0.8) {
          const id = ids[Math.floor(rnd() * ids.length)];
          current.set(id, sourcePapers(id, rnd));
          lib.setSource({ source: id, papers: current.get(id)!, diagnostics: [] });
        } else {
          const id = ids[Math.floor(rnd() * ids.length)];
          current.delete(id);
          lib.removeSource(id);
        }
        if (rnd() < 0.5) continue; // changes pile up between looks, as files arrive between hovers
        const fresh = new Library();
        for (const id of lib.sourceIds()) fresh.setSource({ source: id, papers: current.get(id)!, diagnostics: [] });
        const keys = [...new Set([...current.values()].flat().map((p) => p.key))];
        assert.deepEqual(view(lib, keys), view(fresh, keys), `seed ${seed}, step ${step}`);
      }
    }
  });

  it('hands out a list that does not change when later sources arrive', () => {
    const lib = new Library();
    lib.setSource({ source: 'a.bib', papers: [paper({ key: 'a', title: 'First Paper Title' })], diagnostics: [] });
    const before = lib.papers();
    lib.setSource({ source: 'b.bib', papers: [paper({ key: 'b', title: 'Second Paper Title' })], diagnostics: [] });
    assert.deepEqual(before.map((p) => p.key), ['a']);
    assert.deepEqual(lib.papers().map((p) => p.key), ['a', 'b']);
  });
});
