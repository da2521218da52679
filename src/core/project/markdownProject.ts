/**
 * The project of a Pandoc, Quarto or R Markdown document: the bibliographies named by its front
 * matter; by Quarto's `_quarto.yml`, its profiles (`_quarto-*.yml`, all of them: any may be the one
 * rendered) and `_metadata.yml` folder metadata; by a bookdown book's `index.Rmd` (its YAML applies
 * to every chapter) and `_bookdown.yml`; by Pandoc defaults files that list the document in
 * `input-files` (or that are named `*defaults*` next to it); and by every `metadata-files` these
 * name. Paths resolve from the file that names them (then the document's folder, then the project's).
 */
import { basename, dirname, join } from 'node:path';
import { generatedFor } from './latexProject';
import { Project, ProjectBibliography, ProjectHost, ProjectOptions, ProjectProblem, candidates, firstFile, folderOf, foldersUp, lineAt } from './projectHost';
import {
  YamlRead, bookdownFiles, defaultsInputs, frontMatter, isBookdownSite, looksLikeDefaults, metadataBibliographies, metadataFiles, quartoChapters, readYaml,
} from './yamlMetadata';

const DOCUMENT = /\.(md|markdown|qmd|rmd)$/i;
/** A project never lists more documents than this. */
const MAX_DOCUMENTS = 1000;
/** YAML files read per folder when looking for Pandoc defaults files. */
const MAX_DEFAULTS_CANDIDATES = 40;
const SKIP_DIRS = new Set(['node_modules', 'renv', 'site_libs', 'packrat']);

class Collector {
  readonly bibliographies: ProjectBibliography[] = [];
  readonly problems: ProjectProblem[] = [];
  private readonly seenBibs = new Set<string>();
  private readonly seenMetadata = new Set<string>();
  projectDir: string | undefined;

  constructor(readonly host: ProjectHost, readonly doc: string, readonly show: (p: string) => string) {}

  /** Reads a YAML file; a malformed one is reported (when `report`) and skipped. */
  async yamlFile(path: string, report = true): Promise<(YamlRead & { text: string }) | undefined> {
    const text = await this.host.readText(path);
    if (text === undefined) return undefined;
    const r = readYaml(text);
    if (r.error && report) this.problems.push({ file: path, line: r.error.line, message: `${this.show(path)} is not valid YAML (line ${r.error.line}: ${r.error.message}); Citelens ignores it.` });
    return r.error ? undefined : { ...r, text };
  }

  /** Takes the bibliographies and metadata files that `data` (read from `file`) names. */
  async use(file: string, data: unknown, text?: string): Promise<void> {
    const { names, trouble } = metadataBibliographies(data);
    // the line that names the bibliography, for the message (the YAML parser's data has no positions)
    const key = text === undefined ? undefined : /^[ \t]*(?:-[ \t]+)?["']?(?:bibliography|--bibliography)\b/m.exec(text);
    const line = key ? lineAt(text!, key.index) : undefined;
    for (const t of trouble) this.problems.push({ file, line, message: `${this.show(file)}: ${t.message}.` });
    for (const n of names) await this.addBibliography(n.file, file, line);
    for (const m of metadataFiles(data)) {
      const path = (await firstFile(this.host, this.bases(m, file))) ?? this.bases(m, file)[0];
      if (this.seenMetadata.has(path)) continue;
      this.seenMetadata.add(path);
      const kind = await this.host.kind(path);
      if (kind !== 'file') {
        this.problems.push({ file, line, message: `${this.show(file)} names the metadata file ${m}, but ${this.show(path)} ${kind === 'directory' ? 'is a folder' : 'does not exist'}.` });
        continue;
      }
      const r = await this.yamlFile(path);
      if (r) await this.use(path, r.data, r.text);
    }
  }

  /** Where a name written in `file` may be: from `file`'s folder, the document's, the project's. */
  private bases(name: string, file: string): string[] {
    const dir = dirname(file);
    const expanded = name.replace(/\$\{\.\}/g, dir);
    return candidates(expanded, [dir, dirname(this.doc), ...(this.projectDir ? [this.projectDir] : [])]);
  }

  private async addBibliography(name: string, namedBy: string, line?: number): Promise<void> {
    const tries = this.bases(name, namedBy);
    const path = (await firstFile(this.host, tries)) ?? tries[0];
    if (this.seenBibs.has(path)) return;
    this.seenBibs.add(path);
    const kind = await this.host.kind(path);
    if (kind === 'directory') {
      this.problems.push({ file: namedBy, line, message: `${this.show(namedBy)} names the bibliography ${name}, but ${this.show(path)} is a folder, not a file.` });
      return;
    }
    if (kind === 'missing') this.problems.push({ file: namedBy, line, message: `${this.show(namedBy)} names the bibliography ${name}, but ${this.show(path)} does not exist.` });
    this.bibliographies.push({ path, namedBy, exists: kind === 'file' });
  }

  /** The documents under `dir` (not in `_`-, `.`-folders or tool folders), at most MAX_DOCUMENTS. */
  async documentsUnder(dir: string, recursive: boolean): Promise<string[]> {
    const out: string[] = [];
    const queue = [dir];
    while (queue.length && out.length < MAX_DOCUMENTS) {
      const d = queue.shift()!;
      for (const name of (await this.host.list(d)).sort()) {
        if (name.startsWith('.') || name.startsWith('_') || SKIP_DIRS.has(name)) continue;
        const p = join(d, name);
        if (DOCUMENT.test(name)) out.push(p);
        else if (recursive && !/\.[A-Za-z0-9]{1,8}$/.test(name) && (await this.host.kind(p)) === 'directory') queue.push(p);
      }
    }
    return out;
  }

  /** Listed documents (as written, from `dir`) that exist. */
  async listed(names: readonly string[], dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const n of names) {
      const p = join(dir, n);
      if (DOCUMENT.test(n) && (await this.host.kind(p)) === 'file') out.push(p);
    }
    return out;
  }
}

