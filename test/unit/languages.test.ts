/** The one language table: syntaxes, document languages, file extensions, and package.json kept in step with it. */
import * as assert from 'node:assert/strict';
import {
  DOCUMENT_GLOB, DOCUMENT_LANGUAGES, EDITOR_LANGUAGES, languageOfExtension, syntaxForLanguage,
} from '../../src/core/citations/languages';

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
