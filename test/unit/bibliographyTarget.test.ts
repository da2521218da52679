/**
 * Where new BibTeX entries may be written: only inside a workspace folder, in every mode. A
 * `citelens.bibliography.defaultFile` or a bibliography the document names that lies outside (by
 * `../`, an absolute path, `~/`, or a symbolic link in the folder pointing elsewhere) is refused with
 * a message naming the setting or the file; nothing is written.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStore, pathOf, uriOf } from '../../src/server/documents';
import { ProjectService } from '../../src/server/projects';

describe('bibliography target: writes stay inside the workspace folder', () => {
  let base: string;
  let folder: string;
  let outside: string;
  const docs = new Map<string, TextDocument>();
  const store = new DocumentStore({ get: (u) => docs.get(u), all: () => [...docs.values()] });
  const projects = new ProjectService(store, () => [folder]);
  /** A LaTeX document in the folder with `text`, open in the editor. */
  const doc = (name: string, text: string) => {
    const uri = uriOf(join(folder, name));
    docs.set(uri, TextDocument.create(uri, 'latex', 1, text));
    return uri;
  };
  let made = 0;
  /** A new document (the service may remember a document's project for a moment) with `text`. */
  const target = async (defaultFile: string, text = 'No bibliography here.\n') => projects.bibliographyTarget(doc(`paper${++made}.tex`, text), defaultFile);

  before(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'citelens-target-')));
    folder = join(base, 'project');
    outside = join(base, 'elsewhere');
    mkdirSync(folder);
    mkdirSync(outside);
    writeFileSync(join(outside, 'private.bib'), '@misc{mine, title={Mine}}\n');
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('the default references.bib, and any path inside the folder, is written', async () => {
    assert.equal(pathOf((await target('references.bib')).uri!), join(folder, 'references.bib'));
    assert.equal(pathOf((await target('bib/refs.bib')).uri!), join(folder, 'bib/refs.bib'));
    assert.equal(pathOf((await target('sub/../refs.bib')).uri!), join(folder, 'refs.bib'));
    assert.equal(pathOf((await target('..notes/refs.bib')).uri!), join(folder, '..notes/refs.bib'), 'a folder whose name starts with two dots is inside');
  });

  for (const [how, file] of [
    ['../', '../outside.bib'],
    ['an absolute path', '/etc/citelens.bib'],
    ['~/', '~/refs.bib'],
  ] as const) {
    it(`a defaultFile outside the folder by ${how} is refused, naming the setting`, async () => {
      const t = await target(file);
      assert.equal(t.uri, undefined, `no target for ${file}`);
      assert.match(t.refused ?? '', /citelens\.bibliography\.defaultFile/);
      assert.ok(t.refused!.includes(file), t.refused);
    });
  }

  it('a defaultFile through a symbolic link in the folder to a folder elsewhere is refused', async () => {
    symlinkSync(outside, join(folder, 'linked'));
    const t = await target('linked/private.bib');
    assert.equal(t.uri, undefined);
    assert.match(t.refused ?? '', /citelens\.bibliography\.defaultFile/);
    const fresh = await target('linked/new.bib');
    assert.equal(fresh.uri, undefined, 'a file still to be made behind the link is outside too');
  });

  it('a bibliography the document names is written when inside, refused when outside or linked outside', async () => {
    writeFileSync(join(folder, 'refs.bib'), '');
    assert.equal(pathOf((await target('references.bib', '\\bibliography{refs}\n')).uri!), join(folder, 'refs.bib'));
    const up = await target('references.bib', `\\bibliography{../elsewhere/private}\n`);
    assert.equal(up.uri, undefined);
    assert.ok(up.refused?.includes(join(outside, 'private.bib')), up.refused);
    symlinkSync(join(outside, 'private.bib'), join(folder, 'alias.bib'));
    const alias = await target('references.bib', '\\bibliography{alias}\n');
    assert.equal(alias.uri, undefined, 'alias.bib links to a file outside the folder');
    assert.ok(alias.refused?.includes('alias.bib'), alias.refused);
  });

  it('with no folder open, the document\'s own folder bounds the writes', async () => {
    const alone = new ProjectService(store, () => []);
    const uri = doc('alone.tex', 'Text.\n');
    assert.equal(pathOf((await alone.bibliographyTarget(uri, 'references.bib')).uri!), join(folder, 'references.bib'));
    assert.match((await alone.bibliographyTarget(uri, '../x.bib')).refused ?? '', /defaultFile/);
  });
});
