/** Command-line arguments shared by every `citelens` command. */
export interface Args {
  command: string;
  positional: string[];
  bibs: string[];
  json: boolean;
  builtin: boolean;
  /** `--help`/`-h` anywhere: print the usage and exit 0. */
  help: boolean;
  limit?: number;
  text?: string;
  file?: string;
  line?: number;
  /** `related --topics FILE`: a TREC topics file to answer as a TREC run. */
  topics?: string;
  /** `related --exclude FILE`: keys never to suggest, one per line. */
  exclude?: string;
  /** `add --to FILE`: the bibliography to add to. */
  to?: string;
  /** `add --for FILE`: the document whose bibliography to add to. */
  for?: string;
}

/** A mistake in how the command was called: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

/** One line per command: how it is called, then what it does (`citelens --help`). */
export const USAGE = `usage: citelens COMMAND [OPTIONS]   (the built-in corpus is read unless --no-builtin; --bib FILE adds a library file, --bib DIR every library file under a folder)
  citelens library  [--bib FILE|DIR]... [--no-builtin] [--json]                  list the library files: entries and problems in each
  citelens search   QUERY [--bib FILE|DIR]... [--limit N] [--no-builtin] [--json]  the best-matching papers for a query
  citelens check    FILE... [--bib FILE|DIR]... [--no-builtin]                   report citation keys no bibliography holds (exit 1 if any)
  citelens mentions FILE... [--bib FILE|DIR]... [--no-builtin] [--json]          titles, system names and keys named in the prose
  citelens add      KEY... [--to FILE | --for FILE] [--bib FILE|DIR]... [--no-builtin] [--json]  append the entries of papers (by key, DOI, arXiv id or CSL-JSON id) to a bibliography
  citelens related  (--text "..." | --file FILE [--line N] | --topics FILE [--exclude FILE]) [--bib FILE|DIR]... [--limit N] [--no-builtin] [--json]  papers related to a passage, or a TREC run for each topic of a TREC topics file
  citelens help | --help | -h                                                this text;  citelens --version  the version`;

export function parseArgs(argv: string[]): Args {
  const first = argv[0] ?? '';
  const a: Args = { command: first, positional: [], bibs: [], json: false, builtin: true, help: false };
  if (first === 'help' || first === '--help' || first === '-h') a.help = true;
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
    else if (x === '--topics') a.topics = value();
    else if (x === '--exclude') a.exclude = value();
    else if ((x === '--to' || x === '--for') && first === 'add') a[x === '--to' ? 'to' : 'for'] = value();
    else if (x === '--help' || x === '-h') a.help = true;
    else if (x.startsWith('--')) throw new UsageError(`unknown option ${x}`);
    else a.positional.push(x);
  }
  return a;
}

/** Refuses options `command` has no use for, rather than ignoring them. */
export function refuseOptions(args: Args, command: string, options: readonly ('--text' | '--file' | '--line' | '--limit' | '--json')[]): void {
  const given = { '--text': args.text !== undefined, '--file': args.file !== undefined, '--line': args.line !== undefined, '--limit': args.limit !== undefined, '--json': args.json };
  for (const o of options) if (given[o]) throw new UsageError(`${command} takes no ${o}`);
}
