// Page weight of step pages: the page's HTML plus the stylesheets and scripts it loads, in bytes,
// uncompressed, without the matrices' own data (every <figure class="matrix-block">…</figure>,
// which holds a table, its derivations and its reproduce snippets). Budget: 60 KB = 60,000 bytes.
//
// usage: node weight.js SITE_DIR [PAGE ...]   (PAGE relative to SITE_DIR; default: every step
//        page, i.e. every LESSON/NN-slug.html)
'use strict';

const fs = require('fs');
const zlib = require('zlib');
const path = require('path');
const { check, fail, info, htmlPages, summary } = require('./lib');

const BUDGET = 60000;
// All JavaScript of a step page, gzipped.
const JS_BUDGET = 12000;
const [dir, ...given] = process.argv.slice(2);
const pages = given.length ? given : htmlPages(dir).filter((p) => /^[^/]+\/\d+-[^/]*\.html$/.test(p));

(async () => {
  for (const rel of pages) {
    const file = path.join(dir, rel);
    await check(`page weight ${rel}: HTML + CSS + JS without matrix data ≤ ${BUDGET / 1000} KB`, async () => {
      const html = fs.readFileSync(file, 'utf8');
      const htmlBytes = Buffer.byteLength(html);
      const figures = html.match(/<figure class="matrix-block"[^>]*>[\s\S]*?<\/figure>/g) || [];
      const matrixBytes = figures.reduce((n, f) => n + Buffer.byteLength(f), 0);
      const problems = [];
      // Every local stylesheet and script the page loads, each counted once.
      const refs = new Set();
      for (const m of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)) refs.add((m[0].match(/\bhref="([^"]+)"/) || [])[1]);
      for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1]);
      let assetBytes = 0;
      let jsGzip = 0;
      const parts = [];
      for (const ref of refs) {
        if (!ref) continue;
        if (/^[a-z]+:|^\/\//i.test(ref)) {
          problems.push(`loads ${ref} from elsewhere`);
          continue;
        }
        const target = ref.startsWith('/') ? path.join(dir, ref) : path.join(path.dirname(file), ref);
        if (!fs.existsSync(target)) {
          problems.push(`${ref} does not exist`);
          continue;
        }
        const n = fs.statSync(target).size;
        if (ref.endsWith('.js')) jsGzip += zlib.gzipSync(fs.readFileSync(target), { level: 9 }).length;
        assetBytes += n;
        parts.push(`${path.basename(ref)} ${n} B`);
      }
      // "Try it" loads assets/try.js when pressed: not part of the page as it loads, but part of
      // its JavaScript.
      if (html.includes('id="lectern-graph"')) {
        const tryJs = path.join(dir, 'assets/try.js');
        jsGzip += zlib.gzipSync(fs.readFileSync(tryJs), { level: 9 }).length;
        parts.push(`(try.js ${fs.statSync(tryJs).size} B when "Try it" is pressed)`);
      }
      const total = htmlBytes - matrixBytes + assetBytes;
      const line = `${rel}: HTML ${htmlBytes} B − ${figures.length} matrix figures ${matrixBytes} B = ${htmlBytes - matrixBytes} B, + ${parts.join(' + ')} = ${total} B (${(total / 1000).toFixed(1)} KB of ${BUDGET / 1000} KB)`;
      info(`page weight ${line}`);
      if (total > BUDGET) problems.push(`${total} B is over the budget of ${BUDGET} B`);
      info(`page weight ${rel}: JavaScript ${jsGzip} B gzipped (budget ${JS_BUDGET} B)`);
      if (jsGzip > JS_BUDGET) problems.push(`its JavaScript is ${jsGzip} B gzipped, over the budget of ${JS_BUDGET} B`);
      if (!figures.length && /class="matrix"/.test(html)) problems.push('the page has matrices but no <figure class="matrix-block"> was found: the contract changed?');
      return problems;
    });
  }
  if (!pages.length) fail('page weight: found step pages', [`no LESSON/NN-slug.html under ${dir}`]);
  process.exitCode = summary() ? 1 : 0;
})();
