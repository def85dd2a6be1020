// Browser tests of lectern's pages in headless Chromium, served from 127.0.0.1 under subpaths.
//
// usage: node browser.js --seed /lessons/=DIR --fixture /fixture/=DIR --screenshots DIR
//   --seed     the seed lesson, built with base_url equal to the prefix
//   --fixture  tests/browser/fixture, built the same way (it always has quizzes and a product
//              whose operands share its page)
//
// Checks (one PASS/FAIL line each):
//   - every page and its stylesheet and script load, with no JavaScript error;
//   - every quiz gives feedback on click: a wrong answer "Not quite", the right one "Correct";
//   - focusing (and hovering, and arrow keys) on a computed cell shows its derivation in
//     .derivation-pop and highlights exactly the operand rows/columns that are on the same page;
//   - with JavaScript disabled every matrix value is shown, every derivation is in the page and
//     every quiz answer is in the DOM inside <details>;
//   - 404.html, served for a missing page, is styled and links inside the subpath;
//   - light and dark colour schemes differ (prefers-color-scheme);
//   - at 375 and 320 px wide no page scrolls sideways (wide matrices scroll in their own box); a
//     box that has more to the right shows a shadow there, and its row labels stay in view when
//     it is scrolled;
//   - hovering and focusing a computed cell moves nothing on the page (zero layout shift);
//   - visited steps and solved quizzes survive a reload, show in the step lists and on the step,
//     and "Forget my progress" clears them;
//   - without JavaScript, Enter in a quiz does not submit it (the page does not navigate);
//   - screenshots of a step page at 1280 and 375 px, light and dark, and of every page of the seed
//     site at 1280 and 375 px, are saved;
//   - search: "/" focuses the field; typing a word of a known step lists it as "Lesson › Step"
//     with the section heading and the word in <mark>; ArrowDown, Enter opens it at the heading,
//     both under the subpath and from file://; with JavaScript off the field is hidden;
//   - no request leaves 127.0.0.1.
'use strict';

const fs = require('fs');
const path = require('path');
const { serve } = require('./serve');
const { check, info, fail, pass, htmlPages, launch, summary, watchdog } = require('./lib');

function args() {
  const a = process.argv.slice(2);
  const get = (flag) => {
    const i = a.indexOf(flag);
    if (i < 0 || i + 1 >= a.length) throw new Error(`missing ${flag}`);
    return a[i + 1];
  };
  const mount = (s) => ({ prefix: s.slice(0, s.indexOf('=')), dir: s.slice(s.indexOf('=') + 1) });
  return { seed: mount(get('--seed')), fixture: mount(get('--fixture')), shots: get('--screenshots') };
}

const STEP_PAGE = 'qkv-projections/03-query.html';
const FIXTURE_PAGE = 'quizzes/01-everything.html';
const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

