/** Command-line arguments shared by every `citelens` command. */
export interface Args {
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

/** A mistake in how the command was called: reported with the usage text and exit code 2. */
export class UsageError extends Error {}

export const USAGE = `usage:
  citelens library  [--bib FILE]... [--no-builtin] [--json]
  citelens search   <query> [--bib FILE]... [--limit N] [--no-builtin] [--json]
  citelens check    FILE... [--bib FILE]... [--no-builtin]
  citelens mentions FILE... [--bib FILE]... [--no-builtin] [--json]
  citelens related  [--text "..." | --file FILE [--line N]] [--bib FILE]... [--limit N] [--no-builtin] [--json]`;

export function parseArgs(argv: string[]): Args {
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