/** The first folder of `dirs` holding one of `names`, with the file found. */
async function findUp(host: ProjectHost, dirs: readonly string[], names: readonly string[]): Promise<string | undefined> {
  for (const d of dirs) {
    const f = await firstFile(host, names.map((n) => join(d, n)));
    if (f) return f;
  }
  return undefined;
}

async function quarto(c: Collector, config: string, ups: readonly string[]): Promise<Pick<Project, 'kind' | 'root' | 'documents'>> {
  const dir = dirname(config);
  c.projectDir = dir;
  // folder metadata, nearest first, down to the project's folder
  for (const d of ups.slice(0, ups.indexOf(dir) + 1)) {
    const meta = await firstFile(c.host, [join(d, '_metadata.yml'), join(d, '_metadata.yaml')]);
    const r = meta && (await c.yamlFile(meta));
    if (meta && r) await c.use(meta, r.data, r.text);
  }
  const main = await c.yamlFile(config);
  if (main) await c.use(config, main.data, main.text);
  for (const name of (await c.host.list(dir)).sort()) {
    if (!/^_quarto-.+\.ya?ml$/.test(name)) continue;
    const profile = await c.yamlFile(join(dir, name));
    if (profile) await c.use(join(dir, name), profile.data, profile.text);
  }
  const chapters = quartoChapters(main?.data);
  const documents = chapters ? await c.listed(chapters, dir) : await c.documentsUnder(dir, true);
  return { kind: 'quarto', root: config, documents };
}

async function bookdown(c: Collector, dir: string, config: string | undefined): Promise<Pick<Project, 'kind' | 'root' | 'documents'>> {
  c.projectDir = dir;
  const settings = config ? await c.yamlFile(config) : undefined;
  if (config && settings) await c.use(config, settings.data, settings.text);
  const files = bookdownFiles(settings?.data);
  const index = (await firstFile(c.host, [join(dir, 'index.Rmd'), join(dir, 'index.rmd')])) ?? (files?.length ? join(dir, files[0]) : undefined);
  if (index && index !== c.doc) {
    const text = await c.host.readText(index);
    const fm = text === undefined ? undefined : frontMatter(text);
    if (fm?.error) c.problems.push({ file: index, line: fm.error.line, message: `The front matter of ${c.show(index)} is not valid YAML (line ${fm.error.line}: ${fm.error.message}); Citelens ignores it.` });
    else if (fm) await c.use(index, fm.data, text);
  }
  const documents = files ? await c.listed(files, dir) : (await c.documentsUnder(dir, false)).filter((p) => /\.rmd$/i.test(p));
  return { kind: 'bookdown', root: config ?? index ?? c.doc, documents };
}