// Width and height of a PNG, from its IHDR chunk.
function pngSize(file) {
  const b = fs.readFileSync(file);
  if (b.length < 24 || b.toString('latin1', 1, 4) !== 'PNG') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// Records every request of a context; anything not bound for our server is recorded and aborted,
// so nothing actually leaves the machine even when a page tries.
async function guard(context, origin, log) {
  await context.route('**/*', (route) => {
    const url = route.request().url();
    log.push(url);
    if (url.startsWith(origin + '/') || /^(data|blob|about):/.test(url)) return route.continue();
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => log.push(r.url()));
}

// Opens `url` in `page`, returning the problems met while loading it (HTTP errors, failed
// subresources, JavaScript errors).
async function load(page, url, { status = 200 } = {}) {
  const problems = [];
  const onResponse = (r) => {
    if (r.url() !== url && r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`);
  };
  const onFailed = (r) => problems.push(`request failed: ${r.url()} (${r.failure() && r.failure().errorText})`);
  const onError = (e) => problems.push(`JavaScript error: ${e.message}`);
  // HTTP errors are reported from the responses above (with their URL); other console errors count.
  const onConsole = (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) problems.push(`console error: ${m.text()}`);
  };
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  page.on('pageerror', onError);
  page.on('console', onConsole);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response) problems.push(`no response for ${url}`);
    else if (response.status() !== status) problems.push(`status ${response.status()} (want ${status}) for ${url}`);
    // Let the deferred script run and report.
    await page.waitForTimeout(50);
  } finally {
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
    page.off('pageerror', onError);
    page.off('console', onConsole);
  }
  return problems;
}

// --- quizzes -----------------------------------------------------------------------------------

async function testQuiz(page, form, where) {
  const problems = [];
  const id = await form.evaluate((f) => (f.closest('section.quiz') || {}).id || '(no id)');
  const numeric = await form.evaluate((f) => f.hasAttribute('data-value'));
  const name = `quiz ${where}#${id} (${numeric ? 'numeric' : 'choice'}) gives feedback on click`;
  await check(name, async () => {
    const button = form.locator('button[type=submit]');
    const feedback = form.locator('.quiz-feedback');
    if ((await button.count()) !== 1) return ['no single button[type=submit] in the form'];
    if (!(await button.isVisible())) return ['the Check button is still hidden with JavaScript on'];
    if ((await feedback.count()) !== 1) return ['no single .quiz-feedback in the form'];
    if ((await feedback.getAttribute('role')) !== 'status') problems.push('.quiz-feedback lacks role="status"');
    const answer = norm(await page.locator(`#${id} details.quiz-answer`).textContent().catch(() => ''));

    const expectFeedback = async (want, cls, what) => {
      try {
        await page.waitForFunction(
          ([f, w]) => f.querySelector('.quiz-feedback').textContent.trim().startsWith(w),
          [await form.elementHandle(), want],
          { timeout: 3000 },
        );
      } catch {
        problems.push(`${what}: feedback is ${JSON.stringify(norm(await feedback.textContent()))}, want it to start with "${want}"`);
        return;
      }
      const classes = (await form.getAttribute('class')) || '';
      if (!classes.split(/\s+/).includes(cls)) problems.push(`${what}: form class is "${classes}", want it to include ${cls}`);
      info(`${where}#${id} ${what}: ${JSON.stringify(norm(await feedback.textContent()))}`);
    };

    if (numeric) {
      const input = form.locator('input[type=text], input:not([type])').first();
      const value = parseFloat(await form.getAttribute('data-value'));
      const tolerance = parseFloat(await form.getAttribute('data-tolerance'));
      // The number a learner would copy from the answer shown in <details>.
      const shown = (answer.match(/Answer:\s*([−-]?\d+(?:\.\d+)?)/) || [])[1];
      const right = shown ? shown.replace('−', '-') : String(value);
      const wrong = String(value + 1 + 10 * (tolerance || 0));
      await input.fill(wrong);
      await button.click();
      await expectFeedback('Not quite', 'is-wrong', `typed ${wrong}`);
      await input.fill(right);
      await button.click();
      await expectFeedback('Correct', 'is-right', `typed ${right}`);
    } else {
      const radios = form.locator('input[type=radio]');
      const n = await radios.count();
      let rightId = null;
      let wrongId = null;
      for (let i = 0; i < n; i++) {
        const r = radios.nth(i);
        const rid = await r.getAttribute('id');
        if ((await r.getAttribute('data-correct')) !== null) {
          if (rightId) problems.push('more than one radio has data-correct');
          rightId = rightId || rid;
        } else wrongId = wrongId || rid;
      }
      if (!rightId || !wrongId) return [...problems, `need one right and one wrong choice; right=${rightId} wrong=${wrongId}`];
      // Choose by clicking the label, as a learner does.
      const label = (rid) => form.locator(`label[for="${rid}"]`);
      const rightText = norm(await label(rightId).textContent());
      await label(wrongId).click();
      await button.click();
      await expectFeedback('Not quite', 'is-wrong', `chose "${norm(await label(wrongId).textContent())}"`);
      await label(rightId).click();
      await button.click();
      await expectFeedback('Correct', 'is-right', `chose "${rightText}"`);
      if (!answer.includes(rightText)) problems.push(`the answer in <details> (${JSON.stringify(answer)}) does not name the right choice "${rightText}"`);
    }
    return problems;
  });
  return numeric ? 'numeric' : 'choice';
}

// --- derivations -------------------------------------------------------------------------------

// What a computed cell should light up: for each operand ref present on the page, its cells in
// every table of that matrix (an equation shows it again, maybe transposed: rows become columns).
async function expectedOperands(page, cell) {
  return cell.evaluate((td) => {
    const out = { present: [], absent: [], cells: 0 };
    for (const ref of (td.getAttribute('data-reads') || '').split(' ').filter(Boolean)) {
      const [name, kind, idx] = ref.split(':');
      const tables = Array.from(document.querySelectorAll(`table.matrix[data-matrix="${name}"]`));
      if (!tables.length) {
        out.absent.push(ref);
        continue;
      }
      let n = 0;
      for (const table of tables) {
        const rows = Array.from(table.tBodies[0].rows);
        const axis = table.hasAttribute('data-transposed') ? (kind === 'r' ? 'c' : 'r') : kind;
        n += axis === 'r' ? rows[+idx].getElementsByTagName('td').length : rows.length;
      }
      out.present.push({ ref, cells: n });
      out.cells += n;
    }
    return out;
  });
}

async function lit(page) {
  return page.evaluate(() => {
    const label = (td) => {
      const table = td.closest('table');
      const tr = td.parentNode;
      const col = Array.prototype.indexOf.call(tr.getElementsByTagName('td'), td);
      return `${table.dataset.matrix}[${tr.rowIndex - 1},${col}]`;
    };
    return {
      operand: Array.from(document.querySelectorAll('td.operand')).map(label),
      current: Array.from(document.querySelectorAll('td.current')).map(label),
    };
  });
}

async function operandsOk(page, cell, strict) {
  const problems = [];
  const want = await expectedOperands(page, cell);
  const reads = await cell.getAttribute('data-reads');
  if (want.absent.length) {
    const msg = `operand${want.absent.length > 1 ? 's' : ''} ${want.absent.join(', ')} of data-reads="${reads}" not on this page, so not highlighted`;
    if (strict) problems.push(msg);
    else info(msg);
  }
  if (!want.present.length) return [...problems, `no operand of data-reads="${reads}" is on this page`];
  const got = await lit(page);
  const ok = await cell.evaluate((td) => {
    const bad = [];
    for (const ref of (td.getAttribute('data-reads') || '').split(' ').filter(Boolean)) {
      const [name, kind, idx] = ref.split(':');
      document.querySelectorAll(`table.matrix[data-matrix="${name}"]`).forEach((table) => {
        const t = table.hasAttribute('data-transposed');
        Array.from(table.tBodies[0].rows).forEach((tr, r) => {
          Array.from(tr.getElementsByTagName('td')).forEach((c, k) => {
            // In a transposed table, row i of the matrix is column i.
            const inRef = (kind === 'r') !== t ? r === +idx : k === +idx;
            if (inRef && !c.classList.contains('operand')) bad.push(`${name}${t ? 'ᵀ' : ''}[${r},${k}] of ${ref} lacks class operand`);
          });
        });
      });
    }
    return bad;
  });
  problems.push(...ok);
  if (got.operand.length !== want.cells) problems.push(`${got.operand.length} cells have class operand, want ${want.cells} (${want.present.map((p) => p.ref).join(', ')}): ${got.operand.join(' ')}`);
  if (got.current.length !== 1) problems.push(`${got.current.length} cells have class current, want 1`);
  return problems;
}

async function derivationOk(page, cell) {
  const problems = [];
  const derivationId = await cell.getAttribute('aria-describedby');
  const derivation = page.locator(`[id="${derivationId}"]`);
  if ((await derivation.count()) !== 1) return [`aria-describedby="${derivationId}" points to ${await derivation.count()} elements`];
  // The overlay lays the derivation out one step or term per line: the same text, other spaces.
  const bare = (s) => (s || '').replace(/\s+/g, '');
  const want = bare(await derivation.textContent());
  const pop = page.locator('.derivation-pop');
  if ((await pop.count()) !== 1) return [`${await pop.count()} .derivation-pop elements, want 1`];
  if (!(await pop.isVisible())) return ['.derivation-pop is not visible'];
  // Without the value of each term (.value), which the derivation's text does not spell out.
  const got = bare(await pop.evaluate((el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.value').forEach((v) => v.remove());
    return copy.textContent;
  }));
  if (got !== want) problems.push(`.derivation-pop says ${JSON.stringify(got)}, want the text of #${derivationId}: ${JSON.stringify(want)}`);
  // Right below the cell's table, after its colour legend when it has one.
  const placed = await cell.evaluate((td) => {
    let el = td.closest('.matrix-wrap');
    if (el && el.nextElementSibling && el.nextElementSibling.classList.contains('legend')) el = el.nextElementSibling;
    return !!el && !!el.nextElementSibling && el.nextElementSibling.classList.contains('derivation-pop');
  });
  if (!placed) problems.push('.derivation-pop is not right below the cell\'s table (and its legend)');
  return problems;
}

async function testDerivation(page, where, matrix, cellSelector, strict) {
  const cell = page.locator(`table.matrix[data-matrix="${matrix}"] ${cellSelector}`).first();
  if ((await cell.count()) === 0) {
    fail(`derivation ${where}: a computed cell of ${matrix} exists`, [`no ${cellSelector} in table ${matrix}`]);
    return;
  }
  const id = await cell.getAttribute('aria-describedby');
  const before = await page.locator('.derivation-pop').count();
  await check(`derivation ${where}: focusing ${matrix} cell ${id} shows its derivation`, async () => {
    if (before && (await page.locator('.derivation-pop').isVisible())) return ['a .derivation-pop is visible before any focus'];
    await cell.focus();
    return derivationOk(page, cell);
  });
  await check(`derivation ${where}: focusing ${matrix} cell ${id} highlights its operands (data-reads="${await cell.getAttribute('data-reads')}")`, async () =>
    operandsOk(page, cell, strict),
  );
  await check(`derivation ${where}: leaving ${matrix} cell ${id} clears the highlight`, async () => {
    await page.locator('h1').first().click();
    const got = await lit(page);
    const problems = [];
    if (got.operand.length || got.current.length) problems.push(`still lit after blur: ${[...got.current, ...got.operand].join(' ')}`);
    if (await page.locator('.derivation-pop').isVisible()) problems.push('.derivation-pop still visible after blur');
    return problems;
  });
  await check(`derivation ${where}: arrow keys move between ${matrix} cells and the derivation follows`, async () => {
    await cell.focus();
    await page.keyboard.press('ArrowRight');
    const next = page.locator(':focus');
    if ((await next.count()) !== 1 || (await next.getAttribute('data-reads')) === null) return ['ArrowRight did not move focus to another computed cell'];
    if ((await next.getAttribute('aria-describedby')) === id) return ['ArrowRight left focus on the same cell'];
    const problems = await derivationOk(page, next);
    await page.keyboard.press('Escape');
    if (await page.locator('.derivation-pop').isVisible()) problems.push('Escape did not hide .derivation-pop');
    await page.locator('h1').first().click();
    return problems;
  });
  await check(`derivation ${where}: hovering a ${matrix} cell shows its derivation and operands`, async () => {
    const other = page.locator(`table.matrix[data-matrix="${matrix}"] td[data-reads]`).last();
    await other.hover();
    const problems = [...(await derivationOk(page, other)), ...(await operandsOk(page, other, strict))];
    await page.mouse.move(0, 0);
    return problems;
  });
}

// --- without JavaScript -------------------------------------------------------------------------

async function testNoJs(page, where) {
  await check(`no-JS ${where}: every matrix value, derivation and quiz answer is on the page`, async () => {
    const r = await page.evaluate(() => {
      const problems = [];
      let values = 0;
      let hidden = 0;
      for (const td of document.querySelectorAll('table.matrix td[data-value]')) {
        values++;
        const v = parseFloat(td.getAttribute('data-value'));
        const text = td.textContent.trim().replace('\u2212', '-');
        const decimals = (text.split('.')[1] || '').length;
        const shown = parseFloat(text);
        const where = `${td.closest('table').dataset.matrix} cell "${text}" (data-value ${td.getAttribute('data-value')})`;
        if (!isFinite(v)) {
          // A masked entry: shown as −∞ (or ∞), with the one-character minus.
          if (text !== (v < 0 ? '-\u221e' : '\u221e')) problems.push(`${where}: shown text is not the infinity`);
        } else if (isNaN(shown) || Math.abs(shown - v) > 0.5 * 10 ** -decimals + 1e-9) problems.push(`${where}: shown text is not the value rounded`);
        // A value inside a closed <details> (a large matrix's full data) is one click away;
        // everything else must be rendered.
        const closed = td.closest('details:not([open])');
        const box = td.getBoundingClientRect();
        const style = getComputedStyle(td);
        if (closed) hidden++;
        else if (!box.width || !box.height || style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) problems.push(`${where}: not rendered`);
      }
      let derivations = 0;
      for (const td of document.querySelectorAll('table.matrix td[aria-describedby]')) {
        const id = td.getAttribute('aria-describedby');
        const li = document.getElementById(id);
        if (!li) problems.push(`aria-describedby="${id}" points nowhere`);
        else if (!li.closest('details') || !li.textContent.trim()) problems.push(`#${id} is empty or not inside a <details>`);
        else derivations++;
      }
      let quizzes = 0;
      for (const q of document.querySelectorAll('section.quiz')) {
        quizzes++;
        const details = q.querySelector('details.quiz-answer');
        if (!details || !/Answer/.test(details.textContent)) problems.push(`quiz #${q.id}: no answer inside <details class="quiz-answer">`);
        const right = q.querySelector('input[data-correct]');
        const label = right && q.querySelector(`label[for="${right.id}"]`);
        if (label && details && !details.textContent.includes(label.textContent.trim())) problems.push(`quiz #${q.id}: the answer does not name the right choice`);
        const button = q.querySelector('button[type=submit]');
        if (button && button.getClientRects().length) problems.push(`quiz #${q.id}: the Check button shows, but cannot work without JavaScript`);
      }
      if (document.querySelector('.derivation-pop')) problems.push('a .derivation-pop exists without JavaScript');
      return { problems, values, hidden, derivations, quizzes };
    });
    info(`no-JS ${where}: ${r.values} matrix values (${r.hidden} one click away), ${r.derivations} derivations, ${r.quizzes} quiz answers`);
    return r.problems;
  });
}

// --- layout --------------------------------------------------------------------------------------

async function testNarrow(page, where, width) {
  await check(`layout ${where} at ${width} px: no sideways scroll of the page`, async () => {
    const r = await page.evaluate(() => {
      const doc = document.documentElement;
      const wide = [];
      for (const wrap of document.querySelectorAll('.matrix-wrap')) {
        const ox = getComputedStyle(wrap).overflowX;
        if (wrap.scrollWidth > wrap.clientWidth && !/auto|scroll/.test(ox)) wide.push(`${wrap.getAttribute('aria-label')}: overflow-x ${ox}`);
      }
      // Name the widest elements that stick out, to point at the culprit.
      const culprits = [];
      for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 0.5 && !el.closest('.matrix-wrap, pre') && !(el.parentElement && el.parentElement.getBoundingClientRect().right > window.innerWidth + 0.5)) {
          let heading = el.previousElementSibling;
          while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
          culprits.push(`<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> ${Math.round(r.width)} px wide, right edge at ${Math.round(r.right)} px${heading ? `, under heading "${heading.textContent.trim()}"` : ''}`);
        }
      }
      return { scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide, culprits: culprits.slice(0, 5) };
    });
    const problems = [];
    if (r.scrollWidth > r.innerWidth) problems.push(`document scrollWidth ${r.scrollWidth} > innerWidth ${r.innerWidth}; sticking out: ${r.culprits.join('; ')}`);
    problems.push(...r.wide.map((w) => `a wide matrix does not scroll in its own box: ${w}`));
    return problems;
  });
}

// Every box that scrolls sideways shows a shadow at the edge that has more, and keeps its row
// labels in view when scrolled to its end. Returns how many boxes were wide.
async function testScrollCue(page, where, width) {
  let wide = 0;
  await check(`layout ${where} at ${width} px: wide tables and formulas show a scroll cue and keep their row labels`, async () => {
    const r = await page.evaluate(() => {
      const problems = [];
      let wide = 0;
      for (const box of document.querySelectorAll('.matrix-wrap, .table-wrap, math[display="block"]')) {
        if (box.scrollWidth <= box.clientWidth + 1 || box.closest('details:not([open])')) continue;
        wide++;
        const s = getComputedStyle(box);
        const name = box.getAttribute('aria-label') || box.tagName.toLowerCase();
        const gradients = (s.backgroundImage.match(/gradient\(/g) || []).length;
        if (gradients < 4 || !/local/.test(s.backgroundAttachment) || !/scroll/.test(s.backgroundAttachment)) {
          problems.push(`${name}: no scroll shadows (background-image has ${gradients} gradients, attachment "${s.backgroundAttachment}")`);
        }
        // The shadow at the right shows through the last visible cells: they are not opaque.
        const edge = document.elementFromPoint(box.getBoundingClientRect().right - 3, box.getBoundingClientRect().top + box.clientHeight / 2);
        const cell = edge && edge.closest('td, th');
        if (cell && box.contains(cell)) {
          const bg = getComputedStyle(cell).backgroundColor;
          const alpha = /rgba\(.*,\s*([\d.]+)\)$/.exec(bg);
          if (!alpha && bg !== 'transparent') problems.push(`${name}: the cell at the right edge is opaque (${bg}), hiding the scroll shadow`);
        }
        const label = box.querySelector('tbody tr > :first-child');
        if (label) {
          const before = label.getBoundingClientRect().left;
          box.scrollLeft = box.scrollWidth;
          const after = label.getBoundingClientRect().left;
          box.scrollLeft = 0;
          if (Math.abs(after - before) > 1) problems.push(`${name}: the row labels scroll away (left ${before} → ${after})`);
        }
      }
      return { problems, wide };
    });
    wide = r.wide;
    return r.problems;
  });
  return wide;
}

// Boxes of everything in <main> but the derivation overlay, to compare before and after.
async function boxes(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('main *'))
      .filter((el) => !el.closest('.derivation-pop'))
      .map((el) => {
        const r = el.getBoundingClientRect();
        // Not rendered (hidden): no box to move.
        if (!r.width && !r.height) return 'none';
        return `${Math.round(r.left + scrollX)},${Math.round(r.top + scrollY)},${Math.round(r.width)},${Math.round(r.height)}`;
      }),
  );
}

// `layout: equation` on the Q step: X, W_Qᵀ and Q in that order with `·` and `=` between; the
// transposed table's column q3 holds row q3 of W_Q; side by side where two fit (1280 px: the
// first sign right of X), one above the other at 375 px, with nothing scrolling sideways.
async function testEquation(browser, url, where) {
  for (const width of [1280, 375]) {
    await check(`equation ${where} at ${width} px: X · W_Qᵀ = Q, transposed, ${width > 600 ? 'side by side' : 'stacked'}`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const problems = await load(page, url);
      const got = await page.evaluate(() => {
        const eq = document.querySelector('#matrix-Q .equation');
        if (!eq) return null;
        const box = (e) => e.getBoundingClientRect();
        const terms = Array.from(eq.querySelectorAll(':scope > .term'));
        const signs = Array.from(eq.querySelectorAll(':scope > .equation-sign'));
        const t = (sel) => document.querySelector(sel);
        const value = (table, r, c) => table.tBodies[0].rows[r].getElementsByTagName('td')[c].getAttribute('data-value');
        const wq = t('table.matrix[data-matrix="W_Q"]:not([data-transposed])');
        const wqt = t('table.matrix[data-matrix="W_Q"][data-transposed]');
        return {
          names: terms.map((e) => (e.querySelector('table') || {}).dataset.matrix),
          signs: signs.map((e) => e.textContent),
          // W_Qᵀ[d2, q3] is W_Q[q3, d2].
          transposed: wq && wqt ? value(wqt, 1, 2) === value(wq, 2, 1) && value(wqt, 1, 2) !== null : false,
          firstSignRightOfX: box(signs[0]).left >= box(terms[0]).right - 1,
          stacked: terms.every((e, i) => !i || box(e).top >= box(terms[i - 1]).bottom - 1),
          scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      if (!got) return [...problems, 'no .equation in #matrix-Q'];
      if (got.names.join(' ') !== 'X W_Q Q') problems.push(`terms ${got.names.join(' ')}, want X W_Q Q`);
      if (got.signs.join(' ') !== '· =') problems.push(`signs ${got.signs.join(' ')}, want · =`);
      if (!got.transposed) problems.push('W_Qᵀ[d2, q3] is not W_Q[q3, d2]');
      if (width > 600 && !got.firstSignRightOfX) problems.push('the · is not beside X');
      if (width <= 600 && !got.stacked) problems.push('the terms are not one above the other');
      if (got.scroll > 0) problems.push(`the page scrolls sideways by ${got.scroll} px`);
      await context.close();
      return problems;
    });
  }
}

async function testSteady(page, where, matrix) {
  await check(`steady ${where}: hovering and focusing ${matrix} cells moves nothing (zero layout shift)`, async () => {
    await page.evaluate(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => { window.__shift += e.value; })).observe({ type: 'layout-shift' });
    });
    const before = await boxes(page);
    const cells = page.locator(`table.matrix[data-matrix="${matrix}"] td[data-reads]`);
    const problems = [];
    for (const i of [0, (await cells.count()) - 1]) {
      await cells.nth(i).hover();
      await page.waitForTimeout(50);
      if (!(await page.locator('.derivation-pop').isVisible())) problems.push(`hovering cell ${i} shows no derivation`);
      const lines = await page.locator('.derivation-pop .terms > *').count();
      if (!lines) problems.push('the derivation is not laid out one term per line');
      const during = await boxes(page);
      const moved = during.filter((b, k) => b !== before[k]).length;
      if (moved) problems.push(`hovering cell ${i}: ${moved} elements moved or resized`);
      await cells.nth(i).focus();
      const focused = await boxes(page);
      const moved2 = focused.filter((b, k) => b !== before[k]).length;
      if (moved2) problems.push(`focusing cell ${i}: ${moved2} elements moved or resized`);
    }
    await page.locator('h1').first().click();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(50);
    const shift = await page.evaluate(() => window.__shift);
    if (shift > 0) problems.push(`layout shift score ${shift}`);
    info(`steady ${where}: layout shift ${shift}`);
    return problems;
  });
}

