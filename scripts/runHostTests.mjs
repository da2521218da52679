#!/usr/bin/env node
// Extension-host test launcher (default; works offline): runs the mocha suite in
// out/test/host/index.js inside a real VS Code 1.100 extension host served by code-server and
// shown in headless Chromium. With CITELENS_HOST=electron it hands over to
// scripts/runHostTestsElectron.mjs (@vscode/test-electron, needs internet).
//
//   node esbuild.mjs --tests && node scripts/runHostTests.mjs
//
// Environment: CITELENS_HOST_TIMEOUT_MS (default 600000), CITELENS_HOST_GREP (mocha grep),
// CITELENS_HOST_HEADFUL=1 (show the browser), CITELENS_KEEP_TMP=1 (keep profile and workspace).
// Prints the extension host's console, then `host: N passed, M failed, K skipped` as its last line.
// Exit code 0 only when at least one test ran and none failed.
//
// CITELENS_HOST_TRUST=restricted: the Restricted Mode run. Workspace trust is enabled (no
// --disable-workspace-trust, `security.workspace.trust.enabled: true`, no startup prompt), the
// fixture workspace is never trusted, its .vscode/settings.json names extra.json in
// `citelens.libraries`, ../outside.bib in `citelens.bibliography.defaultFile` and its own citation command and
// template (all restricted settings,
// which Restricted Mode must ignore), and test/host/index.ts runs only test/host/restrictedMode.test.ts (the
// normal run skips that file). Always code-server (never CITELENS_HOST=electron). The last line
// is then `restricted: N passed, M failed, K skipped`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import {
  copyFolder, launchChromium, makeProfile, makeTempDir, removeDir, repoRoot, setupCodeServer,
  startCodeServer, workbenchUrl,
} from './codeServer.mjs';

const restricted = process.env.CITELENS_HOST_TRUST === 'restricted';
/** Label of this run's counts line: `host` or, in Restricted Mode, `restricted` (scripts/test.sh greps it). */
const label = restricted ? 'restricted' : 'host';

/** User settings of the Restricted Mode run: trust on, this folder untrusted, nothing asks. */
const restrictedSettings = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

if (process.env.CITELENS_HOST_TRUST && !restricted) {
  console.error(`runHostTests: CITELENS_HOST_TRUST must be "restricted" or unset, not "${process.env.CITELENS_HOST_TRUST}"`);
  console.log('host: 0 passed, 1 failed, 0 skipped');
  process.exitCode = 2;
} else if (process.env.CITELENS_HOST === 'electron' && !restricted) {
  await import('./runHostTestsElectron.mjs');
} else {
  process.exitCode = await main();
}

