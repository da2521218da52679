#!/usr/bin/env node
/**
 * The headless Citelens CLI, sharing the extension's core (usage in ./args.ts).
 * Exit codes: 0 ok, 1 `check` found unknown keys or `add` was given one, 2 usage or I/O error (a file named that cannot be used).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, USAGE, UsageError } from './args';
import { addCommand } from './commands/add';
import { checkCommand } from './commands/check';
import { libraryCommand } from './commands/library';
import { mentionsCommand } from './commands/mentions';
import { relatedCommand } from './commands/related';
import { searchCommand } from './commands/search';

function run(argv: string[]): number | Promise<number> {
  if (argv[0] === '--version' || argv[0] === 'version') {
    process.stdout.write(`citelens ${version()}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  switch (args.command) {
    case 'library':
      return libraryCommand(args);
    case 'search':
      return searchCommand(args);
    case 'check':
      return checkCommand(args);
    case 'mentions':
      return mentionsCommand(args);
    case 'related':
      return relatedCommand(args);
    case 'add':
      return addCommand(args);
    default:
      throw new UsageError(args.command ? `unknown command '${args.command}'` : '');
  }
}

/** The package's version, from the package.json beside dist/ (or the repository root). */
function version(): string {
  for (const p of [join(__dirname, '../package.json'), join(__dirname, '../../package.json')]) {
    if (!existsSync(p)) continue;
    const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'citelens' && pkg.version) return pkg.version;
  }
  throw new Error('cannot find the package.json of citelens');
}

if (require.main === module) {
  // a reader that stops early (`citelens check … | head -1`) closes the pipe: end quietly, as cat does
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  void (async () => {
    try {
      process.exitCode = await run(process.argv.slice(2));
    } catch (e) {
      if (e instanceof UsageError) {
        if (e.message) process.stderr.write(`citelens: ${e.message}\n`);
        process.stderr.write(USAGE + '\n');
      } else process.stderr.write(`citelens: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    }
  })();
}
