/**
 * Property-based tests (fast-check) of the citation core (issue 8): the readers never throw and
 * return ranges inside the text; the citation-context detector and the merge-into-citation logic
 * never produce an edit outside the citation, and the edited document reads back with the union
 * of the old and new keys while every other citation stays as it was. New citations written
 * anywhere in prose read back as written.
 *
 * Thousands of cases run in the normal suite; CITELENS_LONG=1 runs twenty times as many.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CitationOccurrence, findCitations, lexDocument } from '../../src/core/citations/documentLexer';
import { isCrossReference } from '../../src/core/citations/markdownCitations';
import { CLASS_MATH, CLASS_PROSE, CLASS_TRANSPARENT } from '../../src/core/citations/lexedDocument';
import { DocumentSyntax } from '../../src/core/citations/languages';
import { formatCitation } from '../../src/core/citations/formatCitation';
import { citeContextAt } from '../../src/core/citations/citeContext';
import { citationInsertEdit } from '../../src/core/citations/citationInsertEdit';
import { MentionMatcher } from '../../src/core/analysis/mentions';
import { paper, LONG_PROPERTIES, propertyRuns, propertySeed } from './helpers';

const LONG = LONG_PROPERTIES;
const runs = propertyRuns;
fc.configureGlobal({ seed: propertySeed() });
const SYNTAXES: DocumentSyntax[] = ['latex', 'markdown', 'typst', 'plain'];

/** Keys that every syntax can write bare. */
// `fig-a`, `sec:b` … are Quarto/pandoc-crossref cross-references, not citation keys
const keyArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,7}(?:[:.-][A-Za-z0-9]{1,4})?$/).filter((k) => !isCrossReference(k));
const keysArb = fc.array(keyArb, { minLength: 1, maxLength: 4 });

const word = fc.constantFrom('the', 'model', 'Sigma', 'LongLoRA', 'x', 'a1', 'Few-Shot', 'é', '—');
const sep = fc.constantFrom(' ', ' ', '', '\n', '\n\n', ', ', '. ');

/** Document fragments of each syntax: prose, citations of every shape, comments, code, math. */
function fragments(syntax: DocumentSyntax): fc.Arbitrary<string> {
  const list = (ks: string[], s: string): string => ks.join(s);
  switch (syntax) {
    case 'latex':
      return fc.oneof(
        word, word, word,
        keysArb.map((ks) => `\\cite{${list(ks, ',')}}`),
        keysArb.map((ks) => `\\citep[p.~3]{${list(ks, ', ')}}`),
        fc.tuple(keysArb, keysArb).map(([a, b]) => `\\cites[x]{${list(a, ',')}}[y]{${list(b, ',')}}`),
        keysArb.map((ks) => `\\textcite{${list(ks, ',\n  ')}`), // unterminated while typing
        keyArb.map((k) => `% \\cite{${k}} comment\n`),
        fc.constantFrom('$x^2$', '\\emph{', '}', '{', '\\\\', '\\%', '\\label{sec}', '\\begin{equation}', '\\end{equation}', '[', ']', '@', ';', '\\'),
      );
    case 'markdown':
      return fc.oneof(
        word, word, word,
        keysArb.map((ks) => `[${ks.map((k) => '@' + k).join('; ')}]`),
        keysArb.map((ks) => `[see @${ks[0]}, p. 3${ks.slice(1).map((k) => '; -@' + k).join('')}]`),
        keyArb.map((k) => `@${k}`),
        keysArb.map((ks) => `[@${list(ks, '; @')}`), // unterminated while typing
        keyArb.map((k) => `\`@${k}\``),
        keyArb.map((k) => `\n\`\`\`\n@${k}\n\`\`\`\n`),
        keyArb.map((k) => `me.${k}@example.org`),
        fc.constantFrom('$x$', '*', '_', '[link](https://x.org/@h)', '<!-- c -->', '[', ']', '@', ';', '`', '\\', '(', ')'),
      );
    case 'typst':
      return fc.oneof(
        word, word, word,
        keyArb.map((k) => `@${k}`),
        keyArb.map((k) => `#cite(<${k}>)`),
        keyArb.map((k) => `// @${k}\n`),
        keyArb.map((k) => `\`@${k}\``),
        fc.constantFrom('$x$', '#emph[', ']', '<lbl>', '@', '#', '\\', '*'),
      );
    default:
      return fc.oneof(
        word, word,
        keysArb.map((ks) => `\\cite{${list(ks, ',')}}`),
        keysArb.map((ks) => `[${ks.map((k) => '@' + k).join('; ')}]`),
        fc.constantFrom('me@x.org', '[', ']', '@', '\\'),
      );
  }
}