// Progress: visit two steps of the seed, solve a fixture quiz, reload, forget.
async function testProgress(browser, origin, requests, seed, fixture) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await guard(context, origin, requests);
  const page = await context.newPage();
  const marks = () => page.evaluate(() => Array.from(document.querySelectorAll('.progress-mark')).map((m) => m.closest('a').getAttribute('href')));
  await check('progress: visited steps show in the step list and on the overview after a reload', async () => {
    const problems = [];
    await load(page, server_url(origin, seed.prefix + 'qkv-projections/01-recap.html'));
    await load(page, server_url(origin, seed.prefix + STEP_PAGE));
    await page.reload();
    const got = await marks();
    for (const want of ['01-recap.html', '03-query.html']) if (!got.includes(want)) problems.push(`the sidebar does not mark ${want} as visited: ${got.join(' ')}`);
    if (got.includes('02-why-three.html')) problems.push('an unvisited step is marked');
    await load(page, server_url(origin, seed.prefix + 'qkv-projections/index.html'));
    const overview = await marks();
    for (const want of ['01-recap.html', '03-query.html']) if (!overview.includes(want)) problems.push(`the overview does not mark ${want}: ${overview.join(' ')}`);
    if (!(await page.locator('button.forget').isVisible())) problems.push('no visible "Forget my progress" button on the overview');
    return problems;
  });
  await check('progress: a solved quiz is remembered and the step shows its quiz score', async () => {
    const problems = [];
    const url = server_url(origin, fixture.prefix + FIXTURE_PAGE);
    await load(page, url);
    const n = await page.locator('form[data-quiz]').count();
    const radio = page.locator('form[data-quiz] input[data-correct]').first();
    await page.locator(`label[for="${await radio.getAttribute('id')}"]`).click();
    await radio.locator('xpath=ancestor::form').locator('button[type=submit]').click();
    await page.reload();
    await page.waitForTimeout(50);
    const score = norm(await page.locator('.step-progress').textContent());
    if (!(await page.locator('.step-progress').isVisible()) || !score.includes(`1 of ${n}`)) problems.push(`the step's quiz score says ${JSON.stringify(score)}, want "1 of ${n}"`);
    const solved = await page.locator('form.is-right').count();
    if (solved !== 1) problems.push(`${solved} quizzes show as solved after the reload, want 1`);
    const mark = norm(await page.locator('.sidebar [aria-current="page"] .progress-mark').textContent().catch(() => ''));
    if (!mark.includes(`1/${n}`)) problems.push(`the sidebar mark of this step says ${JSON.stringify(mark)}, want 1/${n}`);
    return problems;
  });
  await check('progress: "Forget my progress" clears it, also after a reload', async () => {
    const problems = [];
    // On the overview, which is not a step: reloading it visits no step again.
    await load(page, server_url(origin, seed.prefix + 'qkv-projections/index.html'));
    await page.locator('button.forget').click();
    if ((await marks()).length) problems.push(`marks remain after forgetting: ${(await marks()).join(' ')}`);
    await page.reload();
    if ((await marks()).length) problems.push(`marks come back after a reload: ${(await marks()).join(' ')}`);
    return problems;
  });
  await context.close();
}
const server_url = (origin, p) => origin + p;

