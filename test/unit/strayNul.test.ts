/** A text library with stray NUL bytes loads its entries and reports the lines; a binary file is reported by name. */
import * as assert from 'node:assert/strict';
import { looksBinary, readLibraryFile } from '../../src/core/sources/readLibraryFile';

const enc = (s: string) => new TextEncoder().encode(s);
const BIB = '@article{a2020,\n  title = {Alpha},\n  year = 2020\n}\n\n@book{b2021,\n  title = {Beta},\n  year = 2021\n}\n';

describe('stray NUL bytes and binary files', () => {
  it('loads every entry of a text .bib with a few NUL bytes and names their lines', () => {
    // NULs inside the key, inside a value and between entries (lines 1, 3 and 5)
    const text = BIB.replace('a2020', 'a20\u000020').replace('year = 2020', 'year = 20\u0000\u000020').replace('}\n\n@book', '}\n\u0000\n@book');
    const r = readLibraryFile('/w/refs.bib', enc(text));
    assert.deepEqual(r.papers.map((p) => [p.key, p.title, p.year]), [['a2020', 'Alpha', 2020], ['b2021', 'Beta', 2021]]);
    const nul = r.diagnostics.filter((d) => /NUL/.test(d.message));
    assert.deepEqual(nul.map((d) => [d.line, d.severity, d.message]), [
      [1, 'warning', 'a stray NUL byte on this line was ignored'],
      [3, 'warning', '2 stray NUL bytes on this line were ignored'],
      [5, 'warning', 'a stray NUL byte on this line was ignored'],
    ]);
    assert.ok(r.diagnostics.every((d) => d.source === '/w/refs.bib'));
  });

  it('loads a .bib whose end a crash filled with a block of NULs', () => {
    const bytes = new Uint8Array([...enc(BIB), ...new Uint8Array(4096)]);
    const r = readLibraryFile('/w/refs.bib', bytes);
    assert.equal(r.papers.length, 2);
    assert.deepEqual(r.diagnostics.map((d) => [d.line, d.message]), [[10, '4096 stray NUL bytes on this line were ignored']]);
  });

  it('reports NULs on many lines in one message after the first twenty', () => {
    const text = Array.from({ length: 30 }, (_, i) => `% note ${i}\u0000`).join('\n') + '\n' + BIB;
    const r = readLibraryFile('/w/refs.bib', enc(text));
    assert.equal(r.papers.length, 2);
    const nul = r.diagnostics.filter((d) => /NUL/.test(d.message));
    assert.equal(nul.length, 21);
    assert.equal(nul[20].message, 'stray NUL bytes on 10 more lines were ignored');
  });

  it('reports a binary file by name and reads nothing from it', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...enc(BIB)]);
    let seed = 7;
    const noise = Uint8Array.from({ length: 20000 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    for (const [name, bytes] of [['figure.png', png], ['refs.bib', noise], ['zeros.bib', new Uint8Array(5000)]] as const) {
      const r = readLibraryFile(`/w/${name}`, bytes);
      assert.equal(r.papers.length, 0, name);
      assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.message]), [['error', `${name} is binary, not a text library; nothing was read from it`]]);
    }
  });

  it('does not take a text file with NULs or accents for binary', () => {
    assert.equal(looksBinary(enc(BIB + '\u0000'.repeat(100))), false);
    assert.equal(looksBinary(Uint8Array.from([...enc('@misc{k, title={Caf'), 0xe9, 0x7d, 0x7d])), false);
    assert.equal(looksBinary(enc(BIB.replace('Alpha', 'Alpha\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f'))), true);
  });
});
