/**
 * The language server on whole projects (copies of test/fixtures/projects): a thesis chapter and a
 * Quarto chapter resolve their keys against the project's bibliography, "cited" means cited in any
 * chapter, Search and Cite from a chapter writes to the project's bibliography, an unsaved entry in
 * an open .bib counts, and a malformed _quarto.yml is one warning naming it.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from './lspClient';

const FIXTURES = join(__dirname, '../../../test/fixtures/projects');
const MEGATRON = 'shoeybiMegatronLMTraining2019';
const MEGATRON_TITLE = 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism';

interface Published {
  version?: number;
  diagnostics: { message: string; severity: number; code?: string; range: { start: { line: number } } }[];
}

describe('the language server on multi-file projects', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  const uriOf = (name: string) => 'file://' + join(dir, name);
  const text = (name: string) => readFileSync(join(dir, name), 'utf8');
  /** The diagnostics published for `uri` at its version `version`. */
  const diagnosticsOf = (uri: string, version: number) => client.until(() => {
    const d = client.diagnostics.get(uri) as Published | undefined;
    return d && d.version === version ? d : undefined;
  }, `diagnostics of ${uri}`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-projects-'));
    cpSync(join(FIXTURES, 'latex-thesis'), join(dir, 'thesis'), { recursive: true });
    cpSync(join(FIXTURES, 'quarto-book'), join(dir, 'book'), { recursive: true });
    client = new LspClient();
    await client.initialize(dir);
  });
  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a chapter the root includes: its keys resolve against the bibliography of the \\input preamble', async () => {
    const name = 'thesis/chapters/background.tex';
    const uri = uriOf(name);
    // one citation of a paper only the built-in corpus has: BibTeX would not find it
    client.open(uri, 'latex', text(name) + `Training at scale \\cite{${MEGATRON}}.\n`);
    const published = await diagnosticsOf(uri, 1);
    const warnings = published.diagnostics.filter((d) => d.severity <= 2).map((d) => d.message);
    assert.deepEqual(warnings, [`'${MEGATRON}' is in the built-in corpus but not in references.bib.`]);
  });

  it('a % !TEX root chapter: no false warnings; cited in another chapter is cited', async () => {
    const name = 'thesis/chapters/introduction.tex';
    const uri = uriOf(name);
    // background.tex (open, above) cites Megatron-LM: naming it here is not "mentioned but not cited"
    client.open(uri, 'latex', text(name) + `As in ${MEGATRON_TITLE}, models grow.\n`);
    const published = await diagnosticsOf(uri, 1);
    assert.deepEqual(published.diagnostics.map((d) => d.message), []);
  });

  it('Search and Cite from a chapter writes to the project\'s bibliography', async () => {
    const uri = uriOf('thesis/chapters/introduction.tex');
    const plan = await client.request<{ keys: string[]; bibliography?: { uri: string; create: boolean; text?: string } }>('citelens/citePlan', { uri, position: { line: 2, character: 0 }, keys: [MEGATRON] });
    assert.equal(plan.bibliography?.uri, uriOf('thesis/references.bib'));
    assert.equal(plan.bibliography?.create, false);
    assert.match(plan.bibliography?.text ?? '', new RegExp(`@\\w+\\{${MEGATRON},`));
  });

  it('an entry in an unsaved .bib editor counts at once', async () => {
    const bib = 'thesis/references.bib';
    client.open(uriOf(bib), 'bibtex', text(bib));
    client.change(uriOf(bib), text(bib) + '\n@misc{unsavedEntry2024,\n  title = {Not Saved Yet},\n  year = 2024\n}\n');
    const uri = uriOf('thesis/chapters/background.tex');
    client.change(uri, text('thesis/chapters/background.tex') + 'New \\cite{unsavedEntry2024}.\n');
    const published = await client.until(async () => {
      const d = await diagnosticsOf(uri, 2);
      // the .bib's edit is read a moment after the chapter's: wait for the diagnostics that know it
      return d.diagnostics.some((x) => x.message.includes('unsavedEntry2024')) ? undefined : d;
    }, 'diagnostics that read the unsaved entry');
    assert.deepEqual(published.diagnostics.filter((d) => d.severity <= 2), []);
  });

  it('a project copied into the workspace while others are open is found at once', async () => {
    // the workspace was just listed for the chapters above: a folder made since must still be seen
    cpSync(join(FIXTURES, 'latex-thesis'), join(dir, 'copy'), { recursive: true });
    const name = 'copy/chapters/background.tex';
    const uri = uriOf(name);
    client.open(uri, 'latex', text(name) + `Training at scale \\cite{${MEGATRON}}.\n`);
    const warnings = (await diagnosticsOf(uri, 1)).diagnostics.filter((d) => d.severity <= 2).map((d) => d.message);
    assert.deepEqual(warnings, [`'${MEGATRON}' is in the built-in corpus but not in references.bib.`]);
  });

  it('a Quarto chapter resolves against _quarto.yml; a malformed _quarto.yml is one warning naming it', async () => {
    const name = 'book/chapters/intro.qmd';
    const uri = uriOf(name);
    client.open(uri, 'quarto', text(name));
    assert.deepEqual((await diagnosticsOf(uri, 1)).diagnostics.filter((d) => d.severity <= 2), []);
    writeFileSync(join(dir, 'book/_quarto.yml'), 'project:\n  type: book\nbibliography: [references.bib\n');
    client.change(uri, text(name) + '\nMore.\n');
    const published = await diagnosticsOf(uri, 2);
    const warnings = published.diagnostics.filter((d) => d.severity <= 2).map((d) => d.message);
    assert.equal(warnings.filter((m) => /^_quarto\.yml is not valid YAML/.test(m.replace(/^book\//, ''))).length, 1, warnings.join(' | '));
    // the profile's print.bib still counts; references.bib is no longer named
    assert.ok(!warnings.some((m) => m.includes('kaplanScalingLawsNeural2020')), warnings.join(' | '));
    assert.ok(warnings.some((m) => m.includes("'vaswaniAttentionAllYou2017'")), warnings.join(' | '));
  });
});
