// Mocha reporter for scripts/test.sh: mocha's `dot` output, then one machine-readable line
// `<label>: N passed, M failed, K skipped` (label from `--reporter-option label=unit`, default "unit").
'use strict';
const Mocha = require('mocha');

/** Dot reporter plus a final count line. */
class CountingReporter extends Mocha.reporters.Dot {
  constructor(runner, options) {
    super(runner, options);
    const label = (options && options.reporterOption && options.reporterOption.label) || 'unit';
    // Registered after Dot's own 'end' listener, so the line comes after its epilogue.
    runner.once('end', () => {
      const s = runner.stats || { passes: 0, failures: 0, pending: 0 };
      console.log(`${label}: ${s.passes} passed, ${s.failures} failed, ${s.pending || 0} skipped`);
    });
  }
}

module.exports = CountingReporter;
