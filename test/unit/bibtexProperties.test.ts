/**
 * Property-based tests of the BibTeX reader (fast-check): it never throws, always terminates in
 * time linear in its input, and what it reports stays consistent with the text, for arbitrary
 * strings, for BibTeX-shaped token soup and for mutations of real entries (deleted braces, cut
 * files, inserted `@`, NULs, invalid UTF-8). Thousands of cases here; CITELENS_LONG=1 runs 20×
 * more.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { BibtexResult, parseBibtex, setFastPathForTests } from '../../src/core/sources/bibtex/reader';
import { decodeText } from '../../src/core/sources/decodeText';
import { latexToUnicode } from '../../src/core/sources/bibtex/latexToUnicode';
import { sharedDir, LONG_PROPERTIES, propertyRuns, propertySeed } from './helpers';

const LONG = LONG_PROPERTIES;
const runs = propertyRuns;
fc.configureGlobal({ seed: propertySeed() });

/** Checks what must hold for any input; returns the result. */
function checkedParse(text: string): BibtexResult {
  const r = parseBibtex(text, 'prop.bib');
  const lines = text.split('\n').length;
  for (const d of r.diagnostics) {
    assert.ok(d.line >= 1 && d.line <= lines, `line ${d.line} of ${lines}`);
    assert.ok(d.column >= 1, `column ${d.column}`);
    assert.ok(d.message.length > 0);
  }
  assert.ok(r.papers.length <= r.entries.length);
  for (const e of r.entries) {
    if (e.key === '') assert.ok(r.diagnostics.some((d) => /no citation key/.test(d.message)) || r.diagnostics.length >= 1000, 'a keyless entry is reported');
    assert.equal(e.raw.charCodeAt(0), 64, 'raw starts at the @');
    assert.ok(text.includes(e.raw));
    assert.ok(e.range.startLine <= e.range.endLine && e.range.endLine < lines);
  }
  for (const p of r.papers) {
    assert.ok(p.key.length > 0);
    // reading every lazily decoded property must not throw either
    assert.equal(typeof p.title, 'string');
    assert.ok(Array.isArray(p.authors));
    assert.equal(typeof JSON.stringify(p), 'string');
  }
  return r;
}

/** BibTeX-shaped tokens: the characters and words the reader reacts to. */
const token = fc.constantFrom(
  '@', '{', '}', '(', ')', '"', '#', ',', '=', '%', '\n', '\r\n', ' ', '\t', '\\', '~', '-', '--', '$', "''", '``',
  'misc', 'article', 'string', 'comment', 'preamble', 'title', 'author', 'and', 'crossref', 'year', 'jan', 'k1', 'k2',
  '2020', 'x', 'Ü', '\u0000', '\\"o', "\\'", '\\url', '\\emph', 'others', ' and ',
);
const soup = fc.string({ unit: token, maxLength: 120 });

/** A few real entries to mutate (from ../shared when present, else built-in samples). */
function realSamples(): string[] {
  const samples = [
    '@article{abbasi_2013,\n  title = {The Fabrication of {{ZnO}}/{{NiO}} Diodes},\n  author = {Abbasi, Mazhar Ali and {V{\\\'a}squez-Sancho}, Fabi{\\\'a}n},\n  year = {2013},\n  month = jan,\n  pages = {320--330}\n}\n',
    '@String{j-TUGboat = "TUGboat"}\n@Article{Knuth:1980,\n  author = "Donald E. Knuth",\n  title = "{\\TeX} and {METAFONT}",\n  journal = j-TUGboat,\n  volume = "1",\n  number = "1",\n  pages = "8--9",\n  month = mar # "~" # apr,\n  year = "1980"}\n',
    '@inproceedings(Aardal03, author = {K. Aardal}, title = "Models {for} it", booktitle = focs, crossref = {conf})\n@proceedings{conf, title = {Proc}}\n% comment\n@comment{x}\n',
  ];
  const shared = sharedDir();
  if (shared) {
    const dir = join(shared, 'bibdata/retorquere__bibtex-parser');
    try {
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.bib')).slice(0, 12)) samples.push(readFileSync(join(dir, f), 'utf8').slice(0, 6000));
    } catch {
      /* the built-in samples are enough */
    }
  }
  return samples;
}

