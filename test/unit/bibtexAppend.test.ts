/**
 * The writer keeps every byte and writes valid BibTeX: appends in the file's own encoding, bytes
 * before the append unchanged, keys made valid, names protected; read back with our reader.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { appendedBytes, dominantEol, isValidBibtexKey, planAppend } from '../../src/core/sources/bibtex/append';
import { parseBibtex } from '../../src/core/sources/bibtex/reader';
import { bibtexName } from '../../src/core/sources/bibtex/writer';
import { decodeText } from '../../src/core/sources/decodeText';
import { parseCslJson } from '../../src/core/sources/cslJson';
import { Library } from '../../src/core/library/library';
import { Paper } from '../../src/core/model/paper';
import { paper, propertyRuns, propertySeed } from './helpers';

const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));
const utf8 = (s: string) => new TextEncoder().encode(s);
const startsWith = (a: Uint8Array, prefix: Uint8Array) => a.length >= prefix.length && prefix.every((b, i) => a[i] === b);
/** The file after the append, read back with our reader. */
function readBack(existing: Uint8Array | undefined, papers: Paper[]) {
  const plan = planAppend(existing, papers);
  const after = appendedBytes(existing, plan);
  const r = parseBibtex(decodeText(after).text, 'refs.bib');
  return { plan, after, r };
}

describe('appending to a .bib (bytes)', () => {
  it('appends to a Latin-1 file in Latin-1, with LaTeX for what Latin-1 cannot hold, every earlier byte unchanged', () => {
    const existing = latin1('@article{muller1990,\r\n  author = {Jörg Müller},\r\n  title = {Über Straßen}\r\n}'); // CRLF, no final newline
    const p = paper({ key: 'nowak2020', title: 'Łódź – Straße, Kőszeg and 中文 “quotes”', authors: ['Paweł Nowak', 'Zoë Ångström'], year: 2020 });
    const { plan, after, r } = readBack(existing, [p]);
    assert.equal(plan.encoding, 'latin1');
    assert.ok(startsWith(after, existing), 'the bytes before the append are unchanged');
    assert.equal(decodeText(after).encoding, 'latin1', 'still a Latin-1 file (no UTF-8 sequences written)');
    assert.match(plan.text, /^\r\n\r\n@misc\{nowak2020,\r\n/, 'a blank line in the file\'s CRLF, then the entry');
    assert.ok(!/\n(?<!\r\n)/.test(plan.text.replace(/\r\n/g, '')), 'no bare LF');
    assert.match(plan.text, /\{\\L\}/);
    assert.match(plan.text, /\{\\H\{o\}\}/);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.papers.map((x) => [x.key, x.title, x.authors]), [
      ['muller1990', 'Über Straßen', ['Jörg Müller']],
      ['nowak2020', p.title, p.authors],
    ]);
  });

  it('keeps a UTF-8 byte-order mark and writes UTF-8 as it is', () => {
    const existing = utf8('\ufeff@misc{a, title = {Ä}}\n');
    const { plan, after, r } = readBack(existing, [paper({ key: 'b', title: 'Łódź 中文', authors: ['Zoë'] })]);
    assert.equal(plan.bom, true);
    assert.ok(startsWith(after, existing));
    assert.equal(plan.text, '\n@misc{b,\n  title = {{Łódź 中文}},\n  author = {Zoë}\n}\n');
    assert.deepEqual(r.papers.map((x) => x.title), ['Ä', 'Łódź 中文']);
  });

  it('uses the most common line ending of a file with mixed ones, touching none', () => {
    assert.equal(dominantEol('a\r\nb\r\nc\nd'), '\r\n');
    assert.equal(dominantEol('a\nb\nc\r\nd'), '\n');
    assert.equal(dominantEol('a\rb\rc'), '\r\n', 'CR alone: CRLF, whose LF readers resynchronise on');
    assert.equal(dominantEol('abc'), '\n');
    const existing = utf8('@misc{a, title={A}}\r\n@misc{b, title={B}}\n@misc{c, title={C}}\n\n');
    const { plan, after, r } = readBack(existing, [paper({ key: 'd', title: 'D' })]);
    assert.ok(startsWith(after, existing));
    assert.equal(plan.text, '@misc{d,\n  title = {{D}}\n}\n', 'after a blank line: no separator');
    assert.equal(r.papers.length, 4);
  });

  it('writes a new file as UTF-8 without a byte-order mark', () => {
    const { plan, after } = readBack(undefined, [paper({ key: 'a', title: 'Ä' })]);
    assert.equal(plan.encoding, 'utf-8');
    assert.equal(new TextDecoder().decode(after), '@misc{a,\n  title = {{Ä}}\n}\n');
  });

  it('adds nothing the file holds already, and tells under which key it holds it', () => {
    const existing = utf8('@article{mine, title = {Some Title}, doi = {10.1/ABC}}\n');
    const p = paper({ key: 'other2020', title: 'Another title', doi: '10.1/abc' });
    const plan = planAppend(existing, [p, p]);
    assert.deepEqual(plan.written, []);
    assert.deepEqual(plan.present.map((x) => x.key), ['mine']);
    assert.equal(plan.bytes.length, 0);
  });
});

