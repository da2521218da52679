/**
 * Entry point of the extension-host test tier, loaded by VS Code through `extensionTestsPath`
 * (both launchers: `scripts/runHostTests.mjs` for code-server, `scripts/runHostTestsElectron.mjs`
 * for @vscode/test-electron). Runs every `out/test/host/**\/*.test.js` with mocha inside the
 * real extension host and prints a summary line `host: N passed, M failed, K skipped` that the launchers parse.
 *
 * `restrictedMode.test.js` needs a window whose workspace is NOT trusted: it runs only when the
 * launcher sets `CITELENS_HOST_TRUST=restricted` (scripts/runHostTests.mjs, the `restricted` tier
 * of scripts/test.sh), and then it is the only file run.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** The test file of the Restricted Mode run (and only of that run). */
const RESTRICTED_FILE = 'restrictedMode.test.js';

/** Every `*.test.js` below `dir`, sorted so the run order is stable. */
function findTestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTestFiles(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

/**
 * When the launcher sets `CITELENS_HOST_RESULT` to a file path, the counts are also written there
 * as JSON (`{ passed, failed, vscodeVersion }`): launchers whose VS Code console is not captured
 * (@vscode/test-electron) read the numbers from it.
 */
function writeResult(passed: number, failed: number, skipped: number): void {
  const file = process.env.CITELENS_HOST_RESULT;
  if (!file) return;
  try {
    fs.writeFileSync(file, JSON.stringify({ passed, failed, skipped, vscodeVersion: vscode.version }));
  } catch (err) {
    console.error(`cannot write ${file}: ${err}`);
  }
}

/**
 * Runs the host test suite. Resolves when every test passed; rejects when any test (or hook)
 * failed or when no test ran at all, so a broken bundle can never look like a green run.
 * Set `CITELENS_HOST_GREP` to run only tests whose full title matches that regular expression.
 */
export function run(): Promise<void> {
  console.log('vscode.version ' + vscode.version);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000,
    color: false,
    reporter: 'spec',
    // `.only` left in a test would silently skip the rest of the suite in CI.
    forbidOnly: !process.env.CITELENS_ALLOW_ONLY,
  });
  if (process.env.CITELENS_HOST_GREP) mocha.grep(new RegExp(process.env.CITELENS_HOST_GREP));
  const restricted = process.env.CITELENS_HOST_TRUST === 'restricted';
  const files = findTestFiles(__dirname).filter((f) => (path.basename(f) === RESTRICTED_FILE) === restricted);
  for (const f of files) mocha.addFile(f);
  console.log(`host: ${files.length} test file(s): ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  return new Promise<void>((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    try {
      const runner = mocha.run(() => {
        console.log(`host: ${passed} passed, ${failed} failed, ${skipped} skipped`);
        writeResult(passed, failed, skipped);
        if (failed > 0) reject(new Error(`${failed} host test(s) failed`));
        else if (passed === 0) reject(new Error('no host tests ran'));
        else resolve();
      });
      runner.on('pass', () => passed++);
      runner.on('pending', () => skipped++);
      // 'fail' also fires for failing hooks, which count as failures here.
      runner.on('fail', () => failed++);
    } catch (err) {
      // e.g. a test file that throws while loading, or `.only` with forbidOnly
      console.error(err);
      console.log(`host: ${passed} passed, ${failed + 1} failed, ${skipped} skipped`);
      writeResult(passed, failed + 1, skipped);
      reject(err);
    }
  });
}
