// The W3C Nu HTML checker (vnu.jar from npm vnu-jar, on Java) over every page of the given sites,
// in one JVM: one PASS/FAIL line per page, each error printed with its line and source extract.
//
// usage: node vnu.js SITE_DIR [SITE_DIR2 ...]
'use strict';

const { spawnSync } = require('child_process');
const path = require('path');
const { fileURLToPath } = require('url');
const { pass, fail, htmlPages, summary } = require('./lib');

const dirs = process.argv.slice(2).map((d) => path.resolve(d));
const jar = require.resolve('vnu-jar/build/dist/vnu.jar');
const run = spawnSync('java', ['-jar', jar, '--skip-non-html', '--errors-only', '--format', 'json', ...dirs], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
  timeout: 5 * 60 * 1000,
});
// vnu prints its JSON report on stderr; it exits 1 when it found errors.
let report;
try {
  report = JSON.parse(run.stderr);
} catch {
  fail('vnu ran and reported', [`exit ${run.status}, signal ${run.signal}, error ${run.error}`, `stdout: ${run.stdout}`, `stderr: ${run.stderr}`]);
  process.exit(1);
}
const byUrl = new Map(); // file path (or URL) -> messages
const other = [];
for (const m of report.messages) {
  if (m.type !== 'error' && !(m.type === 'non-document-error')) continue;
  if (m.url) {
    // vnu names files as file:/dir/page.html
    let file = m.url;
    try {
      file = fileURLToPath(m.url);
    } catch {
      // keep the URL as it is
    }
    if (!byUrl.has(file)) byUrl.set(file, []);
    byUrl.get(file).push(m);
  } else other.push(m);
}
let pages = 0;
for (const dir of dirs) {
  for (const rel of htmlPages(dir)) {
    pages++;
    const file = path.join(dir, rel);
    const errors = byUrl.get(file) || [];
    byUrl.delete(file);
    const name = `vnu ${path.basename(dir)}/${rel}: valid HTML`;
    if (!errors.length) pass(name);
    else
      fail(
        name,
        errors.map((e) => `line ${e.lastLine}${e.firstColumn ? `:${e.firstColumn}` : ''}: ${e.message}${e.extract ? `\n    ${JSON.stringify(e.extract)}` : ''}`),
      );
  }
}
// Errors about files we did not list (or with no file) still count.
for (const [url, errors] of byUrl) fail(`vnu ${url}: valid HTML`, errors.map((e) => `line ${e.lastLine}: ${e.message}`));
if (other.length) fail('vnu: no errors outside pages', other.map((e) => e.message));
if (!pages) fail('vnu: found pages to check', [`no .html under ${dirs.join(', ')}`]);
process.exitCode = summary() ? 1 : 0;