/** Pandoc defaults files that apply to the document (see the module's comment). */
async function pandocDefaults(c: Collector, ups: readonly string[]): Promise<string[] | undefined> {
  let documents: string[] | undefined;
  for (const d of ups) {
    const names = (await c.host.list(d)).filter((n) => /\.ya?ml$/i.test(n) && !/^[_.]/.test(n)).map((n) => join(d, n));
    const inDefaults = (await c.host.list(join(d, 'defaults'))).filter((n) => /\.ya?ml$/i.test(n)).map((n) => join(d, 'defaults', n));
    for (const file of [...names, ...inDefaults].sort().slice(0, MAX_DEFAULTS_CANDIDATES)) {
      const named = /defaults/i.test(file.slice(d.length));
      const r = await c.yamlFile(file, named);
      if (!r || !looksLikeDefaults(r.data)) continue;
      const inputs = defaultsInputs(r.data);
      let applies = false;
      if (inputs) {
        const resolved: string[] = [];
        for (const i of inputs) {
          const f = await firstFile(c.host, candidates(i.replace(/\$\{\.\}/g, dirname(file)), [dirname(file), d, ...ups.slice(-1)]));
          if (f) resolved.push(f);
        }
        applies = resolved.includes(c.doc);
        if (applies) documents = [...new Set([...(documents ?? []), ...resolved])];
      } else applies = named && d === ups[0];
      if (applies) await c.use(file, r.data, r.text);
    }
  }
  return documents;
}

/** Whether a LaTeX file is in one of `dirs` (the workspace is scanned for a LaTeX root only then). */
async function texNear(host: ProjectHost, dirs: readonly string[]): Promise<boolean> {
  for (const d of dirs) if ((await host.list(d)).some((n) => /\.(tex|ltx)$/i.test(n))) return true;
  return false;
}

export async function markdownProject(host: ProjectHost, doc: string, options: ProjectOptions, show: (p: string) => string): Promise<Project> {
  const c = new Collector(host, doc, show);
  const ups = foldersUp(dirname(doc), folderOf(options.folders, doc));
  const text = await host.readText(doc);
  const fm = text === undefined ? undefined : frontMatter(text);
  if (fm?.error) c.problems.push({ file: doc, line: fm.error.line, message: `The front matter of ${show(doc)} is not valid YAML (line ${fm.error.line}: ${fm.error.message}).` });
  else if (fm) await c.use(doc, fm.data, text);
  let shape: Pick<Project, 'kind' | 'root' | 'documents'> = { kind: 'single', root: doc, documents: [doc] };
  const quartoConfig = await findUp(host, ups, ['_quarto.yml', '_quarto.yaml']);
  const bookdownConfig = quartoConfig ? undefined : await findUp(host, ups, ['_bookdown.yml', '_bookdown.yaml']);
  if (quartoConfig) shape = await quarto(c, quartoConfig, ups);
  else if (bookdownConfig) shape = await bookdown(c, dirname(bookdownConfig), bookdownConfig);
  else if (/\.rmd$/i.test(doc) && basename(doc).toLowerCase() !== 'index.rmd') {
    // a bookdown book without `_bookdown.yml`: index.Rmd says `site: bookdown::bookdown_site`
    const index = await firstFile(host, [join(dirname(doc), 'index.Rmd'), join(dirname(doc), 'index.rmd')]);
    const itext = index && (await host.readText(index));
    if (itext && isBookdownSite(frontMatter(itext)?.data)) shape = await bookdown(c, dirname(doc), undefined);
  } else if (basename(doc).toLowerCase() === 'index.rmd' && isBookdownSite(fm?.data)) shape = await bookdown(c, dirname(doc), undefined);
  if (shape.kind === 'single') {
    const inputs = await pandocDefaults(c, ups);
    if (inputs || c.bibliographies.some((b) => b.namedBy !== doc)) shape = { kind: 'pandoc', root: doc, documents: inputs ?? [doc] };
  }
  if (shape.kind === 'single' && !c.bibliographies.length && !c.problems.length && (await texNear(host, ups))) {
    // a chapter in Markdown that the build turns into a .tex a LaTeX root includes (pandoc --biblatex)
    const latex = await generatedFor(host, doc, options, show);
    if (latex) return latex;
  }
  const documents = shape.documents.includes(doc) ? shape.documents : [doc, ...shape.documents];
  return { ...shape, documents, bibliographies: c.bibliographies, problems: c.problems };
}