/** Comparable form of a whole result (papers read through JSON, so lazy properties are decoded). */
function snapshot(r: BibtexResult): string {
  return JSON.stringify({ entries: r.entries, papers: r.papers, diagnostics: r.diagnostics, macros: [...r.macros] });
}

/** Parses with the fast path off: every entry takes the general path. */
function parseGeneral(text: string): BibtexResult {
  setFastPathForTests(false);
  try {
    return parseBibtex(text, 'prop.bib');
  } finally {
    setFastPathForTests(true);
  }
}

interface GeneratedField {
  name: string;
  /** The raw value the reader must report. */
  raw: string;
  /** How it is written. */
  written: string;
}

/** A field written in one of the forms real files use, with the raw value it stands for. */
const field: fc.Arbitrary<GeneratedField> = fc
  .record({
    name: fc.constantFrom('title', 'author', 'Year', 'JOURNAL', 'booktitle', 'note', 'pages', 'doi', 'url', 'keywords', 'x-custom', 'AUTHOR+an'),
    text: fc.string({ unit: fc.constantFrom('a', 'B', ' ', 'é', '-', '--', '\\"o', '{X}', '{{Y}}', ',', '=', '#', '%', "'", '~', '$', '.', ':', '\n  ', '{a\nb}'), maxLength: 24 }),
    form: fc.constantFrom('braces', 'quotes', 'number', 'month', 'macro', 'concat'),
    gap: fc.constantFrom(' ', '', '  ', '\t', '\n    '),
  })
  .map(({ name, text, form, gap }) => {
    const lower = name.toLowerCase();
    switch (form) {
      case 'braces':
        return { name: lower, raw: text, written: `${name}${gap}=${gap}{${text}}` };
      case 'quotes': {
        const t = text.replace(/"/g, '');
        return { name: lower, raw: t, written: `${name} = "${t}"` };
      }
      case 'number':
        return { name: lower, raw: String(text.length * 7), written: `${name} =${gap}${text.length * 7}` };
      case 'month':
        return { name: lower, raw: 'March', written: `${name} = mar` };
      case 'macro':
        return { name: lower, raw: 'Macro Value', written: `${name} = MyMacro` };
      default:
        return { name: lower, raw: 'Macro Value' + text, written: `${name} = MyMacro #${gap}{${text}}` };
    }
  });

/** A small library: entries with distinct field names, random layout, a macro definition. */
const library = fc
  .array(
    fc.record({
      fields: fc.uniqueArray(field, { selector: (f) => f.name, maxLength: 8 }),
      paren: fc.boolean(),
      sep: fc.constantFrom(',\n  ', ', ', ',\r\n\t', ',\n  % a comment line\n  '),
      trailingComma: fc.boolean(),
      type: fc.constantFrom('article', 'InProceedings', 'misc', 'BOOK'),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((entries) => {
    const text = ['@String{MyMacro = {Macro Value}}', 'Some text between entries.'];
    entries.forEach((e, i) => {
      const body = [`key${i}`, ...e.fields.map((f) => f.written)].join(e.sep) + (e.trailingComma && e.fields.length ? ',' : '');
      text.push(e.paren ? `@${e.type}(${body})` : `@${e.type}{${body}}`);
    });
    return { text: text.join('\n'), entries };
  });

describe('BibTeX reader properties', function () {
  this.timeout(LONG ? 600_000 : 60_000);
  const samples = realSamples();

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => void checkedParse(s)), { numRuns: runs(1500) });
  });

  it('never throws on BibTeX-shaped token soup', () => {
    fc.assert(fc.property(soup, (s) => void checkedParse(s)), { numRuns: runs(3000) });
  });

  it('never throws on mutated real entries (deleted braces, cuts, inserted @, NULs)', () => {
    const mutation = fc.record({
      sample: fc.nat(samples.length - 1),
      edits: fc.array(
        fc.record({ kind: fc.constantFrom('deleteBrace', 'cut', 'insertAt', 'insertNul', 'insertBrace', 'deleteChar'), pos: fc.double({ min: 0, max: 1, noNaN: true }) }),
        { minLength: 1, maxLength: 6 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ sample, edits }) => {
        let s = samples[sample];
        for (const e of edits) {
          const i = Math.floor(e.pos * s.length);
          switch (e.kind) {
            case 'deleteBrace': {
              const b = s.slice(i).search(/[{}]/);
              if (b >= 0) s = s.slice(0, i + b) + s.slice(i + b + 1);
              break;
            }
            case 'cut': s = s.slice(0, i); break;
            case 'insertAt': s = s.slice(0, i) + '@' + s.slice(i); break;
            case 'insertNul': s = s.slice(0, i) + '\u0000' + s.slice(i); break;
            case 'insertBrace': s = s.slice(0, i) + '{' + s.slice(i); break;
            case 'deleteChar': s = s.slice(0, i) + s.slice(i + 1); break;
          }
        }
        checkedParse(s);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('never throws on invalid UTF-8 bytes (decoded as Latin-1)', () => {
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.uint8Array({ maxLength: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (k, junk, pos) => {
        const bytes = Buffer.from(samples[k], 'utf8');
        const i = Math.floor(pos * bytes.length);
        const mixed = Buffer.concat([bytes.subarray(0, i), Buffer.from([0xff, 0xc3]), Buffer.from(junk), bytes.subarray(i)]);
        const d = decodeText(mixed);
        assert.equal(d.encoding, 'latin1');
        checkedParse(d.text);
      }),
      { numRuns: runs(500) },
    );
  });

  it('reads back any balanced brace value exactly (raw), and its decoded form never throws', () => {
    const valueChar = fc.constantFrom('a', 'Z', ' ', ',', '=', '"', '#', '%', '\\', '~', '-', '\n', '\t', 'é', '@', '{x}', '{}', '{{y}}', '{a {b} c}');
    const value = fc.string({ unit: valueChar, maxLength: 60 }).filter((v) => !/\n[ \t]*@/.test(v));
    fc.assert(
      fc.property(value, (v) => {
        const r = checkedParse(`@misc{k,\n  note = {${v}},\n  title = {T}\n}\n`);
        assert.equal(r.entries.length, 1);
        assert.equal(r.entries[0].fields.note, v);
        assert.equal(r.papers[0].title, 'T');
        assert.equal(typeof latexToUnicode(v), 'string');
      }),
      { numRuns: runs(1500) },
    );
  });

  it('keeps every other entry when one entry is broken', () => {
    fc.assert(
      fc.property(soup, fc.nat(5), (junk, at) => {
        const good = Array.from({ length: 6 }, (_, i) => `@misc{good${i}, title = {Good ${i}}}`);
        // the broken entry sits on its own lines, so the reader can resume at the next entry
        good.splice(at, 0, `@misc{broken, title = ${junk.replace(/@/g, '')}`);
        const r = checkedParse(good.join('\n'));
        const keys = new Set(r.papers.map((p) => p.key));
        for (let i = 0; i < 6; i++) assert.ok(keys.has(`good${i}`), `good${i} lost after ${JSON.stringify(junk)}`);
      }),
      { numRuns: runs(1500) },
    );
  });

  it('reads generated libraries to exactly the fields they were written with', () => {
    fc.assert(
      fc.property(library, ({ text, entries }) => {
        const r = checkedParse(text);
        assert.deepEqual(r.diagnostics, [], text);
        assert.equal(r.entries.length, entries.length);
        entries.forEach((e, i) => {
          const expected: Record<string, string> = {};
          for (const f of e.fields) expected[f.name] = f.raw;
          assert.deepEqual(r.entries[i].fields, expected, text);
          assert.equal(r.entries[i].type, e.type.toLowerCase());
        });
      }),
      { numRuns: runs(1500) },
    );
  });

  it('gives the same result on the fast path and the general path', () => {
    const input = fc.oneof(library.map((l) => l.text), soup, fc.tuple(library, soup, fc.nat()).map(([l, junk, at]) => l.text.slice(0, at % (l.text.length + 1)) + junk + l.text.slice(at % (l.text.length + 1))));
    fc.assert(
      fc.property(input, (text) => {
        assert.equal(snapshot(parseBibtex(text, 'prop.bib')), snapshot(parseGeneral(text)), text);
      }),
      { numRuns: runs(2000) },
    );
  });

  it('reads amplified random inputs (200 KB) as it reads any input (speed: npm run bench)', () => {
    fc.assert(
      fc.property(soup.filter((s) => s.length > 0), (s) => {
        checkedParse(s.repeat(Math.ceil(200_000 / s.length)));
      }),
      { numRuns: runs(40) },
    );
  });
});
