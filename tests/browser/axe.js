// axe-core in headless Chromium on every page of the given sites, in light and in dark mode.
// A page fails on any `serious` or `critical` violation of the wcag2a, wcag2aa and best-practice
// rules; `minor` and `moderate` ones are printed as information.
//
// usage: node axe.js /prefix/=SITE_DIR [/prefix2/=DIR2 ...]
// Mount each site at its base_url (run.sh does), so that 404.html, which links from the base path,
// is styled too.
'use strict';

const { serve } = require('./serve');
const { check, info, htmlPages, launch, summary, watchdog } = require('./lib');

const AXE = require.resolve('axe-core/axe.min.js');

function describe(v) {
  const nodes = v.nodes.map((n) => {
    const why = (n.failureSummary || '').replace(/\s*\n\s*/g, ' ');
    return `    at ${n.target.join(' ')}: ${n.html.slice(0, 200)}${why ? `\n      ${why}` : ''}`;
  });
  return `[${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'}; ${v.helpUrl})\n${nodes.join('\n')}`;
}

async function main() {
  watchdog(10 * 60 * 1000, 'axe');
  const mounts = Object.fromEntries(process.argv.slice(2).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  const server = await serve(mounts, { lifetimeMs: 10 * 60 * 1000 });
  const { browser, close } = await launch();
  try {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      // Nothing may leave 127.0.0.1: any other request is aborted (and so reported above).
      await context.route('**/*', (route) =>
        route.request().url().startsWith(server.origin + '/') ? route.continue() : route.abort('blockedbyclient'),
      );
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      for (const [prefix, dir] of Object.entries(mounts)) {
        for (const rel of htmlPages(dir)) {
          const url = server.url(prefix + rel);
          await check(`axe ${scheme}: ${prefix}${rel} has no serious or critical violations`, async () => {
            // A page is judged as served: its own stylesheet and script must load (an unstyled
            // page would hide contrast problems).
            const broken = [];
            const onResponse = (r) => {
              if (r.url() !== url && r.status() >= 400) broken.push(`${r.status()} ${r.url()}`);
            };
            const onFailed = (r) => broken.push(`failed ${r.url()}: ${r.failure() && r.failure().errorText}`);
            page.on('response', onResponse);
            page.on('requestfailed', onFailed);
            const response = await page.goto(url, { waitUntil: 'load' });
            page.off('response', onResponse);
            page.off('requestfailed', onFailed);
            if (!response || response.status() !== 200) broken.push(`${response && response.status()} ${url}`);
            await page.addScriptTag({ path: AXE });
            const result = await page.evaluate(() =>
              // eslint-disable-next-line no-undef
              axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] }, resultTypes: ['violations'] }),
            );
            const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
            for (const v of result.violations.filter((x) => !bad.includes(x))) {
              info(`axe ${scheme} ${prefix}${rel}: ${describe(v)}`);
            }
            return [...broken.map((b) => `did not load: ${b}`), ...bad.map(describe)];
          });
        }
      }
      await context.close();
    }
  } finally {
    await close();
    await server.close();
  }
  process.exitCode = summary() ? 1 : 0;
}

main().catch((e) => {
  console.log(`FAIL axe suite ran to the end\n  ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
