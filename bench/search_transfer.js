// bench/search_transfer.js: the bytes a reader's browser loads for search, measured in Chromium.
//
// usage: node bench/search_transfer.js SITE [BASELINE_SITE] [--page REL] [--queries "a|b c|…"]
//
// Serves SITE (and BASELINE_SITE, the same content built without search, if given) on 127.0.0.1
// with tests/browser/serve.js, opens a step page and sums the bodies of every response:
//   - "page, never searching": the page, its stylesheet and scripts, as loaded; against the
//     baseline, the difference is what the search field costs a page that never uses it;
//   - "first query": for each query, a fresh page, then focus on the field and type the query;
//     everything loaded from the focus until the results are shown (engine, shards, pages).
// Bytes are raw (what file:// and an uncompressed host send) and gzip -6 of each body (what a
// host with compression sends, headers not counted). Prints a Markdown table on stdout.
'use strict';

const path = require('path');
const zlib = require('zlib');
const browserDir = path.join(__dirname, '..', 'tests', 'browser');
const { serve } = require(path.join(browserDir, 'serve'));
const { launch } = require(path.join(browserDir, 'lib'));

function args() {
  const a = process.argv.slice(2);
  const opt = (flag, d) => {
    const i = a.indexOf(flag);
    if (i < 0) return d;
    const v = a[i + 1];
    a.splice(i, 2);
    return v;
  };
  const page = opt('--page', 'l0750-multi-head/04-key.html');
  const queries = opt('--queries', 'the|attention|proj|softmax|query key|matrix multiplication|zzzz').split('|');
  return { site: a[0], baseline: a[1], page, queries };
}

async function measure(browser, url, action) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies = [];
  let recording = true;
  page.on('response', async (r) => {
    if (!recording) return;
    try {
      const b = await r.body();
      bodies.push({ url: r.url(), raw: b.length, gz: zlib.gzipSync(b, { level: 6 }).length });
    } catch (_) { /* redirects have no body */ }
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(200);
  let before = bodies.length;
  let result = null;
  if (action) {
    before = bodies.length;
    result = await action(page);
    await page.waitForTimeout(300);
  }
  recording = false;
  await context.close();
  const sum = (list) => list.reduce((s, b) => ({ raw: s.raw + b.raw, gz: s.gz + b.gz, n: s.n + 1 }), { raw: 0, gz: 0, n: 0 });
  return { load: sum(bodies.slice(0, before)), after: sum(bodies.slice(before)), result, files: bodies.slice(before) };
}

async function main() {
  const { site, baseline, page: rel, queries } = args();
  if (!site) throw new Error('usage: node bench/search_transfer.js SITE [BASELINE_SITE]');
  const mounts = { '/s/': site };
  if (baseline) mounts['/b/'] = baseline;
  const server = await serve(mounts, { lifetimeMs: 20 * 60 * 1000 });
  const { browser, close } = await launch();
  const kb = (n) => (n / 1024).toFixed(1);
  try {
    const plain = await measure(browser, server.url('/s/' + rel));
    console.log(`Page: ${rel}\n`);
    console.log('| what | files | raw KB | gzip KB |');
    console.log('|---|---:|---:|---:|');
    console.log(`| page, never searching (with search) | ${plain.load.n} | ${kb(plain.load.raw)} | ${kb(plain.load.gz)} |`);
    if (baseline) {
      const base = await measure(browser, server.url('/b/' + rel));
      console.log(`| page, baseline without search | ${base.load.n} | ${kb(base.load.raw)} | ${kb(base.load.gz)} |`);
      console.log(`| **search costs a page that never searches** | | **${kb(plain.load.raw - base.load.raw)}** | **${kb(plain.load.gz - base.load.gz)}** |`);
    }
    console.log('\n| first query | results | files loaded | raw KB | gzip KB | largest file (raw KB) |');
    console.log('|---|---:|---:|---:|---:|---|');
    let worst = 0;
    for (const q of queries) {
      const m = await measure(browser, server.url('/s/' + rel), async (page) => {
        await page.focus('#lectern-search');
        await page.keyboard.type(q);
        await page.waitForFunction(() => {
          const s = document.querySelector('.search-status');
          return s && s.textContent && !/at least/.test(s.textContent);
        }, null, { timeout: 20000 });
        return page.evaluate(() => document.querySelectorAll('.search-results li').length + ' (' + document.querySelector('.search-status').textContent + ')');
      });
      const big = m.files.reduce((a, b) => (b.raw > a.raw ? b : a), { raw: 0, url: '' });
      worst = Math.max(worst, m.after.raw);
      console.log(`| \`${q}\` | ${m.result} | ${m.after.n} | ${kb(m.after.raw)} | ${kb(m.after.gz)} | ${big.url.replace(/^.*\/assets\/search\//, '')} ${kb(big.raw)} |`);
    }
    console.log(`\nLargest first query: ${kb(worst)} KB raw.`);
  } finally {
    await close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
