// Mocha's spec output plus the closing line CI reads: "N passed, N failed".
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || {};
      // printed after Spec's epilogue
      process.nextTick(() => {
        const skipped = s.pending ? `, ${s.pending} skipped` : '';
        process.stdout.write(`\n${s.passes || 0} passed, ${s.failures || 0} failed${skipped}\n`);
      });
    });
  }
}
module.exports = SpecWithSummary;
