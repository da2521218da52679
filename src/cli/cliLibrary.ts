/** The CLI's library: the built-in corpus and the files named on the command line or by a document. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { syntaxForLanguage } from '../core/citations/languages';
import { corpusPapers, CorpusPaper } from '../core/sources/corpus';
import { documentBibliographies } from '../core/citations/documentBibliography';
import { Library } from '../core/library/library';
import { BUILTIN_SOURCE, SourceResult } from '../core/model/paper';
import { segmentFromBytes } from '../core/search/segmentBytes';
import { readLibraryFile } from '../core/sources/readLibraryFile';
import { Args } from './args';

/** Where corpus/ lives: next to dist/ in the package, or the repo root when run from out/. */
function corpusDir(): string {
  for (const c of [join(__dirname, '../corpus'), join(__dirname, '../../corpus'), resolve('corpus')]) if (existsSync(join(c, 'papers.json'))) return c;
  throw new Error('cannot find the built-in corpus (corpus/papers.json)');
}

export function loadLibrary(args: Args, extraBibs: string[] = []): { library: Library; results: SourceResult[] } {
  const library = new Library();
  const results: SourceResult[] = [];
  if (args.builtin) {
    const papers = corpusPapers(JSON.parse(readFileSync(join(corpusDir(), 'papers.json'), 'utf8')) as CorpusPaper[]);
    const indexFile = join(__dirname, 'corpusIndex.bin');
    const segment = existsSync(indexFile) ? segmentFromBytes(readFileSync(indexFile)) : undefined;
    library.setSource({ source: BUILTIN_SOURCE, papers, diagnostics: [], segment });
    results.push({ source: BUILTIN_SOURCE, papers, diagnostics: [] });
  }
  let macros = new Map<string, string>();
  for (const bib of [...new Set([...args.bibs, ...extraBibs])]) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(bib);
    } catch (e) {
      const message = `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      results.push({ source: bib, papers: [], diagnostics: [{ source: bib, line: 1, column: 1, severity: 'error', message }] });
      continue;
    }
    const r = readLibraryFile(bib, bytes, macros);
    if (r.macros) macros = new Map([...macros, ...r.macros]);
    results.push(r);
    library.setSource(r);
  }
  return { library, results };
}

export type Syntax = ReturnType<typeof syntaxForLanguage>;

export function readDoc(file: string): { text: string; syntax: Syntax } {
  const text = readFileSync(file, 'utf8');
  const ext = file.toLowerCase().split('.').pop() ?? '';
  const lang = ({ tex: 'latex', ltx: 'latex', md: 'markdown', markdown: 'markdown', qmd: 'quarto', rmd: 'rmd', typ: 'typst' } as Record<string, string>)[ext] ?? 'plaintext';
  return { text, syntax: syntaxForLanguage(lang) };
}

/** Bibliographies a document names, resolved next to it, that exist. */
export function namedBibs(file: string, text: string, syntax: Syntax): string[] {
  return documentBibliographies(text, syntax)
    .map((r) => resolve(dirname(file), r.path))
    .filter((p) => existsSync(p));
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

export function print(value: unknown, json: boolean, human: () => string): void {
  process.stdout.write((json ? JSON.stringify(value, null, 2) : human()) + '\n');
}
