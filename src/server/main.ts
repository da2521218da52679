#!/usr/bin/env node
/**
 * `citelens-language-server`: the Citelens language server over stdio (or Node IPC when an editor's
 * client starts it with `--node-ipc`). Constructs the connection and hands over to `server.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { defaultPaths, startServer } from './server';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    /* run from elsewhere than the package */
  }
  process.stdout.write(`citelens-language-server ${version}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write('usage: citelens-language-server [--stdio | --node-ipc | --socket=PORT]\nThe Citelens language server (Language Server Protocol). Editors start it; see the README for setup.\n');
} else {
  // an editor started with no transport flag talks over stdio
  if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) process.argv.push('--stdio');
  startServer(createConnection(ProposedFeatures.all), defaultPaths(__dirname));
}