async function main() {
  const started = Date.now();
  const timeoutMs = Number(process.env.CITELENS_HOST_TIMEOUT_MS || 600_000);
  const testsEntry = join(repoRoot, 'out/test/host/index.js');
  const fail = (msg, code = 2) => {
    console.error(`runHostTests: ${msg}`);
    console.log(`${label}: 0 passed, 1 failed, 0 skipped`);
    return code;
  };
  if (!existsSync(testsEntry)) return fail(`${testsEntry} is missing; build the tests first: node esbuild.mjs --tests`);
  if (!existsSync(join(repoRoot, 'dist/extension.js'))) return fail('dist/extension.js is missing; build first: node esbuild.mjs --tests');

  let bin;
  try {
    bin = setupCodeServer();
  } catch (err) {
    return fail(String(err.message ?? err));
  }

  const tmp = makeTempDir('citelens-host-');
  const workspace = copyFolder(join(repoRoot, 'test/fixtures/workspace'), join(tmp, 'workspace'));
  if (restricted) {
    // Settings an untrusted folder may carry to misuse Citelens: a library and a bibliography outside the
    // folder, its own LaTeX in new citations. All are restricted: Restricted Mode must ignore them.
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      JSON.stringify(
        {
          'citelens.libraries': ['extra.json'],
          'citelens.bibliography.defaultFile': '../outside.bib',
          'citelens.citation.latexCommand': 'nocite',
          'citelens.citation.format': { latex: '\\immediate\\write18{touch pwned}\\cite{${keys}}' },
        },
        null,
        2,
      ),
    );
  }
  const profile = makeProfile(tmp, restricted ? restrictedSettings : {});
  const resultFile = join(tmp, 'result.json');
  let server;
  let browser;
  try {
    server = await startCodeServer({
      bin, ...profile, workspace, workspaceTrust: restricted,
      env: { CITELENS_HOST_RESULT: resultFile, CITELENS_HOST_TRUST: restricted ? 'restricted' : '' },
    });
    console.log(`runHostTests: code-server on ${server.baseUrl}, workspace ${workspace}${restricted ? ' (Restricted Mode: workspace trust enabled, folder not trusted)' : ''}`);
    browser = await launchChromium({ headless: !process.env.CITELENS_HOST_HEADFUL });
    const page = await browser.newPage();

    let summary = null; // [passed, failed, skipped] from the extension host's own summary line
    let sawVersion = false;
    let versionResolve;
    const versionSeen = new Promise((r) => { versionResolve = r; });
    let exitResolve;
    const exited = new Promise((r) => { exitResolve = r; });
    // Things that end the run early: code-server dying, the page crashing.
    const broken = new Promise((r) => {
      server.proc.once('exit', (code, signal) => r({ broken: `code-server exited (${code ?? signal}) during the run` }));
      page.once('crash', () => r({ broken: 'the browser page crashed' }));
    });
    let finished = false;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      if (finished) return; // shutdown noise after the verdict
      // The workbench's log service forwards console calls with their format string (mocha's
      // reporter logs '%s%s'), so format them like Node's console would.
      const list = (Array.isArray(args) ? args : [args]).map((a) => (a !== null && typeof a === 'object' ? JSON.stringify(a) : a));
      const text = format(...list);
      for (const line of text.split('\n')) {
        const m = /host: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(line);
        if (m) summary = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
        if (/vscode\.version \d/.test(line)) {
          sawVersion = true;
          versionResolve();
        }
        // Indented so that only this launcher's own final line starts with "host:".
        const out = type === 'error' || type === 'warn' ? process.stderr : process.stdout;
        out.write(`  [vscode${type === 'info' ? '' : ' ' + type}] ${line}\n`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      finished = true;
      exitResolve(code);
    });
    page.on('pageerror', (err) => console.error(`  [page error] ${err.message}`));

    const url = workbenchUrl(server.baseUrl, workspace, [
      ['extensionDevelopmentPath', repoRoot],
      ['extensionTestsPath', testsEntry],
    ]);
    await page.goto(url);

    const timeout = (ms, what) => new Promise((r) => setTimeout(() => r({ timeout: what }), ms).unref());
    const workbench = page.waitForSelector('.monaco-workbench', { timeout: 120_000 }).then(() => null, () => ({ timeout: 'workbench' }));
    const first = await Promise.race([workbench, broken, exited.then((code) => ({ code }))]);
    if (first?.broken) return fail(`VS Code never started: ${first.broken}.\ncode-server output:\n${server.tail()}`);
    if (first?.timeout) {
      return fail(`VS Code never started: no workbench in ${url} after 120 s.\ncode-server output:\n${server.tail()}`);
    }
    console.log(`runHostTests: workbench up after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The extension host must start the suite (index.ts logs vscode.version first) within 3 minutes.
    const began = await Promise.race([
      versionSeen.then(() => null),
      broken,
      exited.then(() => null),
      timeout(180_000, 'start'),
    ]);
    if (began?.broken) return fail(`${began.broken}.\ncode-server output:\n${server.tail()}`);
    if (began?.timeout) {
      return fail(`the extension host never started the tests (no "vscode.version" line 180 s after the workbench appeared).\ncode-server output:\n${server.tail()}`);
    }

    const outcome = await Promise.race([
      exited.then((code) => ({ code })),
      broken,
      timeout(Math.max(1000, timeoutMs - (Date.now() - started)), 'run'),
    ]);
    if (outcome.broken) return fail(`${outcome.broken}${sawVersion ? ' while the host tests ran' : ''}.\ncode-server output:\n${server.tail()}`);
    if (outcome.timeout) {
      const stage = sawVersion ? 'the host tests did not finish' : 'the extension host never started the tests';
      return fail(`timed out after ${timeoutMs / 1000} s: ${stage}.\ncode-server output:\n${server.tail()}`);
    }

    // Prefer the result file written by test/host/index.ts; fall back to the console summary.
    if (existsSync(resultFile)) {
      try {
        const r = JSON.parse(readFileSync(resultFile, 'utf8'));
        summary = [r.passed, r.failed, r.skipped ?? 0];
      } catch { /* keep the console summary */ }
    }
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (!summary) {
      return fail(`the extension host exited (code ${outcome.code}) without running tests (no "host: N passed" line, no ${resultFile}). ` +
        `Is out/test/host/index.js a valid test entry?\ncode-server output:\n${server.tail()}`);
    }
    const [passed, failed, skipped] = summary;
    console.log(`runHostTests: extension host exited with code ${outcome.code} after ${secs} s`);
    if (passed + failed === 0) {
      console.error('runHostTests: zero host tests ran');
      console.log(`${label}: 0 passed, 0 failed, ${skipped} skipped`);
      return 1;
    }
    // A non-zero exit with zero failures means run() rejected for another reason: count it.
    const extra = outcome.code !== 0 && failed === 0 ? 1 : 0;
    if (extra) console.error(`runHostTests: exit code ${outcome.code} although no test failed`);
    console.log(`${label}: ${passed} passed, ${failed + extra} failed, ${skipped} skipped`);
    return failed + extra > 0 ? 1 : 0;
  } catch (err) {
    return fail(`${err.stack ?? err}${server ? `\ncode-server output:\n${server.tail()}` : ''}`);
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (process.env.CITELENS_KEEP_TMP) console.error(`runHostTests: kept ${tmp}`);
    else removeDir(tmp);
  }
}