// Without JavaScript, pressing Enter in a quiz must not submit the form (no navigation).
async function testNoSubmit(page, where) {
  await check(`no-JS ${where}: Enter in a quiz does not submit it`, async () => {
    const problems = [];
    const url = page.url();
    for (const sel of ['form[data-quiz] input[type=text]', 'form[data-quiz] input[type=radio]']) {
      const input = page.locator(sel).first();
      if (!(await input.count())) continue;
      if (sel.includes('text')) await input.fill('0.5');
      else await input.check();
      await input.press('Enter');
      await page.waitForTimeout(300);
      if (page.url() !== url) {
        problems.push(`Enter in ${sel} navigated to ${page.url()}`);
        await page.goto(url);
      }
    }
    return problems;
  });
}

// --- main --------------------------------------------------------------------------------------

// The search field of `url`: "/" focuses it, a prefix of a word of step 4 finds it, Enter on
// the result opens it at its heading.
const SEARCH = {
  query: 'MISMATCH',
  where: 'Query, Key & Value Projections › Key: the label a token wears',
  heading: 'Scores come from query · key',
  mark: 'mismatched',
  opens: 'qkv-projections/04-key.html#scores-come-from-query-key',
};
async function testSearch(page, url, where) {
  await check(`search ${where}: "/" focuses the field, "${SEARCH.query}" lists step 4 with its heading and a marked snippet (axe-clean, light and dark), Enter opens it at the heading`, async () => {
    const problems = [];
    const errors = [];
    const onError = (e) => errors.push(e.message);
    page.on('pageerror', onError);
    try {
      await page.goto(url, { waitUntil: 'load' });
      const form = page.locator('form.search');
      if (!(await form.isVisible())) return ['the search field is not visible'];
      await page.locator('main').click({ position: { x: 1, y: 1 } });
      await page.keyboard.press('/');
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
      if (focused !== 'lectern-search') problems.push(`"/" focused ${focused || 'nothing'}, not the search field`);
      await page.locator('#lectern-search').focus();
      await page.keyboard.type(SEARCH.query);
      const first = page.locator('.search-results li a').first();
      await first.waitFor({ timeout: 5000 });
      const text = norm(await first.locator('.search-where').textContent());
      if (text !== SEARCH.where) problems.push(`first result is "${text}", want "${SEARCH.where}"`);
      const heading = norm(await first.locator('.search-heading').textContent().catch(() => ''));
      if (heading !== SEARCH.heading) problems.push(`its heading is "${heading}", want "${SEARCH.heading}"`);
      const marks = (await first.locator('mark').allTextContents()).map((m) => m.toLowerCase());
      if (!marks.includes(SEARCH.mark)) problems.push(`its snippet marks ${JSON.stringify(marks)}, want "${SEARCH.mark}"`);
      // The open results, light and dark, as axe sees them.
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
        const bad = await page.evaluate(async () => {
          const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] }, resultTypes: ['violations'] });
          return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
        });
        for (const b of bad) problems.push(`axe, results open, ${scheme}: ${b}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await page.locator('#lectern-search').focus();
      await page.keyboard.press('ArrowDown');
      const onLink = await page.evaluate(() => document.activeElement && document.activeElement.closest('.search-results') !== null);
      if (!onLink) problems.push('ArrowDown did not move to the first result');
      await Promise.all([page.waitForURL((u) => u.toString().endsWith(SEARCH.opens), { timeout: 5000 }), page.keyboard.press('Enter')]);
      const target = await page.evaluate(() => {
        const el = document.getElementById(location.hash.slice(1));
        return el ? el.getBoundingClientRect().top : null;
      });
      if (target === null || target < -2 || target > 200) problems.push(`the heading is not at the top of the window (top ${target})`);
    } catch (e) {
      problems.push(String(e && e.message ? e.message.split('\n')[0] : e));
    } finally {
      page.off('pageerror', onError);
    }
    return problems.concat(errors.map((e) => `JavaScript error: ${e}`));
  });
}

async function main() {
  watchdog(10 * 60 * 1000, 'browser suite');
  const { seed, fixture, shots } = args();
  fs.mkdirSync(shots, { recursive: true });
  const server = await serve({ [seed.prefix]: seed.dir, [fixture.prefix]: fixture.dir }, { lifetimeMs: 10 * 60 * 1000 });
  const origin = server.origin;
  const requests = [];
  const { browser, close } = await launch();
  const sites = [seed, fixture].map((s) => ({ ...s, pages: htmlPages(s.dir) }));
  const counts = { choice: 0, numeric: 0, seedQuizzes: 0 };
  try {
    // 1. Every page with JavaScript: loads cleanly; every quiz gives feedback.
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await guard(context, origin, requests);
      const page = await context.newPage();
      for (const site of sites) {
        for (const rel of site.pages) {
          const where = site.prefix + rel;
          const problems = await load(page, server.url(where), { status: 200 });
          if (problems.length) fail(`load ${where}: page, stylesheet and script load without errors`, problems);
          else pass(`load ${where}: page, stylesheet and script load without errors`);
          const forms = page.locator('form[data-quiz]');
          const n = await forms.count();
          for (let i = 0; i < n; i++) {
            const kind = await testQuiz(page, forms.nth(i), where);
            counts[kind]++;
            if (site.prefix === seed.prefix) counts.seedQuizzes++;
          }
        }
      }
      if (!counts.seedQuizzes) info(`the seed site has no quiz yet; the fixture's quizzes (${fixture.prefix}${FIXTURE_PAGE}) are the ones tested`);
      await check(`quizzes: at least one choice and one numeric quiz were tested (${counts.choice} choice, ${counts.numeric} numeric; ${counts.seedQuizzes} on the seed site)`, async () =>
        counts.choice && counts.numeric ? [] : [`tested ${counts.choice} choice and ${counts.numeric} numeric quizzes`],
      );

      // 2. Derivations: the seed's step page (Q = X @ W_Q^T laid out as its equation: X, defined
      //    on an earlier page, and W_Q transposed beside Q, and W_Q's own table above), and the
      //    fixture, where every operand shares the page. All must light up.
      await load(page, server.url(seed.prefix + STEP_PAGE));
      await testDerivation(page, seed.prefix + STEP_PAGE, 'Q', 'td[aria-describedby="why-Q-1-2"]', true);
      await testEquation(browser, server.url(seed.prefix + STEP_PAGE), seed.prefix + STEP_PAGE);
      await load(page, server.url(fixture.prefix + FIXTURE_PAGE));
      await testDerivation(page, fixture.prefix + FIXTURE_PAGE, 'Q', 'td[data-reads]', true);
      for (const [where, matrix] of [[seed.prefix + STEP_PAGE, 'Q'], [fixture.prefix + FIXTURE_PAGE, 'Q']]) {
        await load(page, server.url(where));
        await testSteady(page, where, matrix);
      }

      // 3. 404.html for a missing page: styled, and its links stay under the subpath.
      for (const site of sites) {
        const url = server.url(`${site.prefix}no/such/page.html`);
        await check(`404 ${site.prefix}no/such/page.html: 404.html is served, styled, and links inside ${site.prefix}`, async () => {
          const problems = await load(page, url, { status: 404 });
          if (!/not found/i.test(await page.locator('h1').textContent())) problems.push('no "not found" heading');
          const rules = await page.evaluate(() => Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0));
          if (!rules) problems.push('no stylesheet rules applied');
          const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]')).map((a) => a.href));
          for (const href of hrefs) {
            const u = new URL(href);
            if (u.origin !== origin || !u.pathname.startsWith(site.prefix)) {
              problems.push(`link leaves ${site.prefix}: ${href}`);
              continue;
            }
            if (u.pathname === new URL(url).pathname) continue; // in-page anchor (skip link)
            const res = await page.request.get(href.split('#')[0]);
            if (res.status() !== 200) problems.push(`link ${href} answers ${res.status()}`);
          }
          return problems;
        });
      }

      // 4. Light and dark follow prefers-color-scheme.
      await check(`colour scheme: ${seed.prefix + STEP_PAGE} looks different in dark mode`, async () => {
        await load(page, server.url(seed.prefix + STEP_PAGE));
        const look = async (scheme) => {
          await page.emulateMedia({ colorScheme: scheme });
          return page.evaluate(() => {
            const s = (el) => getComputedStyle(el);
            return { bg: s(document.body).backgroundColor, fg: s(document.body).color };
          });
        };
        const light = await look('light');
        const dark = await look('dark');
        await page.emulateMedia({ colorScheme: 'light' });
        info(`colours light ${JSON.stringify(light)}, dark ${JSON.stringify(dark)}`);
        return light.bg !== dark.bg && light.fg !== dark.fg ? [] : ['body background and text colour do not change with prefers-color-scheme'];
      });
      // 4b. Search, under the subpath.
      await testSearch(page, server.url(seed.prefix + STEP_PAGE), seed.prefix + STEP_PAGE);
      await context.close();
    }

    // 4c. Search from file://: the same files, opened from disk (no server, so no guard).
    {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const url = 'file://' + path.resolve(seed.dir, STEP_PAGE);
      await testSearch(page, url, url);
      await context.close();
    }

    // 5. Without JavaScript.
    {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
      await guard(context, origin, requests);
      const page = await context.newPage();
      for (const site of sites) {
        for (const rel of site.pages) {
          await load(page, server.url(site.prefix + rel));
          await testNoJs(page, site.prefix + rel);
        }
        await check(`no-JS ${site.prefix}: the search field is hidden`, async () => {
          await load(page, server.url(site.prefix + site.pages[0]));
          const form = page.locator('form.search');
          return (await form.count()) && !(await form.isVisible()) ? [] : ['form.search is missing or visible'];
        });
      }
      await load(page, server.url(fixture.prefix + FIXTURE_PAGE));
      await testNoSubmit(page, fixture.prefix + FIXTURE_PAGE);
      await context.close();
    }

    // 5b. Progress in localStorage.
    await testProgress(browser, origin, requests, seed, fixture);

    // 6. Narrow screens, then screenshots.
    for (const width of [375, 320]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
      await guard(context, origin, requests);
      const page = await context.newPage();
      let wide = 0;
      for (const site of sites) {
        for (const rel of site.pages) {
          await load(page, server.url(site.prefix + rel));
          await testNarrow(page, site.prefix + rel, width);
          wide += await testScrollCue(page, site.prefix + rel, width);
        }
      }
      await check(`layout at ${width} px: some table or formula is wide enough to scroll, so the scroll cue was tested (${wide})`, async () => (wide ? [] : ['no wide box found']));
      await context.close();
    }
    const shotList = [];
    for (const scheme of ['light', 'dark']) {
      for (const width of [1280, 375]) {
        const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1, colorScheme: scheme });
        await guard(context, origin, requests);
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme: scheme });
        const base = path.basename(STEP_PAGE, '.html');
        const file = path.join(shots, `${base}-${width}-${scheme}.png`);
        await load(page, server.url(seed.prefix + STEP_PAGE));
        await page.screenshot({ path: file, fullPage: true });
        shotList.push([file, width]);
        const overview = path.join(shots, `overview-${width}-${scheme}.png`);
        await load(page, server.url(seed.prefix + 'qkv-projections/index.html'));
        await page.screenshot({ path: overview, fullPage: true });
        shotList.push([overview, width]);
        await load(page, server.url(seed.prefix + STEP_PAGE));
        if (width === 1280) {
          // The interactive features, for a reviewer's eye: a focused cell and answered quizzes.
          const cell = page.locator('table.matrix[data-matrix="Q"] td[aria-describedby="why-Q-1-2"]');
          if (await cell.count()) {
            await cell.focus();
            // From W_Q (operand row lit) down to Q (current cell and its derivation).
            const box = await page.evaluate(() => {
              const figs = ['matrix-W_Q', 'matrix-Q'].map((id) => document.getElementById(id)).filter(Boolean);
              const rs = figs.map((f) => f.getBoundingClientRect());
              const top = Math.min(...rs.map((r) => r.top)) + window.scrollY - 8;
              const bottom = Math.max(...rs.map((r) => r.bottom)) + window.scrollY + 8;
              const left = Math.min(...rs.map((r) => r.left)) - 8;
              const right = Math.max(...rs.map((r) => r.right)) + 8;
              return { x: Math.max(0, left), y: Math.max(0, top), width: right - Math.max(0, left), height: bottom - Math.max(0, top) };
            });
            const f = path.join(shots, `${base}-focused-cell-${width}-${scheme}.png`);
            await page.screenshot({ path: f, fullPage: true, clip: box });
            shotList.push([f, null]);
          }
          await load(page, server.url(fixture.prefix + FIXTURE_PAGE));
          const radio = page.locator('form[data-quiz] input[data-correct]').first();
          if (await radio.count()) {
            await page.locator(`label[for="${await radio.getAttribute('id')}"]`).click();
            await page.locator('form[data-quiz] button[type=submit]').first().click();
          }
          // The sidebar is sticky: scroll back so that a full-page shot shows it where it belongs.
          await page.evaluate(() => window.scrollTo(0, 0));
          const f = path.join(shots, `fixture-quiz-${width}-${scheme}.png`);
          await page.screenshot({ path: f, fullPage: true });
          shotList.push([f, width]);
        }
        await context.close();
      }
    }
    // Every page of the seed site at 1280 and 375 px (light), for a reviewer's eye.
    for (const width of [1280, 375]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      await guard(context, origin, requests);
      const page = await context.newPage();
      for (const rel of sites[0].pages) {
        await load(page, server.url(seed.prefix + rel));
        const file = path.join(shots, 'pages', `${rel.replace(/\//g, '__').replace(/\.html$/, '')}-${width}.png`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await page.screenshot({ path: file, fullPage: true });
        shotList.push([file, width]);
      }
      await context.close();
    }
    await check(`screenshots: ${STEP_PAGE} at 1280 and 375 px, light and dark, and every page at 1280 and 375 px, saved in ${shots}`, async () => {
      const problems = [];
      for (const [file, width] of shotList) {
        const size = fs.existsSync(file) && pngSize(file);
        if (!size) problems.push(`${file}: missing or not a PNG`);
        else if (width && size.width < width) problems.push(`${file}: ${size.width} px wide, want at least ${width}`);
        else if (!file.includes(`${path.sep}pages${path.sep}`)) info(`screenshot ${file} (${size.width}×${size.height})`);
      }
      return problems;
    });

    // 7. Nothing left 127.0.0.1.
    await check(`network: no request left ${origin} (${requests.length} requests seen)`, async () => {
      const outside = [...new Set(requests.filter((u) => !u.startsWith(origin + '/') && !/^(data|blob|about):/.test(u)))];
      return outside.map((u) => `request to ${u}`);
    });
  } finally {
    await close();
    await server.close();
  }
  process.exitCode = summary() ? 1 : 0;
}

main().catch((e) => {
  console.log(`FAIL browser suite ran to the end\n  ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
