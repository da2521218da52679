/**
 * The paper card's finish: light Markdown in abstracts rendered as markup around escaped text (card
 * and hover), and the stylesheet inline under the nonce so the card is styled from its first paint.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { abstractHtml, paperCardHtml } from '../../src/core/render/cardHtml';
import { abstractMarkdown, cardMarkdown } from '../../src/core/render/cardMarkdown';
import { lightMarkup } from '../../src/core/render/lightMarkup';
import { paper, repoRoot } from './helpers';

describe('light Markdown in abstracts', () => {
  it('finds *emphasis*, _emphasis_, **strong** and `code`, and leaves everything else text', () => {
    assert.deepEqual(lightMarkup('We study *state collapse* in `RNN` cells, **fast**.'), [
      { kind: 'text', text: 'We study ' },
      { kind: 'em', text: 'state collapse' },
      { kind: 'text', text: ' in ' },
      { kind: 'code', text: 'RNN' },
      { kind: 'text', text: ' cells, ' },
      { kind: 'strong', text: 'fast' },
      { kind: 'text', text: '.' },
    ]);
    assert.deepEqual(lightMarkup('an _unbiased_ estimate'), [
      { kind: 'text', text: 'an ' },
      { kind: 'em', text: 'unbiased' },
      { kind: 'text', text: ' estimate' },
    ]);
  });

  it('does not read marks inside words, math or a lone asterisk', () => {
    for (const text of ['a*b*c', 'snake_case_name here', 'the value $x^* = y^*$', '5 * 3 * 2', 'a footnote*', '\\*not\\*']) {
      assert.deepEqual(lightMarkup(text), [{ kind: 'text', text }], text);
    }
  });

  it('the card renders the marks as <em>, <strong>, <code> around escaped text', () => {
    assert.equal(abstractHtml('*state <b>collapse</b>* & `a<b`'), '<em>state &lt;b&gt;collapse&lt;/b&gt;</em> &amp; <code>a&lt;b</code>');
    const html = paperCardHtml({
      paper: paper({ key: 'k', abstract: 'Recurrent models suffer *state collapse* beyond the training length.' }),
      topics: [], related: [], bibtex: '@misc{k}', nonce: 'N0nce', cspSource: "'self'", styleUri: 'https://x/a.css', scriptUri: 'https://x/a.js',
    });
    assert.ok(html.includes('suffer <em>state collapse</em> beyond'), 'no raw asterisks on the card');
  });

  it('the hover keeps the marks as Markdown and escapes the rest; code spans show their text', () => {
    assert.equal(abstractMarkdown('We *mean* [x](command:evil) and `a_b*c`'), 'We *mean* \\[x\\]\\(command&#58;evil\\) and `a_b*c`');
    const md = cardMarkdown(paper({ key: 'k', title: 'T', abstract: 'Models show *state collapse* early.' }));
    assert.ok(md.includes('Models show *state collapse* early\\.'), md);
  });
});

describe('hover text order', () => {
  it('title, then authors · year · venue, then the actions, then the key and facts, then a short abstract', () => {
    const abstract = 'First sentence about long context. Second sentence with detail. Third sentence. Fourth sentence that runs on and on.';
    const md = cardMarkdown(paper({ key: 'k1', title: 'A Title', authors: ['A One', 'B Two'], year: 2023, venue: 'ICLR', abstract }), {
      citedHere: 0,
      topics: ['Long context'],
      actions: [
        { title: 'Cite here', command: 'citelens.citeHere', args: [] },
        { title: 'Open card', command: 'citelens.openPaperCard', args: ['k1'] },
        { title: 'Copy BibTeX', command: 'citelens.copyBibtex', args: ['k1'] },
      ],
    });
    const blocks = md.split('\n\n');
    assert.equal(blocks[0], '**A Title**');
    assert.equal(blocks[1], 'A One, B Two · 2023 · ICLR');
    assert.match(blocks[2], /^\[Cite here\]\(command:citelens\.citeHere.*\[Open card\].*\[Copy BibTeX\]/);
    assert.match(blocks[3], /^`k1` · Long context · not cited here yet$/);
    assert.equal(blocks[4], 'First sentence about long context\\. Second sentence with detail\\. …', 'two sentences, not the whole abstract');
    assert.equal(blocks.length, 5);
  });
});

describe('the card is styled from its first paint', () => {
  const css = readFileSync(join(repoRoot, 'media/paperCard.css'), 'utf8');
  const render = (evil = 'T') =>
    paperCardHtml({
      paper: paper({ key: 'k', title: evil, abstract: evil }),
      topics: [evil], related: [], bibtex: '@misc{k}', nonce: 'N0nce', cspSource: "'self' https://*.vscode-cdn.net",
      styleUri: 'https://x/a.css', scriptUri: 'https://x/a.js', styleText: css + '\n/* </style><script>alert(1)</script> */',
    });

  it('puts the stylesheet inline under the nonce instead of linking it', () => {
    const html = render();
    assert.ok(html.includes(`style-src 'self' https://*.vscode-cdn.net 'nonce-N0nce'; script-src 'nonce-N0nce';`), 'the CSP allows the nonce');
    assert.ok(!html.includes('<link rel="stylesheet"'), 'no stylesheet to wait for');
    assert.equal([...html.matchAll(/<style\b[^>]*>/g)].map((m) => m[0]).join(), '<style nonce="N0nce">');
    assert.equal((html.match(/<\/style>/g) ?? []).length, 1, 'the stylesheet text cannot close its element');
    assert.equal((html.match(/<script\b/g) ?? []).length, 1);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style'));
  });

  it('left-aligns the abstract and wraps the BibTeX', () => {
    assert.match(css, /\.abstract p \{[^}]*text-align: left/);
    assert.ok(!/justify/.test(css));
    assert.match(css, /pre#bibtex-text \{[^}]*white-space: pre-wrap[^}]*overflow-wrap: anywhere/);
  });

  it('library text still cannot add a style element', () => {
    const html = render('<style>body{display:none}</style>');
    assert.equal((html.match(/<style\b/g) ?? []).length, 1);
  });
});
