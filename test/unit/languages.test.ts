/** The one language table: syntaxes, document languages, file extensions, and package.json kept in step with it. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOCUMENT_GLOB, DOCUMENT_LANGUAGES, EDITOR_LANGUAGES, languageOfExtension, syntaxForLanguage,
} from '../../src/core/citations/languages';
import { repoRoot } from './helpers';

/** The extensions listed between the braces of the document glob. */
function globExtensions(): string[] {
  const m = /^\*\*\/\*\.\{([^{}]+)\}$/.exec(DOCUMENT_GLOB);
  assert.ok(m, `unexpected glob ${DOCUMENT_GLOB}`);
  return m[1].split(',');
}

describe('languages', () => {
  it('reads every document language with a citation syntax, and plain text as plain', () => {
    assert.ok(DOCUMENT_LANGUAGES.size >= 7);
    for (const id of DOCUMENT_LANGUAGES) assert.notEqual(syntaxForLanguage(id), 'plain', id);
    assert.equal(syntaxForLanguage('plaintext'), 'plain');
    assert.equal(syntaxForLanguage('TyPsT'), 'typst');
    // Neovim's plain-TeX filetype (the README's nvim-lspconfig filetypes): read as LaTeX, no activation
    assert.equal(syntaxForLanguage('plaintex'), 'latex');
    assert.ok(!DOCUMENT_LANGUAGES.has('plaintex'));
    assert.equal(syntaxForLanguage(42 as unknown as string), 'plain');
  });

  it('serves every document language in the editor, and plain text without treating it as a document', () => {
    for (const id of DOCUMENT_LANGUAGES) assert.ok(EDITOR_LANGUAGES.has(id), id);
    assert.ok(EDITOR_LANGUAGES.has('plaintext'));
    assert.ok(!DOCUMENT_LANGUAGES.has('plaintext'));
    assert.ok(!EDITOR_LANGUAGES.has('bibtex'));
  });

  it('knows the language of document files on disk, in any case', () => {
    assert.equal(languageOfExtension('tex'), 'latex');
    assert.equal(languageOfExtension('TEX'), 'latex');
    assert.equal(languageOfExtension('ltx'), 'latex');
    assert.equal(languageOfExtension('md'), 'markdown');
    assert.equal(languageOfExtension('qmd'), 'quarto');
    assert.equal(languageOfExtension('Rmd'), 'rmd');
    assert.equal(languageOfExtension('typ'), 'typst');
    for (const ext of ['bib', 'txt', 'json', '', 'constructor', '__proto__']) assert.equal(languageOfExtension(ext), undefined, ext);
    assert.equal(languageOfExtension(undefined as unknown as string), undefined);
  });

  it('searches the workspace for exactly the files of document languages', () => {
    const exts = globExtensions();
    for (const ext of ['tex', 'ltx', 'md', 'markdown', 'qmd', 'rmd', 'Rmd', 'typ']) assert.ok(exts.includes(ext), ext);
    for (const ext of exts) {
      const id = languageOfExtension(ext);
      assert.ok(id && DOCUMENT_LANGUAGES.has(id), ext);
    }
    assert.equal(new Set(exts).size, exts.length);
  });
});

/** package.json cannot import the table, so it is read here and held to it. */
describe('package.json and the language table', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

  /** Every `when` clause in package.json that names languages, with where it sits. */
  function languageClauses(node: unknown, path: string, out: { path: string; when: string }[] = []): { path: string; when: string }[] {
    if (Array.isArray(node)) node.forEach((v, i) => languageClauses(v, `${path}[${i}]`, out));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'when' && typeof v === 'string' && /LangId/.test(v)) out.push({ path, when: v });
        else languageClauses(v, `${path}.${k}`, out);
      }
    }
    return out;
  }

  /** The languages of `editorLangId =~ /^(a|b)$/`; fails on any other form, which this test could not check. */
  function clauseLanguages(when: string): string[] {
    const m = /\beditorLangId =~ \/\^\(([\w|-]+)\)\$\//.exec(when);
    assert.ok(m, `write language clauses as editorLangId =~ /^(a|b)$/: ${when}`);
    return m[1].split('|');
  }

  const sorted = (ids: Iterable<string>) => [...ids].sort();

  it('activates for every document language and no other', () => {
    const events: string[] = pkg.activationEvents.filter((e: string) => e.startsWith('onLanguage:')).map((e: string) => e.slice('onLanguage:'.length));
    assert.deepEqual(sorted(events), sorted(DOCUMENT_LANGUAGES));
  });

  it('offers the commands in every served editor and binds keys in documents only', () => {
    const clauses = languageClauses(pkg.contributes, 'contributes');
    assert.ok(clauses.length >= 4);
    for (const { path, when } of clauses) {
      const ids = sorted(clauseLanguages(when));
      const expected = path.startsWith('contributes.keybindings') ? DOCUMENT_LANGUAGES : EDITOR_LANGUAGES;
      assert.deepEqual(ids, sorted(expected), `${path}: ${when}`);
    }
  });
});
