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
          const t = html.match(new RegExp(`<table class="matrix" data-matrix="${n.name}" data-shape="(\\d+)x(\\d+)">([\\s\\S]*?)</table>`));
          if (!t) { problems.push(`no table of the input ${n.name}`); continue; }
          const d = [...t[3].matchAll(/<td data-value="([^"]*)"/g)].map((c) => Number(c[1]));
          inputs[n.name] = { r: +t[1], c: +t[2], d };
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
          const t = html.match(new RegExp(`<table class="matrix" data-matrix="${name}"[^>]*>([\\s\\S]*?)</table>`));
          if (!t) { problems.push(`no table of ${name}`); continue; }
          tables++;
          const value = env[name];
          const cells = [...t[1].matchAll(/<td data-value="([^"]*)"[^>]*>([^<]*)<\/td>/g)];
          if (cells.length !== value.r * value.c) problems.push(`${name}: ${cells.length} cells, computed ${value.r}×${value.c}`);
          const e = computed.get(name);
          const a = e[0] === '@' && T.evaluate(e[1], env);
          const b = e[0] === '@' && T.evaluate(e[2], env);
          cells.forEach((c, k) => {
            const [i, j] = [Math.floor(k / value.c), k % value.c];
            same(`${name}[${i}, ${j}]`, value.d[k], c[1], decode(c[2]), T.rounded(value.d[k], precision));
            const li = html.match(new RegExp(`<li id="why-${name}-${i}-${j}"( data-products="([^"]*)")?>([^<]*)</li>`));
            if (!li) return;
            const story = decode(li[3]);
            if (a) {
              const head = story.split(' = ').slice(0, 2).join(' = ');
              const s = T.productStory(head, a, b, i, j, value.d[k], precision);
              if (s.text !== story) problems.push(`derivation of ${name}[${i}, ${j}]:\n  build: ${story}\n  try:   ${s.text}`);
              if (s.products !== (li[2] || '')) problems.push(`products of ${name}[${i}, ${j}]: build "${li[2]}", try "${s.products}"`);
            } else {
              // The tail: the value, or the value and why a masked entry is what it is.
              const last = story.split(' = ').pop().split(': masked')[0];
              const masked = story.includes(': masked') && value.d[k] === 0 && last === '0';
              if (!masked && last !== T.rounded(value.d[k], precision)) problems.push(`derivation of ${name}[${i}, ${j}] ends "${last}", try shows ${T.rounded(value.d[k], precision)}`);
            }
          });
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
