/**
 * The project of a LaTeX document. Its root is the file a `% !TEX root` comment names, else the main
 * file of a `subfiles` document, else the document itself when it has `\documentclass`, else a file
 * of the workspace that includes it (through `\input`, `\include`, `\subfile`, `\import`,
 * `\subimport`), else the document. The bibliographies are every `\bibliography` / `\addbibresource`
 * in the files the root includes, preambles too. Included files resolve the way TeX finds them:
 * from the root's folder (where TeX runs), else the including file's; `\import` and `\subimport`
 * change the folder, as the `import` package does. Cycles, missing files and deep trees are
 * reported, never followed forever.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { expandPath, LatexInclude, LatexSource, readLatexSource } from './latexSources';
import { Project, ProjectBibliography, ProjectHost, ProjectOptions, ProjectProblem, candidates, firstFile, folderOf } from './projectHost';


/** Included files deeper than this are not followed (TeX's own limit on open files is 15). */
const MAX_DEPTH = 40;
/** A project never has more files than this. */
const MAX_FILES = 2000;
/** At most this many LaTeX files of the workspace are read to find a document's root. */
const MAX_SCAN = 3000;
/** At most this many folders are listed to find a document's root. */
const MAX_SCAN_DIRS = 1000;
/** Folders a root is never looked for in. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', '_minted', '__pycache__', '.venv', 'venv']);

/** Reads and parses LaTeX files once per `findProject` call. */
class Sources {
  private readonly cache = new Map<string, Promise<LatexSource | undefined>>();
  constructor(readonly host: ProjectHost) {}
  get(path: string): Promise<LatexSource | undefined> {
    let s = this.cache.get(path);
    if (!s) this.cache.set(path, (s = this.host.readText(path).then((t) => (t === undefined ? undefined : readLatexSource(t)))));
    return s;
  }
}

/** The file `\input{name}` means: `name`, else `name.tex`, from each folder in turn. */
async function resolveTex(host: ProjectHost, name: string, bases: readonly string[], always: boolean): Promise<string | undefined> {
  const tries: string[] = [];
  for (const c of candidates(name, bases)) {
    // `\include` always adds .tex; `\input` adds it when the name has no extension
    if (always) tries.push(c.endsWith('.tex') ? c : c + '.tex');
    else if (extname(c)) tries.push(c, c + '.tex');
    else tries.push(c + '.tex', c);
  }
  return firstFile(host, tries);
}

/** Sources that tools turn into the .tex a root includes (Pandoc, knitr): the .tex may not exist yet. */
const GENERATED_FROM = ['.md', '.Rmd', '.rmd', '.qmd', '.Rnw', '.rnw'];

/** The source a missing included .tex is made from, if one is there. */
async function generatingSource(host: ProjectHost, name: string, bases: readonly string[]): Promise<string | undefined> {
  const stem = name.replace(/\.tex$/i, '');
  return firstFile(host, candidates(stem, bases).flatMap((c) => GENERATED_FROM.map((e) => c + e)));
}

/** An include's file and folder with macros expanded; undefined when TeX alone could expand them. */
function expandInclude(inc: LatexInclude, macros: ReadonlyMap<string, string>): { file: string; dir: string } | undefined {
  const file = expandPath(inc.file, macros);
  const dir = inc.dir ? expandPath(inc.dir, macros) : '';
  return file !== undefined && dir !== undefined ? { file, dir } : undefined;
}

/** The macros a path may use in a project whose root is `root`: `\jobname` is the root's name. */
function rootMacros(root: string): Map<string, string> {
  return new Map([['jobname', basename(root).replace(/\.[^.]*$/, '')]]);
}

interface Walk {
  files: string[];
  bibliographies: ProjectBibliography[];
  problems: ProjectProblem[];
}

