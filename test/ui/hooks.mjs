// Mocha root hooks for the UI tier: a screenshot of the workbench when a test fails (under
// out/ui-failures/) and the shared workbench stopped at the end. scripts/runUiTests.mjs uses them;
// to run UI tests with plain mocha: CITELENS_VSIX=citelens-0.1.0.vsix npx mocha --timeout 90000 --require test/ui/hooks.mjs 'test/ui/*.ui.test.mjs'
import { currentWorkbench, stopWorkbench } from './workbench.mjs';

/** Root hooks (mocha's `rootHooks` / `--require` plugin format). */
export const mochaHooks = {
  async afterEach() {
    const t = this.currentTest;
    if (t?.state !== 'failed') return;
    const wb = await currentWorkbench();
    if (!wb) return;
    const file = await wb.failureScreenshot(t.fullTitle());
    console.error(`    screenshot of the failure: ${file}\n    page console: ${wb.consoleLog}`);
  },
  async afterAll() {
    await stopWorkbench();
  },
};
