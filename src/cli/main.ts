#!/usr/bin/env node
/**
 * The headless Citelens CLI, sharing the extension's core:
 *   citelens library  [--bib FILE]... [--no-builtin] [--json]
 *   citelens search   <query> [--bib FILE]... [--limit N] [--no-builtin] [--json]
 *   citelens check    FILE... [--bib FILE]... [--no-builtin]
 *   citelens mentions FILE... [--bib FILE]... [--no-builtin] [--json]
 *   citelens related  [--text "…" | --file FILE [--line N]] [--bib FILE]... [--limit N] [--no-builtin] [--json]
 * Exit codes: 0 ok, 1 `check` found unknown keys, 2 usage or I/O error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findCitations } from '../core/citations/documentLexer';
import { syntaxForLanguage } from '../core/citations/languages';
import { corpusPapers, CorpusPaper } from '../core/sources/corpus';
import { documentBibliographies } from '../core/citations/documentBibliography';
import { Library } from '../core/library/library';
import { MentionMatcher } from '../core/analysis/mentions';
import { BUILTIN_SOURCE, SourceResult } from '../core/model/paper';
import { RelatednessEngine } from '../core/analysis/related';
import { segmentFromBytes } from '../core/search/termIndex';
import { readLibraryFile } from '../core/sources/readLibraryFile';

interface Args {
  command: string;
  positional: string[];
  bibs: string[];
  json: boolean;
  builtin: boolean;
  limit?: number;
  text?: string;
  file?: string;
  line?: number;
}

class UsageError extends Error {}

const USAGE = `usage:
  citelens library  [--bib FILE]... [--no-builtin] [--json]
  citelens search   <query> [--bib FILE]... [--limit N] [--no-builtin] [--json]
  citelens check    FILE... [--bib FILE]... [--no-builtin]
  citelens mentions FILE... [--bib FILE]... [--no-builtin] [--json]
  citelens related  [--text "..." | --file FILE [--line N]] [--bib FILE]... [--limit N] [--no-builtin] [--json]`;

function parseArgs(argv: string[]): Args {
  const a: Args = { command: argv[0] ?? '', positional: [], bibs: [], json: false, builtin: true };
  for (let i = 1; i < argv.length; i++) {
    const x = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${x} needs a value`);
      return v;
    };
    const int = () => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`${x} needs a positive whole number`);
      return v;
    };
    if (x === '--bib') a.bibs.push(value());
    else if (x === '--json') a.json = true;
    else if (x === '--no-builtin') a.builtin = false;
    else if (x === '--limit') a.limit = int();
    else if (x === '--text') a.text = value();
    else if (x === '--file') a.file = value();
    else if (x === '--line') a.line = int();
    else if (x === '--help' || x === '-h') throw new UsageError('');
    else if (x.startsWith('--')) throw new UsageError(`unknown option ${x}`);
    else a.positional.push(x);
  }
  return a;
}

/** Where corpus/ lives: next to dist/ in the package, or the repo root when run from out/. */
function corpusDir(): string {
  for (const c of [join(__dirname, '../corpus'), join(__dirname, '../../corpus'), resolve('corpus')]) if (existsSync(join(c, 'papers.json'))) return c;
  throw new Error('cannot find the built-in corpus (corpus/papers.json)');
}