/** Every file `root` includes, and every bibliography they name. */
async function walkTree(sources: Sources, root: string, show: (p: string) => string): Promise<Walk> {
  const host = sources.host;
  const rootDir = dirname(root);
  const out: Walk = { files: [], bibliographies: [], problems: [] };
  const seen = new Set<string>();
  const bibSeen = new Set<string>();
  const macros = rootMacros(root);
  const visit = async (file: string, base: string, path: string[]): Promise<void> => {
    if (out.files.length >= MAX_FILES) return;
    seen.add(file);
    out.files.push(file);
    const src = await sources.get(file);
    if (!src) return;
    for (const [k, v] of src.macros) if (!macros.has(k)) macros.set(k, v);
    for (const b of src.bibliographies) {
      let name = expandPath(b.file, macros);
      if (name === undefined) continue;
      if (b.bibtex && !/\.bib$/i.test(name)) name += '.bib';
      const tries = candidates(name, [rootDir, base, dirname(file)]);
      const found = (await firstFile(host, tries)) ?? tries[0];
      if (bibSeen.has(found)) continue;
      bibSeen.add(found);
      const kind = await host.kind(found);
      if (kind === 'directory') {
        out.problems.push({ file, line: b.line, message: `${show(file)} names the bibliography ${name}, but ${show(found)} is a folder, not a file.` });
        continue;
      }
      if (kind === 'missing') out.problems.push({ file, line: b.line, message: `${show(file)} names the bibliography ${name}, but ${show(found)} does not exist.` });
      out.bibliographies.push({ path: found, namedBy: file, exists: kind === 'file' });
    }
    for (const inc of src.includes) {
      const expanded = expandInclude(inc, macros);
      if (!expanded) continue;
      let childBase = base;
      let bases: string[];
      if (inc.kind === 'import') {
        childBase = resolve(base, expanded.dir);
        bases = [childBase];
      } else if (inc.kind === 'subimport') {
        childBase = resolve(dirname(file), expanded.dir);
        bases = [childBase];
      } else bases = [base, rootDir, dirname(file)];
      const child = await resolveTex(host, expanded.file, bases, inc.kind === 'include');
      if (!child) {
        // a chapter written in Markdown (or knitr) that the build turns into this .tex: it is the project's
        const generator = await generatingSource(host, expanded.file, bases);
        if (generator) {
          if (!seen.has(generator)) out.files.push(generator);
          seen.add(generator);
          continue;
        }
        const shownName = expanded.dir ? join(expanded.dir, expanded.file) : expanded.file;
        out.problems.push({ file, line: inc.line, message: `${show(file)} includes ${shownName}, which does not exist.` });
        continue;
      }
      if (path.includes(child)) {
        const cycle = [...path.slice(path.indexOf(child)), file, child].map(show).join(' → ');
        out.problems.push({ file, line: inc.line, message: `\\input cycle: ${cycle}. Citelens reads each file once.` });
        continue;
      }
      if (seen.has(child)) continue;
      if (path.length >= MAX_DEPTH) {
        out.problems.push({ file, line: inc.line, message: `${show(file)} includes files more than ${MAX_DEPTH} levels deep; Citelens stops there.` });
        continue;
      }
      await visit(child, childBase, [...path, file]);
    }
  };
  await visit(root, rootDir, []);
  return out;
}

/** The LaTeX files under `top` (skipping hidden and tool folders), at most `MAX_SCAN`. */
async function latexFilesUnder(host: ProjectHost, top: string): Promise<string[]> {
  const out: string[] = [];
  const queue = [top];
  let listed = 0;
  while (queue.length && out.length < MAX_SCAN && listed++ < MAX_SCAN_DIRS) {
    const dir = queue.shift()!;
    for (const name of (await host.list(dir)).sort()) {
      if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
      const p = join(dir, name);
      if (/\.(tex|ltx)$/i.test(name)) out.push(p);
      else if (!/\.[A-Za-z0-9]{1,8}$/.test(name) && (await host.kind(p)) === 'directory') queue.push(p);
    }
  }
  return out;
}

