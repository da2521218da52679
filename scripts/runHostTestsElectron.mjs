#!/usr/bin/env node
// Extension-host test launcher #2, for machines with internet (developers' laptops, public CI):
// @vscode/test-electron downloads desktop VS Code (default 1.100.3, override with
// CITELENS_VSCODE_VERSION, e.g. "stable") into .vscode-test/ and runs out/test/host/index.js in it.
// Selected by `CITELENS_HOST=electron npm test` (or run directly after `node esbuild.mjs --tests`).
// On a Linux box without a display, run under `xvfb-run -a`.
// Prints `host: N passed, M failed` as its last line; exit code 0 only when tests ran and all passed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFolder, makeTempDir, removeDir, repoRoot } from './codeServer.mjs';

process.exitCode = await main();

async function main() {
  const started = Date.now();
  const testsEntry = join(repoRoot, 'out/test/host/index.js');
  const fail = (msg) => {
    console.error(`runHostTestsElectron: ${msg}`);
    console.log('host: 0 passed, 1 failed');
    return 2;
  };
  if (!existsSync(testsEntry)) return fail(`${testsEntry} is missing; build the tests first: node esbuild.mjs --tests`);

  const { runTests } = await import('@vscode/test-electron');
  const tmp = makeTempDir('citelens-electron-');
  const workspace = copyFolder(join(repoRoot, 'test/fixtures/workspace'), join(tmp, 'workspace'));
  const resultFile = join(tmp, 'result.json');
  let code;
  try {
    code = await runTests({
      version: process.env.CITELENS_VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsEntry,
      extensionTestsEnv: { CITELENS_HOST_RESULT: resultFile },
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions stay out; the one under development still loads
        '--user-data-dir', join(tmp, 'user-data'),
        '--extensions-dir', join(tmp, 'extensions'),
      ],
    });
  } catch (err) {
    // TestRunFailedError (non-zero exit) or a failed download.
    if (!existsSync(resultFile)) {
      removeDir(tmp);
      return fail(`VS Code did not run the tests: ${err?.message ?? err}. ` +
        'Without internet, use the default code-server launcher (unset CITELENS_HOST).');
    }
    code = 1;
  }
  try {
    if (!existsSync(resultFile)) return fail(`VS Code exited (code ${code}) but the extension host never ran tests (no ${resultFile})`);
    const { passed, failed, vscodeVersion } = JSON.parse(readFileSync(resultFile, 'utf8'));
    console.log(`runHostTestsElectron: VS Code ${vscodeVersion}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (passed + failed === 0) {
      console.error('runHostTestsElectron: zero host tests ran');
      console.log('host: 0 passed, 0 failed');
      return 1;
    }
    const extra = code !== 0 && failed === 0 ? 1 : 0;
    console.log(`host: ${passed} passed, ${failed + extra} failed`);
    return failed + extra > 0 ? 1 : 0;
  } finally {
    removeDir(tmp);
  }
}
