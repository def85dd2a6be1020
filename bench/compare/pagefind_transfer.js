// bench/compare/pagefind_transfer.js: Pagefind's first-query transfer over http, and whether it
// loads from file://. usage: (cd bench/compare && npm ci) && npx --prefix bench/compare pagefind
//   --site SITE --output-path PF && node bench/compare/pagefind_transfer.js SITE PF
// First-query transfer of Pagefind over http: import pagefind.js, search, load 8 results' data.
const path = require('path'); const zlib = require('zlib');
const B = path.join(__dirname, '..', '..', 'tests', 'browser') + '/';
const { serve } = require(B + 'serve'); const { launch } = require(B + 'lib');
(async () => {
  const server = await serve({ '/b/': process.argv[2], '/pf/': process.argv[3] }, { lifetimeMs: 600000 });
  const { browser, close } = await launch();
  for (const q of ['the', 'attention', 'proj', 'softmax', 'query key', 'matrix multiplication', 'zzzz']) {
    const context = await browser.newContext(); const page = await context.newPage();
    await page.goto(server.url('/b/index.html'));
    const bodies = [];
    page.on('response', async (r) => { try { const b = await r.body(); bodies.push({ raw: b.length, gz: zlib.gzipSync(b).length }); } catch (_) {} });
    const n = await page.evaluate(async (q) => {
      const pf = await import('/pf/pagefind.js');
      await pf.options({ basePath: '/pf/' });
      const r = await pf.search(q);
      const d = await Promise.all(r.results.slice(0, 8).map((x) => x.data()));
      return r.results.length + ' results, ' + d.length + ' loaded';
    }, q);
    await page.waitForTimeout(300);
    const raw = bodies.reduce((s, b) => s + b.raw, 0), gz = bodies.reduce((s, b) => s + b.gz, 0);
    console.log(`| \`${q}\` | ${n} | ${bodies.length} | ${(raw / 1024).toFixed(1)} | ${(gz / 1024).toFixed(1)} |`);
    await context.close();
  }
  // And from file://
  const context = await browser.newContext(); const page = await context.newPage();
  await page.goto('file://' + path.join(process.argv[2], 'index.html'));
  const err = await page.evaluate(async (u) => { try { const pf = await import(u); await pf.search('attention'); return 'ok'; } catch (e) { return String(e); } }, 'file://' + path.join(process.argv[3], 'pagefind.js'));
  console.log('from file://: ' + err);
  await close(); await server.close();
})();