/** The workspace file that includes `doc` (directly or not), preferring one with `\documentclass` near it. */
async function includingRoot(sources: Sources, doc: string, top: string): Promise<string | undefined> {
  const host = sources.host;
  const files = await latexFilesUnder(host, top);
  const parents = new Map<string, Set<string>>();
  for (const f of files) {
    if (f === doc) continue;
    const src = await sources.get(f);
    const macros = new Map([...rootMacros(f), ...(src?.macros ?? [])]);
    for (const inc of src?.includes ?? []) {
      const e = expandInclude(inc, macros);
      if (!e) continue;
      const bases = inc.kind === 'import' ? [resolve(dirname(f), e.dir), resolve(top, e.dir)] : inc.kind === 'subimport' ? [resolve(dirname(f), e.dir)] : [dirname(f), top];
      const child = (await resolveTex(host, e.file, bases, inc.kind === 'include')) ?? (await generatingSource(host, e.file, bases));
      if (child && child !== f) (parents.get(child) ?? parents.set(child, new Set()).get(child)!).add(f);
    }
  }
  // everything that reaches doc, nearest first
  const reach: string[] = [];
  const seen = new Set([doc]);
  let frontier = [doc];
  while (frontier.length) {
    const next: string[] = [];
    for (const f of frontier) for (const p of parents.get(f) ?? []) if (!seen.has(p)) {
      seen.add(p);
      reach.push(p);
      next.push(p);
    }
    frontier = next;
  }
  if (!reach.length) return undefined;
  const roots: string[] = [];
  for (const r of reach) if ((await sources.get(r))?.isRoot) roots.push(r);
  if (roots.length) return roots[0];
  // no file that reaches it is compiled itself: the topmost one
  return reach.find((r) => !parents.get(r)?.size) ?? reach[reach.length - 1];
}

/** Follows `% !TEX root` and `subfiles` main files from `doc`; a name that is not a file is reported. */
async function namedRoot(sources: Sources, doc: string, show: (p: string) => string, problems: ProjectProblem[]): Promise<string | undefined> {
  let current = doc;
  const visited = new Set([doc]);
  for (let i = 0; i < 10; i++) {
    const src = await sources.get(current);
    const named = src?.magicRoot ?? src?.subfilesMain;
    if (!named) return current === doc ? undefined : current;
    const what = src?.magicRoot ? '% !TEX root' : '\\documentclass[…]{subfiles}';
    const target = await resolveTex(sources.host, named.file, [dirname(current)], false);
    if (!target) {
      problems.push({ file: current, line: named.line, message: `${what} in ${show(current)} names ${named.file}, which does not exist; Citelens looks for the root elsewhere.` });
      return current === doc ? undefined : current;
    }
    if (visited.has(target)) return target;
    visited.add(target);
    current = target;
  }
  return current;
}

export async function latexProject(host: ProjectHost, doc: string, options: ProjectOptions, show: (p: string) => string): Promise<Project> {
  const sources = new Sources(host);
  const problems: ProjectProblem[] = [];
  let root = await namedRoot(sources, doc, show, problems);
  if (!root && !(await sources.get(doc))?.isRoot) {
    const hint = options.rootHint;
    // the document was found to be its own root: no file of the workspace includes it, no scan again
    if (hint === doc) root = doc;
    else if (hint && (await host.kind(hint)) === 'file') {
      const walk = await walkTree(sources, hint, show);
      if (walk.files.includes(doc)) root = hint;
    }
    root ??= await includingRoot(sources, doc, folderOf(options.folders, doc) ?? dirname(doc));
  }
  root ??= doc;
  const walk = await walkTree(sources, root, show);
  const documents = walk.files.includes(doc) ? walk.files : [doc, ...walk.files];
  return { kind: 'latex', root, documents, bibliographies: walk.bibliographies, problems: [...problems, ...walk.problems] };
}

/**
 * The LaTeX project whose root includes the .tex that `source` (a Markdown or knitr chapter) is
 * turned into, if the workspace has one: that chapter's bibliographies are the root's.
 */
export async function generatedFor(host: ProjectHost, source: string, options: ProjectOptions, show: (p: string) => string): Promise<Project | undefined> {
  const sources = new Sources(host);
  const root = await includingRoot(sources, source, folderOf(options.folders, source) ?? dirname(source));
  if (!root) return undefined;
  const walk = await walkTree(sources, root, show);
  if (!walk.files.includes(source)) return undefined;
  return { kind: 'latex', root, documents: walk.files, bibliographies: walk.bibliographies, problems: walk.problems };
}
