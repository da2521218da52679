/** The CLI's library: the built-in corpus and the files named on the command line or by a document. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { languageOfExtension, syntaxForLanguage } from '../core/citations/languages';
import { corpusPapers, CorpusPaper } from '../core/sources/corpus';
import { Library } from '../core/library/library';
import { BUILTIN_SOURCE, SourceResult } from '../core/model/paper';
import { segmentFromBytes } from '../core/search/segmentBytes';
import { decodeText } from '../core/sources/decodeText';
import { formatOf, looksBinary, readLibraryFile } from '../core/sources/readLibraryFile';
import { Args } from './args';

/** Where corpus/ lives: next to dist/ in the package, or the repo root when run from out/. */
function corpusDir(): string {
  for (const c of [join(__dirname, '../corpus'), join(__dirname, '../../corpus'), resolve('corpus')]) if (existsSync(join(c, 'papers.json'))) return c;
  throw new Error('cannot find the built-in corpus (corpus/papers.json)');
}

/** A file named on the command line that cannot be used (missing, unreadable, a folder, binary): exit 2. */
export class InputError extends Error {}

/**
 * The bytes of a file the command line names, or an InputError naming the path: a command never
 * goes on as if a file it was given were empty.
 */
export function readInput(path: string, what = 'file'): Uint8Array {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${what} ${path} is a directory, not a file`);
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (e as Error).message})`;
    throw new InputError(`${what} ${path} ${why}`);
  }
  if (looksBinary(bytes)) throw new InputError(`${what} ${path} is a binary file, not text`);
  return bytes;
}

/** Options of {@link loadLibrary}. */
export interface LoadOptions {
  /**
   * Build the search index of each source (the default). `related` needs none: it builds its
   * own index, and skipping the search index halves the load of a 100k-entry library.
   */
  searchIndex?: boolean;
  /** Where notes about skipped files go (default: standard error). */
  note?: (message: string) => void;
}

/**
 * The library files a `--bib` value names: the file itself, or every library file under a
 * folder (nested folders too, in name order). Other files in a folder are skipped with a note; a
 * folder without any library file is an InputError.
 */
export function libraryFilesOf(path: string, note: (message: string) => void = (m) => process.stderr.write(m + '\n')): string[] {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return [path]; // reported as unusable by readInput
  }
  if (!isDir) return [path];
  const files: string[] = [];
  const skipped: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (formatOf(p)) files.push(p);
      else skipped.push(p);
    }
  };
  walk(path);
  if (skipped.length) note(`citelens: skipped ${skipped.length} file(s) under ${path} that are not library files (.bib, .json, .txt): ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}`);
  if (files.length === 0) throw new InputError(`no library files (.bib, .json, .txt) under the folder ${path}`);
  return files;
}

/**
 * The built-in corpus (unless --no-builtin), the `--bib` files (a folder: every library file under
 * it) and `extraBibs` (the bibliographies a document names). A `--bib` file that cannot be read is an
 * InputError; a document's bibliography that cannot be read is reported as a problem of that file.
 */
export function loadLibrary(args: Args, extraBibs: string[] = [], options: LoadOptions = {}): { library: Library; results: SourceResult[] } {
  const given = args.bibs.flatMap((b) => libraryFilesOf(b, options.note));
  for (const bib of given) {
    if (!formatOf(bib)) throw new InputError(`library file ${bib} is not a library (expected .bib, CSL-JSON .json or a .txt page listing)`);
  }
  const install = (r: SourceResult) => (options.searchIndex === false ? library.setSourcePending(r) : library.setSource(r));
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
  const named = new Set(given);
  // read one file at a time: a folder of 900 exports is never all in memory as bytes at once
  for (const bib of new Set([...given, ...extraBibs])) {
    let bytes: Uint8Array;
    if (named.has(bib)) bytes = readInput(bib, 'library file');
    else {
      try {
        bytes = readFileSync(bib);
      } catch (e) {
        const message = `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        results.push({ source: bib, papers: [], diagnostics: [{ source: bib, line: 1, column: 1, severity: 'error', message }] });
        continue;
      }
    }
    const r = readLibraryFile(bib, bytes, macros);
    if (r.macros) macros = new Map([...macros, ...r.macros]);
    results.push(r);
    install(r);
  }
  return { library, results };
}

export type Syntax = ReturnType<typeof syntaxForLanguage>;

export function readDoc(file: string): { text: string; syntax: Syntax } {
  const text = decodeText(readInput(file)).text;
  const lang = languageOfExtension(file.slice(file.lastIndexOf('.') + 1)) ?? 'plaintext';
  return { text, syntax: syntaxForLanguage(lang) };
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