describe('appending to a .bib (keys)', () => {
  it('gives an unsafe CSL-JSON id a Better BibTeX key, and the library still finds the paper by its id', () => {
    const id = 'http://zotero.org/users/1/items/AB CD';
    const csl = parseCslJson(JSON.stringify([{ id, type: 'article-journal', title: 'Deep Learning of Tide Pools', author: [{ family: 'Smith', given: 'Ann' }], issued: { 'date-parts': [[2020]] } }]), 'lib.json');
    const p = csl.papers[0];
    assert.equal(p.key, id);
    const existing = utf8('@misc{smithDeepLearningTide2020, title = {Something else}}\n');
    const { plan, r } = readBack(existing, [p]);
    assert.equal(plan.written[0].key, 'smithDeepLearningTide2020a', 'the Better BibTeX key, with a suffix on a clash');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.papers.map((x) => x.key), ['smithDeepLearningTide2020', 'smithDeepLearningTide2020a']);
    const lib = new Library();
    lib.setSource({ ...csl, source: 'lib.json' });
    lib.setSource({ source: 'refs.bib', papers: r.papers, diagnostics: [] });
    assert.equal(lib.get(id)?.title, 'Deep Learning of Tide Pools', 'found by its original id');
    assert.equal(lib.get('smithDeepLearningTide2020a')?.title, 'Deep Learning of Tide Pools', 'and by its new key');
  });

  it('keeps a valid key, and does not make one another paper of the library has', () => {
    assert.equal(planAppend(undefined, [paper({ key: 'ok:key-1_2.3/x', title: 'T' })]).written[0].key, 'ok:key-1_2.3/x');
    const p = paper({ key: 'a b', title: 'Tide Pools', authors: ['Ann Smith'], year: 2020 });
    assert.equal(planAppend(undefined, [p], { isTaken: (k) => k === 'smithTidePools2020' }).written[0].key, 'smithTidePools2020a');
    for (const bad of ['', 'a b', 'a,b', 'a{b', 'a}b', 'a%b', 'a#b', 'a"b', "a'b", 'a(b', 'a=b', 'a\\b', 'a~b', 'a\tb']) assert.equal(isValidBibtexKey(bad), false, JSON.stringify(bad));
  });
});

describe('appending to a .bib (names)', () => {
  it('protects corporate names and names with commas or "and" with braces', () => {
    assert.equal(bibtexName('Google, Inc.'), '{Google, Inc.}');
    assert.equal(bibtexName('Barnes and Noble'), '{Barnes and Noble}');
    assert.equal(bibtexName('OpenAI Team'), '{OpenAI Team}');
    assert.equal(bibtexName('others'), '{others}');
    assert.equal(bibtexName('Ann  Smith '), 'Ann Smith', 'a person stays "First Last" for BibTeX styles');
    const p = paper({ key: 'k', title: 'T', authors: ['Google, Inc.', 'Ann Smith', 'Barnes and Noble', 'The ATLAS Collaboration'] });
    const { r } = readBack(undefined, [p]);
    assert.deepEqual(r.papers[0].authors, p.authors);
  });
});

