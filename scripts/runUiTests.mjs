#!/usr/bin/env node
// UI test tier: packages the extension (`npm run package`), installs the VSIX into a fresh
// code-server profile with --install-extension (as a user would), opens the fixture workspace in
// headless Chromium and runs every test/ui/*.ui.test.mjs with mocha in plain Node; the tests drive
// the workbench like a person (see test/ui/workbench.mjs).
//
//   node scripts/runUiTests.mjs              package, then test the VSIX
//   node scripts/runUiTests.mjs --no-package test an existing VSIX ($CITELENS_VSIX or citelens-<version>.vsix)
//   node scripts/runUiTests.mjs --dev        no VSIX: load dist/ as a development extension
//   ... [-- grep]                            only tests whose title matches
// Environment: CITELENS_UI_HEADFUL=1, CITELENS_KEEP_TMP=1, CITELENS_ALLOW_ONLY=1.
// Prints `ui: N passed, M failed, K skipped` as its last line; exit code 0 only when tests ran and all passed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { repoRoot } from './codeServer.mjs';

const args = process.argv.slice(2);
const dashdash = args.indexOf('--');
const grep = dashdash >= 0 ? args.slice(dashdash + 1).join(' ') : '';
const flags = new Set(dashdash >= 0 ? args.slice(0, dashdash) : args);

process.exitCode = await main();

async function main() {
  const started = Date.now();
  const fail = (msg) => {
    console.error(`runUiTests: ${msg}`);
    console.log('ui: 0 passed, 1 failed, 0 skipped');
    return 2;
  };

  if (!flags.has('--dev')) {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const vsix = process.env.CITELENS_VSIX || join(repoRoot, `citelens-${version}.vsix`);
    if (!flags.has('--no-package')) {
      console.log('runUiTests: npm run package');
      const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0) return fail(`npm run package failed (exit ${r.status ?? r.signal})`);
    }
    if (!existsSync(vsix)) return fail(`no VSIX at ${vsix}; run npm run package`);
    process.env.CITELENS_VSIX = vsix;
  } else {
    delete process.env.CITELENS_VSIX;
  }
  // The tracked README pictures change only through `npm run screenshots` (which names
  // media/screenshots); a test run leaves the tree as it found it.
  process.env.CITELENS_SCREENSHOT_DIR ??= join(repoRoot, 'out', 'screenshots');

  const { workbench, stopWorkbench } = await import('../test/ui/workbench.mjs');
  const { mochaHooks } = await import('../test/ui/hooks.mjs');

  // Start VS Code before mocha so that "VS Code never started" is reported as such, once.
  try {
    const t = Date.now();
    const wb = await workbench();
    console.log(`runUiTests: workbench up in ${((Date.now() - t) / 1000).toFixed(1)} s` +
      (process.env.CITELENS_VSIX ? ` with ${process.env.CITELENS_VSIX} installed` : ' (development extension)'));
    if (wb.installLog) console.log(`runUiTests: ${wb.installLog.split('\n').filter(Boolean).pop()}`);
  } catch (err) {
    await stopWorkbench();
    return fail(`VS Code never started: ${err.stack ?? err}`);
  }

  const uiDir = join(repoRoot, 'test', 'ui');
  const files = readdirSync(uiDir).filter((f) => f.endsWith('.ui.test.mjs')).sort();
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 90_000,
    reporter: 'spec',
    forbidOnly: !process.env.CITELENS_ALLOW_ONLY,
    rootHooks: mochaHooks,
  });
  if (grep) mocha.grep(grep);
  for (const f of files) mocha.addFile(join(uiDir, f));

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    await mocha.loadFilesAsync();
    await new Promise((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', () => passed++);
      runner.on('pending', () => skipped++);
      runner.on('fail', () => failed++);
    });
  } catch (err) {
    console.error(err);
    failed++;
  } finally {
    await stopWorkbench();
  }
  console.log(`runUiTests: ${files.length} file(s), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (passed + failed === 0) {
    console.error('runUiTests: zero UI tests ran');
    console.log(`ui: 0 passed, 0 failed, ${skipped} skipped`);
    return 1;
  }
  console.log(`ui: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 ? 1 : 0;
}
