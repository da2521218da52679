/**
 * What one LaTeX file says about its project: the `% !TEX root` magic comment, the main file a
 * `subfiles` document names, whether it is a root (`\documentclass`), the files it includes and the
 * bibliographies it names. Read from the text with comments blanked out; a path built from macros
 * (`\jobname`, a macro's `#1`) is skipped, since only TeX can expand it.
 */
import { lineAt } from './projectHost';

/** How a file is included; `import`/`subimport` change the folder later includes are read from. */
export type IncludeKind = 'input' | 'include' | 'subfile' | 'import' | 'subimport';

export interface LatexInclude {
  kind: IncludeKind;
  /** The file as written. */
  file: string;
  /** The folder argument of `\import{dir}{file}` / `\subimport{dir}{file}`. */
  dir?: string;
  line: number;
}

export interface LatexBibliographyName {
  /** As written, with `.bib` added for `\bibliography{refs}`. */
  file: string;
  line: number;
  /** Named by `\bibliography` (BibTeX adds `.bib`), not `\addbibresource`. */
  bibtex: boolean;
}

export interface LatexSource {
  /** The path of `% !TEX root = …`, as written. */
  magicRoot?: { file: string; line: number };
  /** `\documentclass[main.tex]{subfiles}`: the main file, as written. */
  subfilesMain?: { file: string; line: number };
  /** It has `\documentclass` (of a class other than `subfiles`): it is compiled itself. */
  isRoot: boolean;
  includes: LatexInclude[];
  bibliographies: LatexBibliographyName[];
  /** Macros defined without arguments (`\def\PATH{.}`, `\newcommand{\bibdir}{refs}`): paths often use them. */
  macros: Map<string, string>;
}

const MAGIC_ROOT = /^[ \t]*%+[ \t]*!\s*TeX[ \t]+root[ \t]*=[ \t]*(.+?)[ \t]*$/im;
const DOCUMENTCLASS = /\\documentclass\s*(?:\[([^\]]*)\])?\s*\{\s*([^}]*?)\s*\}/;
/** `\input{f}`, `\include{f}`, `\subfile{f}`, `\InputIfFileExists{f}`; not `\inputencoding`, `\includegraphics`. */
const SIMPLE_INCLUDE = /\\(input|include|subfile|subfileinclude|InputIfFileExists)(?![A-Za-z@])\s*\{([^{}]*)\}/g;
/** The primitive `\input chapter` (no braces). */
const BARE_INPUT = /\\input(?![A-Za-z@])[ \t]+([^\s{}\\%]+)/g;
const IMPORT = /\\(import|subimport|inputfrom|includefrom|subinputfrom|subincludefrom)\*?\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g;
const BIBLIOGRAPHY = /\\(bibliography|nobibliography|addbibresource|addglobalbib|addsectionbib)(?![A-Za-z@])\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}/g;

/** The text with `%` comments blanked (offsets kept), unless the `%` is escaped. */
export function blankLatexComments(text: string): string {
  return text.replace(/(^|[^\\])((?:\\\\)*)%[^\n]*/g, (m, pre: string, slashes: string) => pre + slashes + ' '.repeat(m.length - pre.length - slashes.length));
}

/** `\def\NAME{value}`, `\newcommand{\NAME}{value}`, `\newcommand*\NAME{value}` (no parameters, no nested braces). */
const MACRO_DEF = /\\(?:def|gdef|edef|xdef)\s*\\([A-Za-z@]+)\s*\{([^{}#]*)\}|\\(?:re)?newcommand\*?\s*\{?\s*\\([A-Za-z@]+)\s*\}?\s*\{([^{}#]*)\}/g;

/** Whether a path argument may be usable: not a macro's parameter (`#1`), not a URL. */
function usable(p: string): boolean {
  return !!p && !p.includes('#') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p);
}

/**
 * A path argument with the macros it uses expanded (`\jobname` is the root's name); undefined when
 * a macro is left that only TeX could expand.
 */
export function expandPath(p: string, macros: ReadonlyMap<string, string>): string | undefined {
  let out = p;
  for (let i = 0; i < 5 && out.includes('\\'); i++) out = out.replace(/\\([A-Za-z@]+)\s*(?:\{\})?/g, (m, name: string) => macros.get(name) ?? m);
  out = out.trim();
  return out && !out.includes('\\') && !/[{}]/.test(out) ? out : undefined;
}

export function readLatexSource(text: string): LatexSource {
  const out: LatexSource = { isRoot: false, includes: [], bibliographies: [], macros: new Map() };
  const magic = MAGIC_ROOT.exec(text);
  if (magic) out.magicRoot = { file: magic[1].replace(/^["']|["']$/g, ''), line: lineAt(text, magic.index) };
  const clean = blankLatexComments(text);
  const dc = DOCUMENTCLASS.exec(clean);
  if (dc) {
    if (dc[2] === 'subfiles') {
      const main = (dc[1] ?? '').trim();
      if (usable(main) && !main.includes('\\')) out.subfilesMain = { file: main, line: lineAt(text, dc.index) };
    } else out.isRoot = true;
  }
  const found: { at: number; inc: LatexInclude }[] = [];
  for (const m of clean.matchAll(SIMPLE_INCLUDE)) {
    const kind: IncludeKind = m[1] === 'include' ? 'include' : m[1].startsWith('subfile') ? 'subfile' : 'input';
    const file = m[2].trim();
    if (usable(file)) found.push({ at: m.index!, inc: { kind, file, line: 0 } });
  }
  for (const m of clean.matchAll(BARE_INPUT)) {
    if (usable(m[1])) found.push({ at: m.index!, inc: { kind: 'input', file: m[1], line: 0 } });
  }
  for (const m of clean.matchAll(IMPORT)) {
    const dir = m[2].trim(), file = m[3].trim();
    if (usable(file) && (dir === '' || usable(dir))) found.push({ at: m.index!, inc: { kind: m[1].startsWith('sub') ? 'subimport' : 'import', dir, file, line: 0 } });
  }
  found.sort((a, b) => a.at - b.at);
  for (const f of found) out.includes.push({ ...f.inc, line: lineAt(text, f.at) });
  for (const m of clean.matchAll(BIBLIOGRAPHY)) {
    const bibtex = m[1] === 'bibliography' || m[1] === 'nobibliography';
    const line = lineAt(text, m.index!);
    for (const part of bibtex ? m[2].split(',') : [m[2]]) {
      const name = part.trim();
      if (!usable(name)) continue;
      // `\bibliography{\jobname}` gets its .bib once expanded (see expandBibliography)
      out.bibliographies.push({ file: bibtex && !/\.bib$/i.test(name) && !name.includes('\\') ? name + '.bib' : name, line, bibtex });
    }
  }
  for (const m of clean.matchAll(MACRO_DEF)) {
    const name = m[1] ?? m[3];
    const value = (m[2] ?? m[4]).trim();
    if (!out.macros.has(name)) out.macros.set(name, value);
  }
  return out;
}
