import * as assert from 'node:assert/strict';
import { cardMarkdown, escapeMarkdown, firstSentences } from '../../src/core/render/cardMarkdown';
import { documentBibliographies } from '../../src/core/citations/documentBibliography';
import { paragraphAt, sentenceEndAt } from '../../src/core/text/paragraph';
import { paper } from './helpers';

describe('bibliographies a document names', () => {
  it('reads \\bibliography (adding .bib) and \\addbibresource, not in comments', () => {
    const tex = '\\addbibresource{lib/main.bib}\n% \\bibliography{old}\n\\bibliography{refs, other}\n';
    assert.deepEqual(documentBibliographies(tex, 'latex').map((r) => r.path), ['lib/main.bib', 'refs.bib', 'other.bib']);
  });
  it('reads YAML bibliography as a string, an inline list and a block list', () => {
    assert.deepEqual(documentBibliographies('---\ntitle: x\nbibliography: refs.bib\n---\nbody', 'markdown').map((r) => r.path), ['refs.bib']);
    assert.deepEqual(documentBibliographies('---\nbibliography: [a.bib, "b.json"]\n---\n', 'markdown').map((r) => r.path), ['a.bib', 'b.json']);
    assert.deepEqual(documentBibliographies('---\nbibliography:\n  - a.bib\n  - b.json\n---\n', 'markdown').map((r) => r.path), ['a.bib', 'b.json']);
    assert.deepEqual(documentBibliographies('no front matter\nbibliography: x.bib', 'markdown'), []);
  });
  it('gives the offset of each name', () => {
    const tex = '\\bibliography{refs, other}';
    const [a, b] = documentBibliographies(tex, 'latex');
    assert.equal(tex.slice(a.offset, a.offset + 4), 'refs');
    assert.equal(tex.slice(b.offset, b.offset + 5), 'other');
  });
});

describe('the card as Markdown', () => {
  it('renders hostile library text inert', () => {
    const md = cardMarkdown(paper({ key: 'k', title: '[x](command:workbench.action.quit) <img src=x onerror=alert(1)>', abstract: '**bold** <script>alert(1)</script> [y](javascript:alert(1)).', authors: ['<b>Eve</b>'] }));
    assert.ok(!md.includes('](command:'), md);
    assert.ok(!md.includes('<img'), md);
    assert.ok(!md.includes('<script'), md);
    assert.ok(!md.includes('<b>'), md);
    assert.ok(!/\]\(javascript/.test(md), md);
  });
  it('shows key, year, venue, first three authors and et al., arXiv link and cited count', () => {
    const md = cardMarkdown(paper({ key: 'k1', title: 'T', authors: ['A One', 'B Two', 'C Three', 'D Four'], year: 2020, venue: 'NeurIPS', arxiv: '2005.14165' }), { citedHere: 3 });
    assert.match(md, /A One, B Two, C Three et al\\\./);
    assert.match(md, /2020 · NeurIPS/);
    assert.match(md, /\[arXiv:2005\\\.14165\]\(https:\/\/arxiv\.org\/abs\/2005\.14165\)/);
    assert.match(md, /cited 3× here/);
  });
  it('only links action commands built by Citelens', () => {
    const md = cardMarkdown(paper({ key: 'k', title: 't' }), { actions: [{ title: 'Open card', command: 'citelens.openPaperCard', args: ['k'] }] });
    assert.match(md, /\[Open card\]\(command:citelens\.openPaperCard\?%5B%22k%22%5D\)/);
    assert.equal(escapeMarkdown('a_b'), 'a\\_b');
    assert.equal(firstSentences('One. Two. Three. Four.', 2), 'One. Two. …');
  });
});

describe('paragraphs and sentence ends', () => {
  const text = 'First para.\n\nScaling helps a lot. Long context is hard, as shown by Chen et al. in 2023. More text\n\nLast.';
  it('finds the paragraph around an offset', () => {
    const at = text.indexOf('Long');
    const p = paragraphAt(text, at);
    assert.equal(text.slice(p.start, p.end), 'Scaling helps a lot. Long context is hard, as shown by Chen et al. in 2023. More text');
    const last = paragraphAt(text, text.length - 1);
    assert.equal(text.slice(last.start, last.end), 'Last.');
  });
  it('puts a citation before the sentence\'s full stop, skipping "et al."', () => {
    const at = text.indexOf('Long');
    assert.equal(sentenceEndAt(text, at), text.indexOf(' More') - 1);
    assert.equal(sentenceEndAt(text, text.indexOf('More')), text.indexOf('More text') + 'More text'.length);
  });
});
