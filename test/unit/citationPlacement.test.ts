/**
 * Where a citation goes when a writer cites at the cursor: before the full stop of the sentence it
 * follows, into a citation it follows, joined to the word before it by a tie or a space.
 */
import * as assert from 'node:assert/strict';
import { CitationPlacement, planCitationInsert } from '../../src/core/citations/citationInsertEdit';
import { DocumentSyntax } from '../../src/core/citations/languages';

/** Cites `keys` at the | cursor of `marked` and returns the new text. */
function cite(marked: string, keys: string[], syntax: DocumentSyntax, options: CitationPlacement = {}): string {
  const at = marked.indexOf('|');
  assert.ok(at >= 0, 'test text needs a | cursor');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const e = planCitationInsert(text, at, keys, syntax, options);
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

describe('planCitationInsert', () => {
  it('LaTeX: a citation at the end of a sentence goes before its full stop, joined by a tie', () => {
    assert.equal(cite('is a complementary route.|', ['a'], 'latex'), 'is a complementary route~\\cite{a}.');
    assert.equal(cite('is a complementary route.|\n\nNext.', ['a'], 'latex'), 'is a complementary route~\\cite{a}.\n\nNext.');
    assert.equal(cite('a route. |', ['a'], 'latex'), 'a route~\\cite{a}. ');
    assert.equal(cite('a route.| Then more.', ['a'], 'latex'), 'a route~\\cite{a}. Then more.');
    assert.equal(cite('Does it scale?|', ['a', 'b'], 'latex', { latexCommand: 'citep' }), 'Does it scale~\\citep{a,b}?');
    assert.equal(cite('and so on...|', ['a'], 'latex'), 'and so on~\\cite{a}...');
  });

  it('LaTeX: with citelens.citation.latexTie off the citation follows a space', () => {
    assert.equal(cite('a route.|', ['a'], 'latex', { latexTie: false }), 'a route \\cite{a}.');
  });

  it('Markdown: `route [@a].`', () => {
    assert.equal(cite('is a complementary route.|', ['a', 'b'], 'markdown'), 'is a complementary route [@a; @b].');
  });

  it('leaves the cursor where it is when it does not follow a sentence end', () => {
    assert.equal(cite('span many GPUs |, and', ['a'], 'latex'), 'span many GPUs \\cite{a}, and');
    assert.equal(cite('as in Brown et al.|', ['a'], 'latex'), 'as in Brown et al.\\cite{a}');
    assert.equal(cite('methods, e.g.|', ['a'], 'markdown'), 'methods, e.g.[@a]');
    assert.equal(cite('version 1.|5', ['a'], 'latex'), 'version 1.\\cite{a}5');
    assert.equal(cite('a route. |Next', ['a'], 'latex'), 'a route. \\cite{a}Next');
  });

  it('merges into a citation the cursor is right after', () => {
    assert.equal(cite('a route \\cite{a}|', ['b'], 'latex'), 'a route \\cite{a,b}');
    assert.equal(cite('a route~\\citep[p.~3]{a, b}|, and', ['c'], 'latex'), 'a route~\\citep[p.~3]{a, b, c}, and');
    assert.equal(cite('a route~\\cite{a}.|', ['b'], 'latex'), 'a route~\\cite{a,b}.');
    assert.equal(cite('a route [@a]|', ['b'], 'markdown'), 'a route [@a; @b]');
    assert.equal(cite('a route [@a, p. 3].|', ['b'], 'markdown'), 'a route [@a, p. 3; @b].');
    assert.equal(cite('\\cite{a}|', ['a'], 'latex'), '\\cite{a}', 'a key already there is not repeated');
  });

  it('does not merge into a citation a space or a sentence away', () => {
    assert.equal(cite('\\cite{a} and |', ['b'], 'latex'), '\\cite{a} and \\cite{b}');
    assert.equal(cite('[@a]. Next |', ['b'], 'markdown'), '[@a]. Next [@b]');
  });

  it('after a mention: right after the name, tied', () => {
    assert.equal(cite('LongLoRA| combines', ['k'], 'latex', { place: 'mention' }), 'LongLoRA~\\cite{k} combines');
    assert.equal(cite('LongLoRA| combines', ['k'], 'markdown', { place: 'mention' }), 'LongLoRA [@k] combines');
  });

  it('at the sentence end: before the full stop of the sentence holding the cursor, or into its citation', () => {
    assert.equal(cite('Long con|texts cost. More.', ['k'], 'latex', { place: 'sentence' }), 'Long contexts cost~\\cite{k}. More.');
    assert.equal(cite('Long con|texts cost \\cite{a}. More.', ['k'], 'latex', { place: 'sentence' }), 'Long contexts cost \\cite{a,k}. More.');
  });
});
