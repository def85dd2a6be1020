// "Try it" in headless Chromium, on the seed site served under /lessons/ and from file://.
//
// usage: node tryit.js /lessons/=SITE_DIR ATTENTION_DIR PYTHON [DOM_DIR]
// With DOM_DIR, the page's DOM with "Try it" on (and off again) is saved there as HTML files, for
// the Nu checker (run.sh's `vnu-tryit` stage).
//
// On the Q step (Q = X @ W_Q^T, laid out as its equation): pressing "Try it" turns X and W_Q
// (its table, and its transposed copy in the equation) into inputs labelled NAME[row, col];
// typing a new X entry (by keyboard) recomputes Q, and every Q cell equals NumPy's X @ W_Q.T of
// the values in the inputs; a value typed into W_Qᵀ appears in W_Q's own table, transposed (data-value within 1e-12 relative, the text rounded half
// away from zero as the build rounds); the derivation of a changed cell shows the new terms; the
// state is in the URL fragment and a reload brings it back; "Reset" gives the build's values, and
// turning "Try it" off gives back the page exactly as built. axe finds no serious violation with
// "Try it" on, light and dark. The same works from file://. On the attention fixture, which uses
// every operation, editing an input changes dependent cells with no script error.
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { serve } = require('./serve');
const { check, htmlPages, info, launch, summary, watchdog } = require('./lib');

const AXE = require.resolve('axe-core/axe.min.js');
const STEP = 'qkv-projections/03-query.html';
const [mount, attention, python, domDir] = process.argv.slice(2);

async function snapshot(page, name) {
  if (!domDir) return;
  fs.mkdirSync(domDir, { recursive: true });
  // Without the axe script the test itself added to the page.
  const html = await page.evaluate(() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('script:not([src]):not([type="application/json"])').forEach((s) => s.remove());
    return '<!DOCTYPE html>\n' + copy.outerHTML;
  });
  fs.writeFileSync(path.join(domDir, name), html);
}
const prefix = mount.slice(0, mount.indexOf('='));
const dir = mount.slice(mount.indexOf('=') + 1);

// NumPy's X @ W.T and each entry rounded half away from zero to `p` decimals from its shortest
// decimal (Python's repr), for comparison with the page.
const NUMPY = `
import json, sys
from decimal import Decimal, ROUND_HALF_UP
import numpy as np
d = json.load(sys.stdin)
q = np.array(d["X"]) @ np.array(d["W"]).T
def shown(v, p):
    s = str(Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP))
    if s.startswith("-") and set(s[1:]) <= set("0."):
        s = s[1:]
    return s.replace("-", "\\u2212")
print(json.dumps({"values": q.tolist(), "texts": [[shown(v, d["p"]) for v in row] for row in q]}))
`;

function numpy(X, W, p) {
  const r = spawnSync(python, ['-c', NUMPY], { input: JSON.stringify({ X, W, p }), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// The matrix of a table: its inputs' values when editable, else its cells' data-value; and texts.
async function read(page, name) {
  return page.evaluate((name) => {
    const t = document.querySelector(`table.matrix[data-matrix="${name}"]`);
    return Array.from(t.tBodies[0].rows).map((tr) => Array.from(tr.getElementsByTagName('td')).map((td) => {
      const input = td.querySelector('input');
      return { value: Number(input ? input.value.replace('\u2212', '-') : td.getAttribute('data-value')), data: td.getAttribute('data-value'), text: td.textContent, label: input && input.getAttribute('aria-label') };
    }));
  }, name);
}

async function axeOk(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] }, resultTypes: ['violations'] }),
  );
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function tryOn(page) {
  await page.locator('.try-bar button.try').click();
  await page.waitForSelector('table.matrix.editing input', { timeout: 10000 });
}

// Keyboard only: Tab from "Try it" to the first input of X, select it, type a value.
async function typeIntoX(page, value) {
  await page.locator('.try-bar button.try').focus();
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('aria-label'));
    if (label && label.startsWith('X[')) {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(value);
      return label;
    }
  }
  throw new Error('Tab never reached an input of X');
}

