/**
 * Citations in documents: finding every key (LaTeX, Pandoc Markdown, Typst, plain), the cursor
 * context used by completion, writing new citations, and merging keys into an existing one.
 */
import * as assert from 'node:assert/strict';
import { findCitations } from '../../src/core/citations/documentLexer';
import { DocumentSyntax, syntaxForLanguage } from '../../src/core/citations/languages';
import { formatCitation } from '../../src/core/citations/formatCitation';
import { citeContextAt } from '../../src/core/citations/citeContext';
import { citationInsertEdit, TextEdit } from '../../src/core/citations/citationInsertEdit';

/** The keys found, in order. */
function keys(text: string, syntax: DocumentSyntax): string[] {
  return findCitations(text, syntax).map((c) => c.key);
}

/** Splits "text with | cursor" into the text and the cursor offset. */
function cursor(marked: string): [string, number] {
  const i = marked.indexOf('|');
  assert.ok(i >= 0, 'test text needs a | cursor');
  return [marked.slice(0, i) + marked.slice(i + 1), i];
}

function apply(text: string, e: TextEdit): string {
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

/** Applies the insert edit for `add` at the | cursor and returns the new text. */
function insertAt(marked: string, add: string[], syntax: DocumentSyntax, options = {}): string {
  const [text, offset] = cursor(marked);
  return apply(text, citationInsertEdit(text, offset, add, syntax, options));
}

describe('citationSyntax', () => {
  describe('syntaxForLanguage', () => {
    it('maps VS Code language ids to citation syntaxes', () => {
      assert.equal(syntaxForLanguage('latex'), 'latex');
      assert.equal(syntaxForLanguage('tex'), 'latex');
      assert.equal(syntaxForLanguage('markdown'), 'markdown');
      assert.equal(syntaxForLanguage('quarto'), 'markdown');
      assert.equal(syntaxForLanguage('rmd'), 'markdown');
      assert.equal(syntaxForLanguage('rmarkdown'), 'markdown');
      assert.equal(syntaxForLanguage('typst'), 'typst');
      assert.equal(syntaxForLanguage('bibtex'), 'plain');
      assert.equal(syntaxForLanguage('plaintext'), 'plain');
      assert.equal(syntaxForLanguage(''), 'plain');
    });
  });

  describe('findCitations: LaTeX', () => {
    it('reads every cite-like command with optional arguments and stars', () => {
      const text = String.raw`\cite{a} \citep[p.~3]{b} \citet*{c} \autocite[see][12]{d} \parencite{e} \textcite{f}
\footcite{g} \citeauthor{h} \nocite{i} \Citet{j} \citeyearpar{k} \citealp{l}`;
      assert.deepEqual(keys(text, 'latex'), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);
    });

    it('splits multi-key citations at commas, with whitespace and line breaks, and gives exact offsets', () => {
      const text = 'As shown \\citep[p.~3]{alpha, beta,gamma,\n   delta} here.';
      const found = findCitations(text, 'latex');
      assert.deepEqual(found.map((c) => c.key), ['alpha', 'beta', 'gamma', 'delta']);
      for (const c of found) assert.equal(text.slice(c.start, c.end), c.key);
      const cit = found[0].citation;
      assert.equal(text.slice(cit.start, cit.end), '\\citep[p.~3]{alpha, beta,gamma,\n   delta}');
      assert.equal(cit.command, 'citep');
      assert.ok(found.every((c) => c.citation === cit || (c.citation.start === cit.start && c.citation.end === cit.end)));
    });

    it('reads every group of multi-cite commands', () => {
      const text = String.raw`\cites[p.~1]{a}[p.~2]{b,c} and \parencites(pre)(post)[x]{d}{e} and \textcites{f}[3]{g}.`;
      assert.deepEqual(keys(text, 'latex'), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      assert.equal(findCitations(text, 'latex')[0].citation.command, 'cites');
    });

    it('keeps the star in the command name and skips \\nocite{*}', () => {
      const found = findCitations('\\citet*{a} \\nocite{*}', 'latex');
      assert.deepEqual(found.map((c) => [c.key, c.citation.command]), [['a', 'citet*']]);
    });

    it('skips % comments, verbatim and \\verb, but not an escaped \\%', () => {
      const text = [
        'A \\cite{kept1} % \\cite{commented}',
        '% \\citep{whole-line}',
        '50\\% \\cite{kept2}',
        '\\begin{verbatim}\\cite{verbatim}\\end{verbatim}',
        '\\verb|\\cite{verb}| \\cite{kept3}',
        '\\begin{comment}\\cite{commentenv}\\end{comment}',
      ].join('\n');
      assert.deepEqual(keys(text, 'latex'), ['kept1', 'kept2', 'kept3']);
    });

    it('skips comments inside the key list', () => {
      assert.deepEqual(keys('\\cite{a, % b,\n c}', 'latex'), ['a', 'c']);
    });

    it('does not read commands that only look like citations', () => {
      assert.deepEqual(keys('\\citestyle{nature} \\bibliographystyle{plain} \\cite alone', 'latex'), []);
    });

    it('reads an unterminated citation while the writer types, without swallowing the next paragraph', () => {
      assert.deepEqual(keys('text \\cite{a, b', 'latex'), ['a', 'b']);
      assert.deepEqual(keys('text \\cite{a,\n\nNext paragraph \\emph{x}.', 'latex'), ['a']);
      assert.deepEqual(keys('text \\cite{a more words here} \\cite{b}', 'latex'), ['a', 'b']);
    });
  });

  describe('findCitations: Markdown', () => {
    it('reads bracketed Pandoc citations with prefixes, locators and suppressed authors', () => {
      const text = 'Known [see @doe99, pp. 33-35; also @smith04, chap. 1] and [-@wadler89] and [@a; @b].';
      assert.deepEqual(keys(text, 'markdown'), ['doe99', 'smith04', 'wadler89', 'a', 'b']);
      const found = findCitations(text, 'markdown');
      for (const c of found) assert.equal(text.slice(c.start, c.end), c.key);
      assert.equal(text.slice(found[0].citation.start, found[0].citation.end), '[see @doe99, pp. 33-35; also @smith04, chap. 1]');
      assert.equal(found[0].citation.command, undefined);
    });

    it('reads bare in-text citations and @{…} keys, leaving trailing punctuation out of the key', () => {
      const text = '@doe99 says so. As @smith04. shows, @{odd key!} and @a:b: too; also @https://doi.org/10.1/x.';
      assert.deepEqual(keys(text, 'markdown'), ['doe99', 'smith04', 'odd key!', 'a:b', 'https://doi.org/10.1/x']);
    });

    it('accepts the Pandoc key characters inside a key', () => {
      assert.deepEqual(keys('[@Foo_bar:2020.v2#x$y%z&w-q+r?s<t>u~v/w]', 'markdown'), ['Foo_bar:2020.v2#x$y%z&w-q+r?s<t>u~v/w']);
    });

    it('does not read e-mail addresses, handles in URLs or escaped @ as citations', () => {
      const text = 'Mail jane.doe@example.org or <me@x.com>, see https://social.example/@user and \\@notakey.';
      assert.deepEqual(keys(text, 'markdown'), []);
    });

    it('does not read citations in code spans, fenced or indented code, HTML comments or front matter', () => {
      const text = [
        '---',
        'author: "@frontmatter"',
        '---',
        'Text `@span` and ``code with ` @span2`` and @kept1.',
        '',
        '```python',
        'print("@fenced")',
        '```',
        '~~~~',
        '@tilde',
        '~~~~',
        '',
        '    @indented code',
        '',
        '<!-- @commented -->',
        'And [@kept2].',
      ].join('\n');
      assert.deepEqual(keys(text, 'markdown'), ['kept1', 'kept2']);
    });

    it('still reads citations in list items indented by four spaces (not code)', () => {
      assert.deepEqual(keys('- item\n\n    continued with @kept', 'markdown'), ['kept']);
    });

    it('handles Windows line endings in code fences and comments', () => {
      assert.deepEqual(keys('Text @a\r\n```\r\n@fenced\r\n```\r\nand @b', 'markdown'), ['a', 'b']);
      assert.deepEqual(keys('\\cite{a} % \\cite{x}\r\n\\cite{b}', 'latex'), ['a', 'b']);
    });

    it('reads raw LaTeX cite commands in Markdown too', () => {
      assert.deepEqual(keys('Text \\citep{a,b} and @c.', 'markdown'), ['a', 'b', 'c']);
    });

    it('does not read a link text or a math span as a citation', () => {
      assert.deepEqual(keys('[@a](https://x.org/@b) and $x@y$', 'markdown'), ['a']);
    });
  });

  describe('findCitations: Typst and plain text', () => {
    it('reads Typst @references and #cite(<key>) but not e-mail addresses, comments or raw text', () => {
      const text = 'See @knuth84 and #cite(<lamport94>) and #cite(label("odd key")), mail me@x.org. // @comment\n`@raw` $@math$';
      assert.deepEqual(keys(text, 'typst'), ['knuth84', 'lamport94', 'odd key']);
      const cite = findCitations(text, 'typst')[1];
      assert.equal(cite.citation.command, 'cite');
      assert.equal(text.slice(cite.citation.start, cite.citation.end), '#cite(<lamport94>)');
    });

    it('leaves the trailing period out of a Typst reference', () => {
      assert.deepEqual(keys('As in @knuth84.', 'typst'), ['knuth84']);
    });

    it('reads LaTeX commands and bracketed citations in plain text, not bare @ handles', () => {
      assert.deepEqual(keys('See \\cite{a} and [@b; @c], ask @someone.', 'plain'), ['a', 'b', 'c']);
    });

    it('returns nothing for empty or non-citation text', () => {
      for (const s of ['latex', 'markdown', 'typst', 'plain'] as const) {
        assert.deepEqual(findCitations('', s), []);
        assert.deepEqual(findCitations('Just prose, nothing cited.', s), []);
      }
    });
  });

  describe('formatCitation', () => {
    it('writes each syntax', () => {
      assert.equal(formatCitation(['a', 'b'], 'latex'), '\\cite{a,b}');
      assert.equal(formatCitation(['a', 'b'], 'latex', { latexCommand: 'citep' }), '\\citep{a,b}');
      assert.equal(formatCitation(['a'], 'latex', { latexCommand: '\\autocite' }), '\\autocite{a}');
      assert.equal(formatCitation(['a', 'b'], 'markdown'), '[@a; @b]');
      assert.equal(formatCitation(['a', 'b'], 'typst'), '@a @b');
      assert.equal(formatCitation(['a', 'b'], 'plain'), '[@a; @b]');
    });

    it('uses templates: ${keys} joined by commas, @${keys} as Pandoc keys', () => {
      assert.equal(formatCitation(['a', 'b'], 'plain', { template: '(${keys})' }), '(a, b)');
      assert.equal(formatCitation(['a', 'b'], 'markdown', { template: '[@${keys}]' }), '[@a; @b]');
      assert.equal(formatCitation(['a'], 'latex', { template: '\\footcite{${keys}}' }), '\\footcite{a}');
    });

    it('escapes keys that need it and drops duplicates and empty keys', () => {
      assert.equal(formatCitation(['odd key', 'x'], 'markdown'), '[@{odd key}; @x]');
      assert.equal(formatCitation(['a', 'a', ' ', 'b'], 'latex'), '\\cite{a,b}');
      assert.equal(formatCitation([], 'latex'), '');
      assert.equal(formatCitation(['odd key'], 'typst'), '#cite(label("odd key"))');
    });

    it('writes citations that findCitations reads back', () => {
      const ks = ['alpha2020', 'Beta_x:1', 'odd key'];
      for (const s of ['latex', 'markdown', 'typst', 'plain'] as const) {
        const ks2 = s === 'latex' ? ks.filter((k) => !k.includes(' ')) : ks;
        assert.deepEqual(keys(`Before ${formatCitation(ks2, s)} after.`, s), ks2, s);
      }
    });
  });

  describe('citeContextAt', () => {
    it('LaTeX: inside the key group after a key, \\citep[p.~3]{a|}', () => {
      const [text, offset] = cursor('See \\citep[p.~3]{a|} now.');
      const ctx = citeContextAt(text, offset, 'latex');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'a');
      assert.deepEqual(ctx.keysAll, ['a']);
      assert.deepEqual(ctx.keysBefore, []);
      assert.equal(ctx.inKey, true);
      assert.equal(text.slice(ctx.replaceStart, ctx.replaceEnd), 'a');
      assert.equal(text.slice(ctx.citation.start, ctx.citation.end), '\\citep[p.~3]{a}');
    });

    it('LaTeX: after a comma, unterminated while typing', () => {
      const [text, offset] = cursor('See \\citep[p.~3]{a, lon|');
      const ctx = citeContextAt(text, offset, 'latex');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'lon');
      assert.deepEqual(ctx.keysBefore, ['a']);
      assert.deepEqual(ctx.keysAll, ['a', 'lon']);
      assert.equal(ctx.citation.separator, ', ');
      const [t2, o2] = cursor('\\cite{a,|}');
      const c2 = citeContextAt(t2, o2, 'latex');
      assert.ok(c2);
      assert.equal(c2.prefix, '');
      assert.equal(c2.inKey, true);
      assert.equal(c2.replaceStart, o2);
      assert.equal(c2.replaceEnd, o2);
    });

    it('LaTeX: the prefix is the part typed so far when the cursor is inside a key', () => {
      const [text, offset] = cursor('\\autocite{alpha, lo|ngkey, omega}');
      const ctx = citeContextAt(text, offset, 'latex');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'lo');
      assert.equal(text.slice(ctx.replaceStart, ctx.replaceEnd), 'longkey');
      assert.deepEqual(ctx.keysBefore, ['alpha']);
      assert.deepEqual(ctx.keysAll, ['alpha', 'longkey', 'omega']);
    });

    it('LaTeX: in an optional argument the cursor is in the citation but not in a key', () => {
      const [text, offset] = cursor('\\citep[p.~|3]{a}');
      const ctx = citeContextAt(text, offset, 'latex');
      assert.ok(ctx);
      assert.equal(ctx.inKey, false);
      assert.equal(ctx.prefix, '');
    });

    it('LaTeX: not in a citation after its closing brace, in a comment, or in other commands', () => {
      for (const m of ['\\cite{a}| text', '% \\cite{a|}', '\\emph{a|}', 'plain | text', '|\\cite{a}']) {
        const [text, offset] = cursor(m);
        assert.equal(citeContextAt(text, offset, 'latex'), undefined, m);
      }
    });

    it('Markdown: [@a|], [@a; @|], [@|] and bare @ke|', () => {
      let [text, offset] = cursor('See [@a|] there.');
      let ctx = citeContextAt(text, offset, 'markdown');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'a');
      assert.equal(text.slice(ctx.citation.start, ctx.citation.end), '[@a]');
      [text, offset] = cursor('See [@a; @|] there.');
      ctx = citeContextAt(text, offset, 'markdown');
      assert.ok(ctx);
      assert.equal(ctx.prefix, '');
      assert.equal(ctx.inKey, true);
      assert.deepEqual(ctx.keysBefore, ['a']);
      [text, offset] = cursor('See [@|] there.');
      ctx = citeContextAt(text, offset, 'markdown');
      assert.ok(ctx);
      assert.equal(ctx.prefix, '');
      assert.deepEqual(ctx.keysAll, []);
      assert.equal(text.slice(ctx.citation.start, ctx.citation.end), '[@]');
      [text, offset] = cursor('As @smi| says');
      ctx = citeContextAt(text, offset, 'markdown');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'smi');
      assert.equal(ctx.citation.separator, '; ');
      [text, offset] = cursor('Start @|');
      ctx = citeContextAt(text, offset, 'markdown');
      assert.ok(ctx);
      assert.equal(ctx.prefix, '');
    });

    it('Markdown: not in e-mail addresses, code spans or code blocks', () => {
      for (const m of ['mail me@exa|mple.org', 'mail me@|', '`@co|de`', '```\n@fen|ced\n```', 'text [see|] here']) {
        const [text, offset] = cursor(m);
        assert.equal(citeContextAt(text, offset, 'markdown'), undefined, m);
      }
    });

    it('Typst: @ke| and #cite(<ke|>)', () => {
      let [text, offset] = cursor('See @knu| now');
      let ctx = citeContextAt(text, offset, 'typst');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'knu');
      [text, offset] = cursor('See #cite(<knu|>) now');
      ctx = citeContextAt(text, offset, 'typst');
      assert.ok(ctx);
      assert.equal(ctx.prefix, 'knu');
    });

    it('never throws on odd offsets', () => {
      assert.equal(citeContextAt('\\cite{a}', -5, 'latex'), undefined);
      assert.equal(citeContextAt('\\cite{a}', 99, 'latex'), undefined);
      assert.equal(citeContextAt('', 0, 'markdown'), undefined);
    });
  });

  describe('citationInsertEdit', () => {
    it('LaTeX: merges into \\citep[p.~3]{a|} without repeating keys already there', () => {
      assert.equal(insertAt('See \\citep[p.~3]{a|} now.', ['b'], 'latex'), 'See \\citep[p.~3]{a,b} now.');
      assert.equal(insertAt('See \\citep[p.~3]{a|} now.', ['a', 'b', 'b'], 'latex'), 'See \\citep[p.~3]{a,b} now.');
      assert.equal(insertAt('\\cite{a, b|}', ['c'], 'latex'), '\\cite{a, b, c}');
      assert.equal(insertAt('\\cite{a,|}', ['c'], 'latex'), '\\cite{a,c}');
      assert.equal(insertAt('\\cite{|}', ['c', 'd'], 'latex'), '\\cite{c,d}');
      assert.equal(insertAt('\\cite{a, |b}', ['c'], 'latex'), '\\cite{a, b, c}');
      assert.equal(insertAt('\\cite{a,| b}', ['c'], 'latex'), '\\cite{a,c, b}');
      assert.equal(insertAt('\\cit|e{a}', ['c'], 'latex'), '\\cite{a,c}');
      assert.equal(insertAt('\\cites{a}{b|}', ['c'], 'latex'), '\\cites{a}{b,c}');
    });

    it('LaTeX: an edit that adds nothing when every key is already cited', () => {
      const [text, offset] = cursor('\\cite{a,b|}');
      const e = citationInsertEdit(text, offset, ['a', 'b'], 'latex');
      assert.equal(e.newText, '');
      assert.equal(e.start, e.end);
    });

    it('LaTeX: inserts a new citation with the configured command elsewhere', () => {
      assert.equal(insertAt('As shown| here.', ['a', 'b'], 'latex', { latexCommand: 'citep' }), 'As shown\\citep{a,b} here.');
      assert.equal(insertAt('% \\cite{x}\nText |', ['a'], 'latex'), '% \\cite{x}\nText \\cite{a}');
    });

    it('Markdown: merges into [@a|] and [@a; @|], fills a bare @|, else inserts [@a; @b]', () => {
      assert.equal(insertAt('See [@a|] now.', ['b'], 'markdown'), 'See [@a; @b] now.');
      assert.equal(insertAt('See [@a, p. 3|] now.', ['b', 'a'], 'markdown'), 'See [@a, p. 3; @b] now.');
      assert.equal(insertAt('See [@a; @|] now.', ['b', 'c'], 'markdown'), 'See [@a; @b; @c] now.');
      assert.equal(insertAt('See [@|] now.', ['b'], 'markdown'), 'See [@b] now.');
      assert.equal(insertAt('As @a| says.', ['b'], 'markdown'), 'As @a; @b says.');
      assert.equal(insertAt('As shown| here.', ['a', 'odd key'], 'markdown'), 'As shown[@a; @{odd key}] here.');
    });

    it('a key written at a bare @| does not run into the text after it', () => {
      // Pandoc reads "@a$x" as one key: the filled key is kept apart by a space
      assert.equal(insertAt('See @|$x$ now.', ['a'], 'markdown'), 'See @a $x$ now.');
      assert.equal(insertAt('See @|, now.', ['a'], 'markdown'), 'See @a, now.');
      assert.equal(insertAt('See @|.x now.', ['a'], 'markdown'), 'See @a .x now.');
    });

    it('Typst: keeps references apart from surrounding words', () => {
      assert.equal(insertAt('As shown| here.', ['a', 'b'], 'typst'), 'As shown @a @b here.');
      assert.equal(insertAt('As |here.', ['a'], 'typst'), 'As @a here.');
      assert.equal(insertAt('See @a| now', ['b'], 'typst'), 'See @a @b now');
      assert.equal(insertAt('See #cite(<a>|) now', ['b'], 'typst'), 'See #cite(<a>) @b now');
    });

    it('plain text: uses the template', () => {
      assert.equal(insertAt('Text |', ['a', 'b'], 'plain'), 'Text [@a; @b]');
      assert.equal(insertAt('Text |', ['a', 'b'], 'plain', { template: '(${keys})' }), 'Text (a, b)');
    });

    it('never edits outside the citation when merging', () => {
      const [text, offset] = cursor('Before \\citep[p.~3]{a|} after');
      const ctx = citeContextAt(text, offset, 'latex');
      const e = citationInsertEdit(text, offset, ['b', 'c'], 'latex');
      assert.ok(ctx);
      assert.ok(e.start >= ctx.citation.start && e.end <= ctx.citation.end);
      assert.equal(apply(text, e).slice(0, ctx.citation.start), text.slice(0, ctx.citation.start));
      assert.equal(apply(text, e).slice(ctx.citation.end + e.newText.length), text.slice(ctx.citation.end));
    });
  });
});
