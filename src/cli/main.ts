#!/usr/bin/env node
/**
 * The headless Citelens CLI, sharing the extension's core (usage in ./args.ts).
 * Exit codes: 0 ok, 1 `check` found unknown keys, 2 usage or I/O error.
 */
import { parseArgs, USAGE, UsageError } from './args';
import { checkCommand } from './commands/check';
import { libraryCommand } from './commands/library';
import { mentionsCommand } from './commands/mentions';
import { relatedCommand } from './commands/related';
import { searchCommand } from './commands/search';

function run(argv: string[]): number {
  const args = parseArgs(argv);
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
    default:
      throw new UsageError(args.command ? `unknown command '${args.command}'` : '');
  }
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
