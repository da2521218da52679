/**
 * Citation syntax as writers use it in real books and theses: Quarto and pandoc-crossref
 * cross-references, footnotes, fenced divs, bookdown blocks, raw LaTeX, macro definitions and
 * user-defined cite commands.
 */
import * as assert from 'node:assert/strict';
import { findCitations, lexDocument } from '../../src/core/citations/documentLexer';
import { DocumentSyntax } from '../../src/core/citations/languages';
import { CLASS_IGNORED, CLASS_PROSE } from '../../src/core/citations/lexedDocument';

function keys(text: string, syntax: DocumentSyntax): string[] {
  return findCitations(text, syntax).map((c) => c.key);
}

/** Whether every character of `part` (first occurrence in `text`) is prose. */
function isProse(text: string, syntax: DocumentSyntax, part: string): boolean {
  const { mask } = lexDocument(text, syntax);
  const s = text.indexOf(part);
  assert.ok(s >= 0, part);
  for (let i = s; i < s + part.length; i++) if (mask[i] !== CLASS_PROSE && !/\s/.test(text[i])) return false;
  return true;
}

describe('citation syntax as writers use it', () => {
  describe('Quarto and pandoc-crossref cross-references', () => {
    it('are not citations, bare or bracketed, in any Quarto kind, capitalised or with a colon', () => {
      const kinds = ['fig', 'tbl', 'sec', 'eq', 'lst', 'thm', 'lem', 'cor', 'prp', 'cnj', 'def', 'exm', 'exr', 'sol', 'rem', 'tip', 'nte', 'wrn', 'imp', 'cau'];
      for (const k of kinds) {
        assert.deepEqual(keys(`As @${k}-cars shows, and [@${k}-two]. See @smith2020.`, 'markdown'), ['smith2020'], k);
      }
      const text = 'See @Fig-cars, @fig:cars, [@tbl:summary; @sec:intro] and @eq:loss, but [@fig-a; @knuth84, p. 3].';
      assert.deepEqual(keys(text, 'markdown'), ['knuth84']);
    });

    it('are not prose either (no mention inside a cross-reference)', () => {
      const text = 'As shown in @fig-longlora-results here.';
      const { mask } = lexDocument(text, 'markdown');
      assert.equal(mask[text.indexOf('longlora')], CLASS_IGNORED);
    });

    it('keeps keys that only start like a prefix', () => {
      assert.deepEqual(keys('By @figueroa2020, @secord99 and @eqbal-2021 [@defazio:adam].', 'markdown'), ['figueroa2020', 'secord99', 'eqbal-2021', 'defazio:adam']);
    });
  });

  describe('footnotes', () => {
    it('reads citations in footnote definitions, also in their indented continuation', () => {
      const text = 'Text.[^1] More.[^long]\n\n[^1]: See [@knuth84, p. 3].\n\n[^long]: As @lamport94 argues.\n\n    And @goossens93 too.\n';
      assert.deepEqual(keys(text, 'markdown'), ['knuth84', 'lamport94', 'goossens93']);
      assert.ok(isProse(text, 'markdown', 'As'));
    });

    it('reads citations in inline footnotes without taking the footnote for a citation', () => {
      const text = 'Text.^[As @knuth84 shows, see also [@lamport94].] More.';
      const found = findCitations(text, 'markdown');
      assert.deepEqual(found.map((c) => c.key), ['knuth84', 'lamport94']);
      assert.equal(text.slice(found[0].citation.start, found[0].citation.end), '@knuth84');
      assert.ok(isProse(text, 'markdown', 'shows, see also'));
      const simple = 'Text.^[As @knuth84 shows.] More.';
      const one = findCitations(simple, 'markdown');
      assert.deepEqual(one.map((c) => simple.slice(c.citation.start, c.citation.end)), ['@knuth84']);
      assert.ok(isProse(simple, 'markdown', 'shows'));
    });
  });

  describe('blocks', () => {
    it('reads fenced divs as prose, their attribute lines not', () => {
      const text = '::: {.callout-note #nte-x}\nAs @knuth84 shows, LongLoRA works.\n:::\n\n:::: {.columns}\n::: column\n[@lamport94]\n:::\n::::\n';
      assert.deepEqual(keys(text, 'markdown'), ['knuth84', 'lamport94']);
      assert.ok(isProse(text, 'markdown', 'LongLoRA works'));
      assert.ok(!isProse(text, 'markdown', 'callout-note'));
    });

    it('reads bookdown block, block2 and theorem chunks as prose, code chunks as code', () => {
      const text = [
        '```{block2, type="rmdnote"}', 'A note citing [@knuth84].', '```', '',
        '```{theorem, name="Main"}', 'As @lamport94 proved.', '```', '',
        '```{r, echo=FALSE}', 'x <- "[@notakey]"', '```', '',
        '```{python}', '# @alsonot', '```',
      ].join('\n');
      assert.deepEqual(keys(text, 'markdown'), ['knuth84', 'lamport94']);
      assert.ok(isProse(text, 'markdown', 'A note citing'));
      assert.ok(!isProse(text, 'markdown', 'x <-'));
    });

    it('reads raw LaTeX blocks as LaTeX', () => {
      const text = '```{=latex}\n\\begin{center}As \\citet{knuth84} said % not @this\n\\end{center}\n```\n\nThen [@lamport94].';
      assert.deepEqual(keys(text, 'markdown'), ['knuth84', 'lamport94']);
    });

    it('does not read heading attributes as prose', () => {
      const text = '# Introduction {#sec-intro .unnumbered}\n\nText.';
      assert.ok(!isProse(text, 'markdown', 'sec-intro'));
      assert.ok(isProse(text, 'markdown', 'Introduction'));
    });
  });

  describe('Typst cross-references', () => {
    it('are not citations when the document defines the label', () => {
      const text = '= Introduction <intro>\n#figure(image("a.png"), caption: [Cars]) <fig-cars>\nSee @intro and @fig-cars, as @knuth84 shows #cite(<lamport94>).';
      assert.deepEqual(keys(text, 'typst'), ['knuth84', 'lamport94']);
      assert.deepEqual(keys('See @intro.', 'typst'), ['intro']); // no such label here: it may be a key
    });
  });

  describe('LaTeX macro definitions', () => {
    it('are not citations: no key #1', () => {
      const text = String.raw`\newcommand{\fcite}[1]{\citep{#1}}
\renewcommand*\pcite[2][]{\citep[#1]{#2}}
\providecommand{\x}{\cite{##1}}
\def\tcite#1{\citet{#1}}
\NewDocumentCommand{\ncite}{m}{\citep{#1}}
\DeclareRobustCommand{\rcite}[1]{\cite{#1}}`;
      assert.deepEqual(keys(text, 'latex'), []);
    });

    it('recognise a user-defined wrapper of a cite command as a cite command', () => {
      const text = String.raw`\newcommand{\refer}[1]{\citep{#1}}
\def\see#1{see~\citet{#1}}
\NewDocumentCommand\paper{o m}{\cite[#1]{#2}}
\let\also\citealp
\DeclareCiteCommand{\citejournal}{}{}{}{}
\newcommand{\emphx}[1]{\emph{#1}}
Text \refer{knuth84}, \see{lamport94}, \paper[p. 3]{goossens93}, \also{mittelbach04} and \citejournal{oetiker}; \emphx{notakey}.`;
      assert.deepEqual(keys(text, 'latex'), ['knuth84', 'lamport94', 'goossens93', 'mittelbach04', 'oetiker']);
    });

    it('keeps a citation of fixed keys inside a definition', () => {
      assert.deepEqual(keys(String.raw`\newcommand{\classics}{\cite{knuth84,lamport94}}`, 'latex'), ['knuth84', 'lamport94']);
    });
  });
});
