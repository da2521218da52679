// Every mocha run here (unit, server, neovim tiers; `npx mocha …` by hand). The timeout only catches
// a test that hangs: mocha's default of 2 s failed correct tests on a loaded 2-core machine, and
// speed is measured by `npm run bench`, never by a test's timeout.
module.exports = { timeout: 60_000 };
