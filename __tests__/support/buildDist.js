// Jest globalSetup: tests spawn bin/rolecall.js and the cdktf app, which run
// the compiled dist/. Built once here, before any worker starts, so that
// every test runs the code as it is now and no two workers rebuild at once.
const { build, current } = require('../../scripts/build');

module.exports = () => {
  if (!current('rolecall') || !current('main')) build();
};
