/**
 * The language server's bibliography writes, over stdio: a Latin-1 `.bib` gets Latin-1 bytes with
 * every earlier byte kept; a CSL-JSON id BibTeX cannot read is cited and written under a valid
 * key; rename finds an entry moved far from where it was read, and refuses when it is gone.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from './lspClient';
import { entryKeyOffset } from '../../src/server/features/navigation';

const ZOTERO_ID = 'http://zotero.org/users/1/items/AB CD';
const MOVED_BIB = '@article{tide2020,\n  title = {Tides},\n  year = 2020\n}\n';
const LATIN1_BIB = Buffer.from('% Literatur\r\n@book{muller1990,\r\n  author = {J\u00f6rg M\u00fcller},\r\n  title = {\u00dcber Stra\u00dfen}\r\n}', 'latin1');

interface Plan {
  keys: string[];
  edit?: { newText: string };
  bibliography?: { uri: string; text?: string; bytes?: string; expectedSize?: number; added: string[] };
  refused?: string;
}

describe('the language server writes bibliographies without damage', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  const uriOf = (name: string) => 'file://' + join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-writes-'));
    writeFileSync(join(dir, 'zotero.json'), JSON.stringify([{ id: ZOTERO_ID, type: 'article-journal', title: 'Tide Pools and Their Keepers', author: [{ literal: 'Google, Inc.' }, { family: 'Nowak', given: 'Pawe\u0142' }], issued: { 'date-parts': [[2021]] } }]));
    writeFileSync(join(dir, 'latin.bib'), LATIN1_BIB);
    client = new LspClient();
    writeFileSync(join(dir, 'moved.bib'), MOVED_BIB);
    client.settings = { libraries: ['zotero.json', 'latin.bib', 'moved.bib'], builtinCorpus: { enabled: false } };
    await client.initialize(dir);
  });
  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cites a CSL-JSON id under a valid key and appends Latin-1 bytes to a Latin-1 .bib, keeping every byte', async () => {
    const uri = uriOf('paper.tex');
    const text = 'Tides.\n\\bibliography{latin}\n';
    client.open(uri, 'latex', text);
    const plan = await client.until(async () => {
      const p = await client.request<Plan>('citelens/citePlan', { uri, position: { line: 0, character: 5 }, keys: [ZOTERO_ID] });
      return p.bibliography ? p : undefined;
    }, 'a cite plan with a bibliography edit');
    assert.deepEqual(plan.keys, ['googleTidePoolsTheir2021'], 'the Better BibTeX key (the corporate author folded)');
    assert.match(plan.edit!.newText, /\\cite\{googleTidePoolsTheir2021\}/);
    const bib = plan.bibliography!;
    assert.equal(bib.uri, uriOf('latin.bib'));
    assert.equal(bib.text, undefined, 'no text edit: an editor would decode the Latin-1 file');
    assert.equal(bib.expectedSize, LATIN1_BIB.length);
    const appended = Buffer.from(bib.bytes!, 'base64');
    const entry = appended.toString('latin1');
    assert.match(entry, /^\r\n\r\n@article\{googleTidePoolsTheir2021,\r\n/);
    assert.match(entry, /author = \{\{Google, Inc\.\} and Pawe\{\\l\} Nowak\}/);
    assert.ok(appended.every((b) => b < 0x80 || b >= 0xa0), 'Latin-1 bytes, no UTF-8 sequences');
  });

  it('completes an id BibTeX cannot read as the key its entry will be written under', async () => {
    const uri = uriOf('complete.tex');
    const text = 'See \\cite{tide}.\n\\bibliography{latin}\n';
    client.open(uri, 'latex', text);
    type Item = { label: string; textEdit: { newText: string }; command: { arguments: unknown[] } };
    const list = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('tide') + 4 } });
    const item = list.items.find((i) => i.label === ZOTERO_ID);
    assert.ok(item, JSON.stringify(list.items.map((i) => i.label)));
    assert.equal(item.textEdit.newText, 'googleTidePoolsTheir2021');
    const plan = await client.request<Plan>('citelens/citePlan', { uri, position: { line: 0, character: 0 }, keys: [ZOTERO_ID], bibliographyOnly: true });
    assert.deepEqual(plan.bibliography?.added, ['googleTidePoolsTheir2021'], 'the entry the completion typed');
  });

  it('renames a key whose entry moved far from where it was read, in the editor\'s text, inserting nothing', async () => {
    const uri = uriOf('rename.tex');
    const text = 'See \\cite{tide2020}.\n';
    client.open(uri, 'latex', text);
    const pos = { line: 0, character: text.indexOf('tide2020') + 2 };
    await client.until(async () => (await client.request<unknown>('textDocument/definition', { textDocument: { uri }, position: pos })) ?? undefined, 'moved.bib read');
    // unsaved edits in the .bib's editor move the entry 300 lines down (the file on disk has it on line 1)
    const bibUri = uriOf('moved.bib');
    const filler = Array.from({ length: 300 }, (_, i) => `% note ${i}`).join('\n') + '\n';
    client.open(bibUri, 'bibtex', filler + MOVED_BIB);
    type Edit = { changes: Record<string, { newText: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[]> };
    const edit = await client.request<Edit>('textDocument/rename', { textDocument: { uri }, position: pos, newName: 'tidesOfMarch2020' });
    assert.deepEqual(edit.changes[bibUri], [{ newText: 'tidesOfMarch2020', range: { start: { line: 300, character: 9 }, end: { line: 300, character: 17 } } }], 'one replacement of the key where it is now');
    assert.equal(edit.changes[uri].length, 1);
    assert.equal(readFileSync(join(dir, 'moved.bib'), 'utf8'), MOVED_BIB, 'the file on disk untouched');
  });
});

describe('finding an entry key for rename (entryKeyOffset)', () => {
  const entry = (key: string) => `@article{${key},\n  title = {T}\n}\n`;
  it('finds the key wherever the entry now is, however far from the line it was read on', () => {
    const text = '% x\n'.repeat(5000) + entry('far2020');
    assert.equal(entryKeyOffset(text, 'far2020', 0), text.indexOf('far2020'));
    assert.equal(entryKeyOffset(text, 'far2020', 1_000_000), text.indexOf('far2020'));
  });
  it('of two entries with the key, takes the one nearest the line it was read on', () => {
    const text = entry('dup') + '% x\n'.repeat(100) + entry('dup');
    assert.equal(entryKeyOffset(text, 'dup', 0), text.indexOf('dup'));
    assert.equal(entryKeyOffset(text, 'dup', 100), text.lastIndexOf('dup'));
  });
  it('finds nothing (rename refuses) when no entry has the key: a longer key, a macro, a comment', () => {
    assert.equal(entryKeyOffset(entry('tide2020x'), 'tide2020', 0), -1);
    assert.equal(entryKeyOffset('@string{tide2020 = {x}}\n@comment{tide2020}\n', 'tide2020', 0), -1);
    assert.equal(entryKeyOffset('', 'tide2020', 0), -1);
    assert.equal(entryKeyOffset('@misc{ tide2020 ,\n}', 'tide2020', 0), 7);
  });
});