function loadLibrary(args: Args, extraBibs: string[] = []): { library: Library; results: SourceResult[] } {
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

function readDoc(file: string): { text: string; syntax: ReturnType<typeof syntaxForLanguage> } {
  const text = readFileSync(file, 'utf8');
  const ext = file.toLowerCase().split('.').pop() ?? '';
  const lang = ({ tex: 'latex', ltx: 'latex', md: 'markdown', markdown: 'markdown', qmd: 'quarto', rmd: 'rmd', typ: 'typst' } as Record<string, string>)[ext] ?? 'plaintext';
  return { text, syntax: syntaxForLanguage(lang) };
}

/** Bibliographies a document names, resolved next to it, that exist. */
function namedBibs(file: string, text: string, syntax: ReturnType<typeof syntaxForLanguage>): string[] {
  return documentBibliographies(text, syntax)
    .map((r) => resolve(dirname(file), r.path))
    .filter((p) => existsSync(p));
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

function print(value: unknown, json: boolean, human: () => string): void {
  process.stdout.write((json ? JSON.stringify(value, null, 2) : human()) + '\n');
}

function run(argv: string[]): number {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'library': {
      const { results } = loadLibrary(args);
      const out = results.map((r) => ({ source: r.source, entries: r.papers.length, diagnostics: r.diagnostics.map((d) => ({ line: d.line, column: d.column, message: d.message })) }));
      print(out, args.json, () =>
        out
          .map((s) => `${s.source}: ${s.entries} entries, ${s.diagnostics.length} problems` + s.diagnostics.map((d) => `\n  ${s.source}:${d.line}:${d.column}: ${d.message}`).join(''))
          .join('\n'),
      );
      return 0;
    }
    case 'search': {
      const query = args.positional.join(' ');
      if (!query.trim()) throw new UsageError('search needs a query');
      const { library } = loadLibrary(args);
      const hits = library.search(query, args.limit ?? 10);
      const out = hits.map((h) => ({ key: h.paper.key, title: h.paper.title, authors: h.paper.authors, year: h.paper.year ?? null, score: Math.round(h.score * 1000) / 1000 }));
      print(out, args.json, () => out.map((h) => `${h.key}\t${h.year ?? ''}\t${h.title}`).join('\n'));
      return 0;
    }
    case 'check': {
      if (!args.positional.length) throw new UsageError('check needs at least one FILE');
      let unknown = 0;
      for (const file of args.positional) {
        const { text, syntax } = readDoc(file);
        const { library } = loadLibrary(args, namedBibs(file, text, syntax));
        for (const c of findCitations(text, syntax)) {
          if (library.has(c.key)) continue;
          unknown++;
          const { line, column } = lineCol(text, c.start);
          process.stdout.write(`${file}:${line}:${column}: unknown citation key '${c.key}'\n`);
        }
      }
      return unknown ? 1 : 0;
    }
    case 'mentions': {
      if (!args.positional.length) throw new UsageError('mentions needs at least one FILE');
      const out: unknown[] = [];
      for (const file of args.positional) {
        const { text, syntax } = readDoc(file);
        const { library } = loadLibrary(args, namedBibs(file, text, syntax));
        const cited = new Set(findCitations(text, syntax).map((c) => library.get(c.key)?.key ?? c.key));
        for (const m of new MentionMatcher(library.papers()).scan(text, syntax)) {
          const s = lineCol(text, m.start);
          const e = lineCol(text, m.end);
          out.push({ file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, kind: m.kind, key: m.key, cited: m.kind === 'key' || cited.has(m.key) });
        }
      }
      print(out, args.json, () =>
        (out as { file: string; line: number; column: number; kind: string; key: string; cited: boolean }[])
          .map((m) => `${m.file}:${m.line}:${m.column}: ${m.kind} ${m.key}${m.cited ? '' : ' (not cited)'}`)
          .join('\n'),
      );
      return 0;
    }
    case 'related': {
      let passage = args.text;
      let syntax: ReturnType<typeof syntaxForLanguage> = 'plain';
      let extra: string[] = [];
      if (passage === undefined) {
        if (!args.file) throw new UsageError('related needs --text or --file');
        const doc = readDoc(args.file);
        syntax = doc.syntax;
        extra = namedBibs(args.file, doc.text, doc.syntax);
        passage = args.line ? paragraphAt(doc.text, args.line) : doc.text;
      }
      const { library } = loadLibrary(args, extra);
      const engine = new RelatednessEngine(library.papers());
      const out = engine
        .suggest(passage, { limit: args.limit ?? 10, syntax: syntax === 'typst' ? 'plain' : syntax })
        .map((s) => ({ key: s.key, title: s.title, score: Math.round(s.score * 1000) / 1000, evidence: s.evidence, cited: s.cited }));
      print(out, args.json, () => out.map((s) => `${s.key}\t${s.score}\t${s.title}\n\t${s.evidence.join(', ')}`).join('\n'));
      return 0;
    }
    default:
      throw new UsageError(args.command ? `unknown command '${args.command}'` : '');
  }
}

/** The paragraph (blank-line separated) containing 1-based `line`. */
export function paragraphAt(text: string, line: number): string {
  const lines = text.split(/\r?\n/);
  const i = Math.min(Math.max(line - 1, 0), lines.length - 1);
  let s = i;
  let e = i;
  while (s > 0 && lines[s - 1].trim()) s--;
  while (e < lines.length - 1 && lines[e + 1].trim()) e++;
  return lines.slice(s, e + 1).join('\n');
}

if (require.main === module) {
  try {
    process.exitCode = run(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`citelens: ${e.message}\n`);
      process.stderr.write(USAGE + '\n');
    } else process.stderr.write(`citelens: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