describe('appending to a .bib (properties)', () => {
  // names and values with what BibTeX treats specially: commas, braces, "and", LaTeX specials, accents, CJK, emoji
  const word = fc.oneof(
    fc.constantFrom('and', 'AND', 'others', ',', '{', '}', '{x}', 'Inc.', 'von', 'Jr.', '--', "''", '\\', '%', '#', '&', '$', '_', '^', '~', 'Łódź', 'Müller', 'Kőszeg', '中文', '\u{1F600}', 'é', 'Team'),
    fc.stringMatching(/^[A-Za-z][a-z]{0,8}$/),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }),
  );
  const text = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
  const key = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.stringMatching(/^[A-Za-z0-9:_\-/.]{1,20}$/), fc.constant('http://zotero.org/users/1/items/AB CD'));
  // an existing file: encoding, line ends (mixed), final newline or not, accented text
  const file = fc.record({
    encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'latin1'),
    eols: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 1, maxLength: 4 }),
    finalNewline: fc.boolean(),
    title: fc.stringMatching(/^[A-Za-z äöüßéèçñÅØ]{1,20}$/),
  });

  it('reads back what it wrote (keys, names, titles) in any encoding, every earlier byte unchanged', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(file, key, text, fc.array(text, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1000, max: 2999 }), (f, k, title, authors, year) => {
        const lines = [`@article{old1,`, `  title = {${f.title}},`, `  year = 1999`, `}`];
        let body = lines.map((l, i) => l + (i < lines.length - 1 || f.finalNewline ? f.eols[i % f.eols.length] : '')).join('');
        const existing = f.encoding === 'latin1' ? latin1(body) : utf8((f.encoding === 'utf-8-bom' ? '\ufeff' : '') + body);
        body = '';
        fc.pre(clean(title).length > 0 && authors.every((a) => clean(a).length > 0));
        const p = paper({ key: k, title: clean(title), authors: authors.map(clean), year, entryType: 'article' });
        const { plan, after, r } = readBack(existing, [p]);
        const shown = `${JSON.stringify(k)}\n${new TextDecoder('latin1').decode(plan.bytes)}`;
        assert.ok(startsWith(after, existing), shown);
        assert.equal(plan.encoding, f.encoding === 'latin1' && /[^\x00-\x7f]/.test(f.title) ? 'latin1' : 'utf-8', shown);
        assert.equal(decodeText(after).encoding, plan.encoding, shown);
        assert.deepEqual(r.diagnostics, [], shown);
        assert.equal(r.papers.length, 2, shown);
        assert.equal(r.papers[0].title, f.title.replace(/\s+/g, ' ').trim(), shown);
        const q = r.papers[1];
        assert.equal(q.key, plan.written[0].key, shown);
        assert.ok(isValidBibtexKey(q.key), shown);
        if (isValidBibtexKey(k) && k.toLowerCase() !== 'old1' && (plan.encoding === 'utf-8' || /^[\x20-\xff]*$/.test(k))) assert.equal(q.key, k, shown);
        const nfc = (s: string) => s.normalize('NFC');
        assert.equal(nfc(q.title), nfc(p.title), shown);
        assert.deepEqual(q.authors.map(nfc), p.authors.map(nfc), shown);
        assert.equal(q.year, year, shown);
      }),
      { numRuns: propertyRuns(1500), seed: propertySeed() },
    );
  });

  it('after any bytes at all (junk, broken entries, invalid UTF-8, a BOM), keeps them and its entry reads back', function () {
    this.timeout(120_000);
    const junk = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.constantFrom('@article{', '@misc{x,', 'title = {', '"', '}', '{', '\r\n', '\n', '\r', '@comment{', '% c', 'é', '\ufeff', ' and '), { maxLength: 20 }).map((parts) => utf8(parts.join(''))),
    );
    fc.assert(
      fc.property(junk, fc.boolean(), (bytes, bom) => {
        const existing = bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
        const p = paper({ key: 'zzNewEntry', title: 'A Title Long Enough to Count', authors: ['Ann Smith'], year: 2024 });
        const { plan, after, r } = readBack(existing, [p]);
        assert.ok(startsWith(after, existing));
        if (plan.written.length) assert.ok(r.papers.some((q) => q.key === 'zzNewEntry' && q.title === p.title), new TextDecoder('latin1').decode(after));
      }),
      { numRuns: propertyRuns(1000), seed: propertySeed() },
    );
  });
});