async function compare(page, problems) {
  const X = await read(page, 'X');
  const W = await read(page, 'W_Q');
  const Q = await read(page, 'Q');
  const want = numpy(X.map((r) => r.map((c) => c.value)), W.map((r) => r.map((c) => c.value)), 3);
  Q.forEach((row, i) => row.forEach((c, j) => {
    const v = want.values[i][j];
    const got = Number(c.data);
    if (!(Math.abs(got - v) <= 1e-12 * Math.max(Math.abs(v), Math.abs(got)) || got === v)) problems.push(`Q[${i}, ${j}]: data-value ${c.data}, NumPy ${v}`);
    if (c.text !== want.texts[i][j]) problems.push(`Q[${i}, ${j}]: shows ${c.text}, NumPy rounds to ${want.texts[i][j]}`);
  }));
  return { X, Q };
}

async function main() {
  watchdog(8 * 60 * 1000, 'try it');
  const server = await serve({ [prefix]: dir }, { lifetimeMs: 8 * 60 * 1000 });
  const { browser, close } = await launch();
  const errors = [];
  try {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      await context.route('**/*', (route) =>
        route.request().url().startsWith(server.origin + '/') ? route.continue() : route.abort('blockedbyclient'),
      );
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      const url = server.url(prefix + STEP);
      await page.goto(url, { waitUntil: 'load' });
      const built = await page.locator('main').innerHTML();
      if (scheme === 'light') {
        let edited = null;
        await check('try it: "Try it" turns X and W_Q into inputs labelled NAME[row, col]', async () => {
          await tryOn(page);
          const X = await read(page, 'X');
          const W = await read(page, 'W_Q');
          const problems = [];
          if (!X.flat().every((c) => c.label && /^X\[.+, .+\]$/.test(c.label))) problems.push('an X cell has no labelled input');
          if (!W.flat().every((c) => c.label && c.label.startsWith('W_Q['))) problems.push('a W_Q cell has no labelled input');
          if (await page.locator('table.matrix[data-matrix="Q"] input').count()) problems.push('Q, a computed table, got inputs');
          return problems;
        });
        await check('try it: typing into X (by keyboard) recomputes every Q cell as NumPy does', async () => {
          const before = await read(page, 'Q');
          edited = await typeIntoX(page, '2.5');
          await page.waitForFunction(() => /try=/.test(location.hash));
          const problems = [];
          const { Q } = await compare(page, problems);
          const changed = Q.flat().filter((c, k) => c.data !== before.flat()[k].data).length;
          info(`try it: ${edited} = 2.5 changed ${changed} of ${Q.flat().length} Q cells`);
          if (!changed) problems.push('no Q cell changed');
          return problems;
        });
        await check('try it: the derivation of a changed Q cell shows the new entry of X and the new sum', async () => {
          const row = await page.evaluate(() => document.activeElement.closest('tr').rowIndex - 1);
          const li = await page.evaluate((row) => {
            const td = document.querySelector('table.matrix[data-matrix="Q"]').tBodies[0].rows[row].getElementsByTagName('td')[0];
            const derivation = document.getElementById(td.getAttribute('aria-describedby'));
            return { derivation: derivation.textContent, text: td.textContent };
          }, row);
          const problems = [];
          if (!li.derivation.includes('2.500\u00b7')) problems.push(`the derivation does not show 2.500: ${li.derivation}`);
          if (!li.derivation.endsWith(` = ${li.text}`)) problems.push(`the derivation does not end with the cell's ${li.text}: ${li.derivation}`);
          return problems;
        });
        await check('try it: typing into W_Qᵀ of the equation changes W_Q\'s own table at the swapped place, and Q follows as NumPy does', async () => {
          // Row d2, column q3 of the transposed table (a row's first child is its label).
          const input = page.locator('table.matrix[data-matrix="W_Q"][data-transposed] tbody tr:nth-child(2) td:nth-child(4) input');
          const problems = [];
          const label = await input.getAttribute('aria-label');
          if (label !== 'W_Q[q3, d2]') problems.push(`the input is labelled ${label}, not W_Q[q3, d2]`);
          await input.fill('0.75');
          const W = await read(page, 'W_Q');
          if (W[2][1].value !== 0.75) problems.push(`W_Q[q3, d2] in W_Q's own table is ${W[2][1].value}, not 0.75`);
          await compare(page, problems);
          return problems;
        });
        await check('try it: the state is in the URL fragment, and a reload brings it back', async () => {
          const before = await read(page, 'Q');
          await page.reload({ waitUntil: 'load' });
          await page.waitForSelector('table.matrix.editing input', { timeout: 10000 });
          const after = await read(page, 'Q');
          const problems = [];
          if (JSON.stringify(after.map((r) => r.map((c) => c.data))) !== JSON.stringify(before.map((r) => r.map((c) => c.data)))) problems.push('Q differs after the reload');
          const X = await read(page, 'X');
          if (!X.flat().some((c) => c.value === 2.5)) problems.push('the edited X entry is not back');
          await compare(page, problems);
          return problems;
        });
        await snapshot(page, 'try-it-on.html');
        await check('try it: axe finds no serious violation with "Try it" on (light)', () => axeOk(page));
        await check('try it: "Reset" gives back the build\'s values, and "Try it" off the page as built', async () => {
          await page.locator('.try-bar button.reset').click();
          const problems = [];
          const X = await read(page, 'X');
          if (X.flat().some((c) => c.value === 2.5)) problems.push('Reset left the edited value');
          if (/try=/.test(await page.evaluate(() => location.hash))) problems.push('Reset left the fragment');
          await compare(page, problems);
          await page.locator('.try-bar button.try').click();
          await page.waitForFunction(() => !document.querySelector('table.matrix.editing'));
          const after = await page.locator('main').innerHTML();
          await snapshot(page, 'try-it-off.html');
          // The button's own state and the status line aside, the page is the build's.
          const strip = (h) => h.replace(/ aria-pressed="(true|false)"/g, '').replace(/<span class="try-status" role="status">[^<]*<\/span>/, '').replace(/ hidden=""/g, '').replace(/ hidden/g, '');
          if (strip(after) !== strip(built)) {
            const a = strip(after), b = strip(built);
            let k = 0;
            while (k < a.length && a[k] === b[k]) k++;
            problems.push(`the page differs from the build at ${k}: built …${b.slice(k - 80, k + 120)}… now …${a.slice(k - 80, k + 120)}…`);
          }
          return problems;
        });
      } else {
        await tryOn(page);
        await typeIntoX(page, '-1.25');
        await check('try it: axe finds no serious violation with "Try it" on (dark)', () => axeOk(page));
      }
      await context.close();
    }
    // From file://: the script and the graph load without a server.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await check('try it: works from file:// too', async () => {
        await page.goto('file://' + path.join(dir, STEP), { waitUntil: 'load' });
        await tryOn(page);
        await typeIntoX(page, '3');
        const problems = [];
        await compare(page, problems);
        return problems;
      });
      // The attention fixture: every operation of the language, edited in the browser.
      const pages = htmlPages(attention).filter((f) => /^[^/]+\/\d[^/]*\.html$/.test(f));
      for (const rel of pages) {
        await check(`try it: on the attention fixture's ${rel}, editing an input changes what follows from it`, async () => {
          await page.goto('file://' + path.join(attention, rel), { waitUntil: 'load' });
          if (!(await page.locator('.try-bar button.try:not([hidden])').count())) return [];
          await tryOn(page);
          const computed = () => page.evaluate(() => Array.from(document.querySelectorAll('table.matrix:not(.editing) td, data.value')).map((e) => e.getAttribute('data-value') || e.getAttribute('value')).join(' '));
          const before = await computed();
          const input = page.locator('table.matrix.editing input').first();
          const old = Number(await input.inputValue());
          await input.fill(String(old + 0.5));
          await page.waitForFunction(() => /try=/.test(location.hash));
          return (await computed()) === before ? ['nothing changed'] : [];
        });
      }
      await context.close();
    }
    await check('try it: no script error on any page', async () => errors);
  } finally {
    await close();
    await server.close();
  }
  process.exitCode = summary() ? 1 : 0;
}

main().catch((e) => {
  console.log(`FAIL try it suite ran to the end\n  ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