function documentArb(syntax: DocumentSyntax): fc.Arbitrary<string> {
  return fc.array(fc.tuple(fragments(syntax), sep), { maxLength: 14 }).map((parts) => parts.map(([f, s]) => f + s).join(''));
}

/** A document with an offset in it. */
function docWithOffset(syntax: DocumentSyntax): fc.Arbitrary<[string, number]> {
  return documentArb(syntax).chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 0, max: d.length })));
}

function occurrenceKey(o: CitationOccurrence): string {
  return `${o.key}@${o.start}-${o.end}`;
}

describe('citation properties (fast-check)', () => {
  it('readers never throw and return ranges inside the text, on arbitrary strings', function () {
    this.timeout(120_000);
    const noisy = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom('\\', 'cite', '{', '}', '[', ']', '(', ')', '@', ';', ',', '%', '$', '`', '\n', ' ', '-', 'a', '#', '<', '>', '*', '~', '"'), { maxLength: 120 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(noisy, fc.constantFrom(...SYNTAXES), fc.nat(), keysArb, (text, syntax, o, ks) => {
        const offset = o % (text.length + 1);
        for (const c of findCitations(text, syntax)) {
          assert.ok(c.citation.start <= c.start && c.start <= c.end && c.end <= c.citation.end && c.citation.end <= text.length);
          assert.ok(c.key.length > 0);
        }
        const ctx = citeContextAt(text, offset, syntax);
        if (ctx) {
          const cit = ctx.citation;
          assert.ok(0 <= cit.start && cit.start <= cit.insertAt && cit.insertAt <= cit.end && cit.end <= text.length);
          assert.ok(ctx.replaceStart <= offset && offset <= ctx.replaceEnd);
          assert.equal(ctx.prefix, text.slice(ctx.replaceStart, offset));
        }
        const e = citationInsertEdit(text, offset, ks, syntax);
        assert.equal(e.start, e.end, 'citing only inserts');
        assert.ok(0 <= e.start && e.start <= text.length);
        new MentionMatcher([paper({ key: ks[0], title: 'Sigma: a b c d' })]).scan(text, syntax);
      }),
      { numRuns: runs(3000) },
    );
  });

  for (const syntax of SYNTAXES) {
    it(`${syntax}: merging never edits outside the citation and reads back as the union of keys`, function () {
      this.timeout(120_000);
      let merged = 0;
      let fresh = 0;
      fc.assert(
        fc.property(docWithOffset(syntax), keysArb, ([doc, offset], ks) => {
          const before = findCitations(doc, syntax);
          const ctx = citeContextAt(doc, offset, syntax);
          const e = citationInsertEdit(doc, offset, ks, syntax);
          assert.equal(e.start, e.end);
          const after = doc.slice(0, e.start) + e.newText + doc.slice(e.end);
          const len = e.newText.length;
          if (ctx) {
            const { start, end } = ctx.citation;
            assert.ok(start <= e.start && e.start <= end, `edit at ${e.start} outside the citation [${start}, ${end}]`);
            const found = findCitations(after, syntax);
            const inside = found.filter((c) => c.start >= start && c.end <= end + len);
            assert.deepEqual(new Set(inside.map((c) => c.key)), new Set([...ctx.keysAll, ...ks]), after);
            const outsideBefore = before.filter((c) => c.end <= start || c.start >= end).map((c) => occurrenceKey(c.start >= end ? { ...c, start: c.start + len, end: c.end + len } : c));
            const outsideAfter = found.filter((c) => !(c.start >= start && c.end <= end + len)).map(occurrenceKey);
            assert.deepEqual(outsideAfter, outsideBefore, after);
            merged++;
            return;
          }
          assert.equal(e.start, offset);
          // a new citation reads back where it was written, when written in prose
          const mask = lexDocument(doc, syntax).mask;
          const ok = syntax === 'latex' ? [CLASS_PROSE, CLASS_MATH, CLASS_TRANSPARENT] : [CLASS_PROSE];
          if ((offset > 0 && !ok.includes(mask[offset - 1])) || (offset < doc.length && !ok.includes(mask[offset]))) return;
          // any text typed into a blank line joins two paragraphs, and any text typed into a run of
          // backticks changes which code spans pair up: no citation syntax can avoid that
          if (syntax === 'markdown' && (doc[offset - 1] === '`' || doc[offset] === '`' || /\n[ \t]*$/.test(doc.slice(0, offset)) && /^[ \t]*\n/.test(doc.slice(offset)))) return;
          const found = findCitations(after, syntax);
          const inserted = found.filter((c) => c.start >= offset && c.end <= offset + len);
          assert.deepEqual([...new Set(inserted.map((c) => c.key))], [...new Set(ks)], after);
          const shifted = before.map((c) => occurrenceKey(c.start >= offset ? { ...c, start: c.start + len, end: c.end + len } : c));
          assert.deepEqual(found.filter((c) => !(c.start >= offset && c.end <= offset + len)).map(occurrenceKey), shifted, after);
          fresh++;
        }),
        { numRuns: runs(2500) },
      );
      assert.ok(merged > 50 && fresh > 50, `too few interesting cases: merged ${merged}, new ${fresh}`);
    });
  }

  it('reads adversarial documents to the end (unclosed brackets, runs of @, $, `, \\verb …)', function () {
    this.timeout(120_000);
    const size = LONG ? 1 << 20 : 1 << 17;
    const patterns = ['{', '[', '](', '\\cite[', '\\cite{', '\\label{\n', '@', '[@', '[@a;', '`', '$', '$$', '\\verb', '\\', '<a', '#cite(', '/*', '---\n', '```\n', '-@', 'é'];
    const matcher = new MentionMatcher([paper({ key: 'a', title: 'Sigma: Some Title Words Here' })]);
    let worst = { ms: 0, what: '' };
    for (const p of patterns) {
      const text = p.repeat(Math.ceil(size / p.length)).slice(0, size);
      for (const syntax of SYNTAXES) {
        const t0 = performance.now();
        const cits = findCitations(text, syntax);
        const mentions = matcher.scan(text, syntax);
        citeContextAt(text, text.length >> 1, syntax);
        const edit = citationInsertEdit(text, text.length >> 1, ['k'], syntax);
        const ms = performance.now() - t0;
        const what = `${JSON.stringify(p)} (${syntax})`;
        // what was found lies in the text, in order: nothing read past the end or backwards
        let last = 0;
        for (const c of cits) {
          assert.ok(last <= c.start && c.start <= c.end && c.end <= size, `${what}: citation key at ${c.start}-${c.end}`);
          last = c.start;
        }
        assert.deepEqual(mentions.filter((m) => m.kind !== 'key'), [], `${what}: no title or name in the text`);
        assert.ok(0 <= edit.start && edit.start <= edit.end && edit.end <= size && edit.newText.includes('k'), `${what}: ${JSON.stringify(edit)}`);
        if (ms > worst.ms) worst = { ms, what };
      }
    }
    // a figure for the log, never a limit: a loaded machine is no evidence either way (npm run bench
    // measures); quadratic behaviour would take minutes and so still fail, on the test's timeout
    console.log(`      adversarial ${size >> 10} KB documents: slowest ${worst.what} ${worst.ms.toFixed(0)} ms for four passes`);
  });

  it('formatCitation writes what findCitations reads, for any keys the syntax can hold', function () {
    this.timeout(120_000);
    const anyKey = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).filter((k) => k.trim() === k && k.length > 0);
    fc.assert(
      fc.property(fc.array(anyKey, { minLength: 1, maxLength: 4 }), fc.constantFrom(...SYNTAXES), (raw, syntax) => {
        // LaTeX keys cannot hold separators; Pandoc @{…} keys with Markdown syntax inside (code,
        // math, tags) and Typst label("…") keys with quotes are out of scope (documented gap)
        const bad = syntax === 'latex' ? /^\*$|[\s,{}%\\]/ : syntax === 'typst' ? /[{}"\\\n]/ : /[{}`$<>\\\n]/;
        const ks = [...new Set(raw.filter((k) => !bad.test(k)))];
        fc.pre(ks.length > 0);
        const text = `Before ${formatCitation(ks, syntax)} after.`;
        assert.deepEqual(findCitations(text, syntax).map((c) => c.key), ks, text);
      }),
      { numRuns: runs(2000) },
    );
  });
});
