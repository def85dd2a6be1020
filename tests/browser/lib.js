// Shared helpers of the browser suite: result lines, page lists, launching Debian's Chromium.
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

// Every check prints exactly one line starting with PASS or FAIL (run.sh counts them);
// details follow on lines indented by two spaces, information on lines starting with "info".
let failed = 0;
function pass(name, detail) {
  console.log(`PASS ${name}${detail ? ` (${detail})` : ''}`);
}
function fail(name, details) {
  failed++;
  console.log(`FAIL ${name}`);
  for (const d of [].concat(details || [])) console.log(`  ${String(d).replace(/\n/g, '\n  ')}`);
}
function info(text) {
  console.log(`info ${text}`);
}
// Runs `fn` as one check; an exception is that check's failure, not the end of the suite.
async function check(name, fn) {
  try {
    const problems = (await fn()) || [];
    if (problems.length) fail(name, problems);
    else pass(name);
  } catch (e) {
    fail(name, [`threw: ${e && e.stack ? e.stack : e}`]);
  }
}

// All .html files under `dir`, as sorted paths relative to it with '/' separators.
function htmlPages(dir) {
  const out = [];
  (function walk(rel) {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else if (entry.name.endsWith('.html')) out.push(r);
    }
  })('');
  return out.sort();
}

// Flags that keep Chromium from reaching for the network on its own (see README, Tests).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

// Playwright's launch() starts Chromium with a new, empty --user-data-dir of its own (a temporary
// folder it deletes on close); passing --user-data-dir ourselves is refused by Playwright.
async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
  return { browser, close: () => browser.close() };
}

function summary() {
  return failed;
}

// Kills the process if a test hangs, so CI always ends.
function watchdog(ms, what) {
  const t = setTimeout(() => {
    fail(`${what} finished within ${ms / 1000} s`, ['watchdog: timed out, aborting']);
    process.exit(1);
  }, ms);
  t.unref();
}

module.exports = { pass, fail, info, check, htmlPages, launch, summary, watchdog };
