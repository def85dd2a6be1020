// "Try it" reproduces the build: for every page of the given sites that carries an expression
// graph, evaluate the graph with assets/try.js's own evaluator (no edit) and require, for every
// computed table, inline value, computed quiz answer and product derivation on the page, the
// same shown text as the build wrote and a value within 1e-12 relative of its data-value.
//
// usage: node try_check.js SITE_DIR [SITE_DIR ...]
'use strict';

const fs = require('fs');
const path = require('path');
const { check, info, htmlPages, summary } = require('./lib');

const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]);
const close = (a, b) => a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));

// Every table of matrix `name` on a page (its block, and its copies in equations), each as
// `{ r, c, cells, operand }` with the cells `[data-value, text]` in the matrix's order: a copy
// shown transposed is turned back.
function tablesOf(html, name) {
  const re = new RegExp(`<table class="matrix( operand)?" data-matrix="${name}" data-shape="(\\d+)x(\\d+)"( data-transposed="")?>([\\s\\S]*?)</table>`, 'g');
  return [...html.matchAll(re)].map((t) => {
    const [r, c] = [+t[2], +t[3]];
    const shown = [...t[5].matchAll(/<td data-value="([^"]*)"[^>]*>([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    const cells = t[4] === undefined ? shown : shown.map((_, k) => shown[(k % c) * r + Math.floor(k / c)]);
    return { r, c, cells, operand: t[1] !== undefined };
  });
}

let pages = 0;
let numbers = 0;
let identical = 0;
(async () => {
  for (const dir of process.argv.slice(2)) {
    const T = require(path.resolve(dir, 'assets/try.js'));
    for (const rel of htmlPages(dir)) {
      const html = fs.readFileSync(path.join(dir, rel), 'utf8');
      const m = html.match(/<script type="application\/json" id="lectern-graph">([\s\S]*?)<\/script>/);
      if (!m) continue;
      pages++;
      await check(`try it reproduces ${path.basename(dir)}/${rel}`, () => {
        const problems = [];
        const graph = JSON.parse(m[1]);
        // The tables a learner may edit hold their values in their cells.
        const inputs = {};
        for (const n of graph.n.filter((n) => n.in)) {
          const [t] = tablesOf(html, n.name);
          if (!t) { problems.push(`no table of the input ${n.name}`); continue; }
          inputs[n.name] = { r: t.r, c: t.c, d: t.cells.map((c) => Number(c[0])) };
        }
        const env = T.run(graph, inputs);
        const same = (what, value, dataValue, text, wantText) => {
          numbers++;
          if (Number(dataValue) === value) identical++;
          if (!close(value, Number(dataValue))) problems.push(`${what}: computed ${value}, the build wrote ${dataValue}`);
          if (text !== wantText) problems.push(`${what}: shows "${wantText}", the build wrote "${text}"`);
        };
        const computed = new Map(graph.n.filter((n) => n.e !== undefined).map((n) => [n.name, n.e]));
        let tables = 0;
        for (const [name, [precision]] of Object.entries(graph.t)) {
          if (!computed.has(name)) continue;
          const all = tablesOf(html, name);
          if (!all.length) { problems.push(`no table of ${name}`); continue; }
          const value = env[name];
          const e = computed.get(name);
          const a = e[0] === '@' && T.evaluate(e[1], env);
          const b = e[0] === '@' && T.evaluate(e[2], env);
          for (const t of all) {
            tables++;
            const where = t.operand ? `${name} (in an equation)` : name;
            if (t.cells.length !== value.r * value.c) problems.push(`${where}: ${t.cells.length} cells, computed ${value.r}×${value.c}`);
            t.cells.forEach((c, k) => {
              const [i, j] = [Math.floor(k / value.c), k % value.c];
              same(`${where}[${i}, ${j}]`, value.d[k], c[0], decode(c[1]), T.rounded(value.d[k], precision));
              if (t.operand) return;
              const li = html.match(new RegExp(`<li id="why-${name}-${i}-${j}"( data-products="([^"]*)")?>([^<]*)</li>`));
              if (!li) return;
              const derivation = decode(li[3]);
              if (a) {
                const head = derivation.split(' = ').slice(0, 2).join(' = ');
                const s = T.productDerivation(head, a, b, i, j, value.d[k], precision);
                if (s.text !== derivation) problems.push(`derivation of ${name}[${i}, ${j}]:\n  build: ${derivation}\n  try:   ${s.text}`);
                if (s.products !== (li[2] || '')) problems.push(`products of ${name}[${i}, ${j}]: build "${li[2]}", try "${s.products}"`);
              } else {
                // The tail: the value, or the value and why a masked entry is what it is.
                const last = derivation.split(' = ').pop().split(': masked')[0];
                const masked = derivation.includes(': masked') && value.d[k] === 0 && last === '0';
                if (!masked && last !== T.rounded(value.d[k], precision)) problems.push(`derivation of ${name}[${i}, ${j}] ends "${last}", try shows ${T.rounded(value.d[k], precision)}`);
              }
            });
          }
        }
        for (const d of html.matchAll(/<data class="value" value="([^"]*)" title="([^"]*)">([^<]*)<\/data>/g)) {
          const g = graph.i[decode(d[2])];
          if (!g) continue;
          const v = T.scalar(T.evaluate(g[0], env));
          same(`inline value ${decode(d[2])}`, v, d[1], decode(d[3]), T.inline(v, g[1]));
        }
        for (const [id, g] of Object.entries(graph.q)) {
          const q = html.match(new RegExp(`<section class="quiz" id="${id}"[\\s\\S]*?data-value="([^"]*)"[\\s\\S]*?<strong>Answer:</strong> ([^<]*)</p>`));
          if (!q) { problems.push(`no numeric quiz ${id}`); continue; }
          const v = T.scalar(T.evaluate(g[0], env));
          same(`answer of ${id}`, v, q[1], decode(q[2]), T.inline(v, g[1]));
        }
        if (!tables && !Object.keys(graph.i).length && !Object.keys(graph.q).length) problems.push('a graph with nothing computed on the page');
        return problems;
      });
    }
  }
  info(`try it: ${pages} pages, ${numbers} numbers compared, ${identical} of them bit for bit equal`);
  await check('try it: at least one page carries an expression graph', () => (pages ? [] : ['no page has one']));
  summary();
})();
