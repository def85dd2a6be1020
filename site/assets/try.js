(function () {
  "use strict";
  var MINUS = "\u2212";

  function exact(v) {
    if (v === Infinity || v === -Infinity) return v < 0 ? "-Infinity" : "Infinity";
    var s = String(v), m = s.match(/^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/);
    if (!m) return s;
    var digits = m[2] + (m[3] || ""), e = +m[4];
    return e < 0 ? m[1] + "0." + "0".repeat(-e - 1) + digits : m[1] + digits + "0".repeat(e + 1 - digits.length);
  }
  function rounded(v, p) {
    if (v !== v) return "NaN";
    if (v === Infinity || v === -Infinity) return v < 0 ? MINUS + "\u221e" : "\u221e";
    var s = exact(v), neg = s.charAt(0) === "-";
    if (neg) s = s.slice(1);
    var dot = s.indexOf("."), whole = dot < 0 ? s : s.slice(0, dot), frac = dot < 0 ? "" : s.slice(dot + 1);
    var d = (whole + (frac + "0".repeat(p)).slice(0, p)).split("").map(Number);
    if (frac.length > p && frac.charAt(p) >= "5") {
      var k = d.length - 1;
      while (k >= 0 && d[k] === 9) d[k--] = 0;
      if (k < 0) d.unshift(1); else d[k]++;
    }
    var n = d.length - p, out = d.slice(0, n).join("") + (p ? "." + d.slice(n).join("") : "");
    return (neg && /[1-9]/.test(out) ? MINUS : "") + out;
  }
  function inline(v, p) {
    if (p !== null && p !== undefined) return rounded(v, p);
    return rounded(v, Number.isInteger(v) && Math.abs(v) < 1e15 ? 0 : 3);
  }

  var F = new Float64Array(1), W = new Uint32Array(F.buffer), HI = new Uint8Array(new Uint16Array([1]).buffer)[0] ? 1 : 0;
  function high(x) { F[0] = x; return W[HI] >>> 0; }
  function lowZero(x) { F[0] = x; W[1 - HI] = 0; return F[0]; }
  function poly(z, c) { var r = 0; for (var i = c.length - 1; i >= 0; i--) r = c[i] + z * r; return r; }
  var ERX = 0.8450629115104675, EFX8 = 1.0270333367641007,
    PP = [0.12837916709551256, -0.3250421072470015, -0.02848174957559851, -0.005770270296489442, -2.3763016656650163e-05],
    QQ = [1, 0.39791722395915535, 0.0650222499887673, 0.005081306281875766, 0.00013249473800432164, -3.960228278775368e-06],
    PA = [-0.0023621185607526594, 0.41485611868374833, -0.3722078760357013, 0.31834661990116175, -0.11089469428239668, 0.035478304325618236, -0.002166375594868791],
    QA = [1, 0.10642088040084423, 0.540397917702171, 0.07182865441419627, 0.12617121980876164, 0.01363708391202905, 0.011984499846799107],
    RA = [-0.009864944034847148, -0.6938585727071818, -10.558626225323291, -62.375332450326006, -162.39666946257347, -184.60509290671104, -81.2874355063066, -9.814329344169145],
    SA = [1, 19.651271667439257, 137.65775414351904, 434.56587747522923, 645.3872717332679, 429.00814002756783, 108.63500554177944, 6.570249770319282, -0.0604244152148581],
    RB = [-0.0098649429247001, -0.799283237680523, -17.757954917754752, -160.63638485582192, -637.5664433683896, -1025.0951316110772, -483.5191916086514],
    SB = [1, 30.33806074348246, 325.7925129965739, 1536.729586084437, 3199.8582195085955, 2553.0504064331644, 474.52854120695537, -22.44095244658582];
  function erfc2(ix, x) {
    if (ix < 0x3ff40000) { var s1 = Math.abs(x) - 1; return 1 - ERX - poly(s1, PA) / poly(s1, QA); }
    x = Math.abs(x);
    var s = 1 / (x * x), big = ix < 0x4006db6d;
    var r = poly(s, big ? RA : RB), q = poly(s, big ? SA : SB), z = lowZero(x);
    return Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + r / q) / x;
  }
  function erf(x) {
    var ix = high(x), sign = ix >>> 31;
    ix &= 0x7fffffff;
    if (ix >= 0x7ff00000) return 1 - 2 * sign + 1 / x;
    if (ix < 0x3feb0000) {
      if (ix < 0x3e300000) return 0.125 * (8 * x + EFX8 * x);
      var z = x * x;
      return x + x * (poly(z, PP) / poly(z, QQ));
    }
    var y = ix < 0x40180000 ? 1 - erfc2(ix, x) : 1 - 2.2250738585072014e-308;
    return sign ? -y : y;
  }

  function mat(r, c, f) {
    var d = new Array(r * c);
    for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) d[i * c + j] = f(i, j);
    return { r: r, c: c, d: d };
  }
  function at(m, i, j) { return m.d[i * m.c + j]; }
  function map(x, f) { return typeof x === "number" ? f(x) : mat(x.r, x.c, function (i, j) { return f(at(x, i, j)); }); }
  function sum(xs) { var s = 0; for (var i = 0; i < xs.length; i++) s += xs[i]; return s; }
  function row(m, i) { return m.d.slice(i * m.c, i * m.c + m.c); }
  function rowsOf(m, f) { return mat(m.r, 1, function (i) { return f(row(m, i)); }); }
  function meanVar(r) {
    var mean = sum(r) / r.length;
    return [mean, sum(r.map(function (v) { return (v - mean) * (v - mean); })) / r.length];
  }
  var OPS = {
    "+": function (a, b) { return a + b; }, "-": function (a, b) { return a - b; },
    "*": function (a, b) { return a * b; }, "/": function (a, b) { return a / b; }
  };
  var ENTRY = {
    sqrt: Math.sqrt, exp: Math.exp, log: Math.log, abs: Math.abs, tanh: Math.tanh, sin: Math.sin, cos: Math.cos,
    sigmoid: function (x) { return 1 / (1 + Math.exp(-x)); },
    relu: function (x) { return x > 0 ? x : 0; },
    gelu: function (x) { return 0.5 * x * (1 + erf(x / Math.SQRT2)); }
  };
  var REDUCE = {
    sum: sum,
    mean: function (r) { return sum(r) / r.length; },
    "var": function (r) { return meanVar(r)[1]; },
    max: function (r) { return r.reduce(function (a, b) { return b > a || a !== a ? b : a; }, -Infinity); },
    min: function (r) { return r.reduce(function (a, b) { return b < a || a !== a ? b : a; }, Infinity); }
  };
  function stack(parts, horizontal) {
    var r = horizontal ? parts[0].r : sum(parts.map(function (m) { return m.r; }));
    var c = horizontal ? sum(parts.map(function (m) { return m.c; })) : parts[0].c;
    var d = [];
    for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) {
      var k = 0, ii = i, jj = j;
      if (horizontal) while (jj >= parts[k].c) jj -= parts[k++].c;
      else while (ii >= parts[k].r) ii -= parts[k++].r;
      d.push(at(parts[k], ii, jj));
    }
    return { r: r, c: c, d: d };
  }
  function call(name, a) {
    if (ENTRY[name]) return map(a[0], ENTRY[name]);
    if (REDUCE[name]) return rowsOf(a[0], REDUCE[name]);
    switch (name) {
      case "softmax": return mat(a[0].r, a[0].c, (function (m) {
        var rows = [];
        for (var i = 0; i < m.r; i++) {
          var r = row(m, i), max = REDUCE.max(r), e = r.map(function (v) { return Math.exp(v - max); }), s = sum(e);
          rows.push(e.map(function (v) { return v / s; }));
        }
        return function (i, j) { return rows[i][j]; };
      })(a[0]));
      case "rows": return a[0].r;
      case "cols": return a[0].c;
      case "ones": case "zeros": return mat(a[0], a[1], function () { return name === "ones" ? 1 : 0; });
      case "eye": return mat(a[0], a[0], function (i, j) { return i === j ? 1 : 0; });
      case "causal_mask": return mat(a[0], a[0], function (i, j) { return j > i ? -Infinity : 0; });
      case "hstack": case "vstack": return stack(a, name === "hstack");
      case "layernorm":
        var eps = a.length > 3 ? a[3] : 1e-5, x = a[0], mv = [];
        for (var i = 0; i < x.r; i++) mv.push(meanVar(row(x, i)));
        return mat(x.r, x.c, function (i, j) {
          return (at(x, i, j) - mv[i][0]) / Math.sqrt(mv[i][1] + eps) * a[1].d[j] + a[2].d[j];
        });
    }
    throw new Error("unknown function " + name);
  }
  function evaluate(e, env) {
    if (typeof e === "number") return e;
    if (typeof e === "string") return env[e];
    var op = e[0], x = function (k) { return evaluate(e[k], env); };
    if (op === "f") return call(e[1], e.slice(2).map(function (a) { return evaluate(a, env); }));
    if (op === "-" && e.length === 2) return map(x(1), function (v) { return -v; });
    if (op === "T") { var t = x(1); return typeof t === "number" ? t : mat(t.c, t.r, function (i, j) { return at(t, j, i); }); }
    if (op === "ix") return at(x(1), e[2], e[3]);
    if (op === "sl") { var m = x(1); return mat(e[2].length, e[3].length, function (i, j) { return at(m, e[2][i], e[3][j]); }); }
    var a = x(1), b = x(2);
    if (op === "@") return mat(a.r, b.c, function (i, j) {
      var s = 0;
      for (var k = 0; k < a.c; k++) s += at(a, i, k) * at(b, k, j);
      return s;
    });
    if (op === "**") return map(a, function (v) { return Math.pow(v, b); });
    var f = OPS[op];
    if (typeof a === "number" && typeof b === "number") return f(a, b);
    if (typeof b === "number") return map(a, function (v) { return f(v, b); });
    if (typeof a === "number") return map(b, function (v) { return f(a, v); });
    return mat(Math.max(a.r, b.r), Math.max(a.c, b.c), function (i, j) {
      return f(at(a, Math.min(i, a.r - 1), Math.min(j, a.c - 1)), at(b, Math.min(i, b.r - 1), Math.min(j, b.c - 1)));
    });
  }
  function scalar(v) { return typeof v === "number" ? v : v.d[0]; }
  function fromRows(rows) {
    return { r: rows.length, c: rows[0].length, d: [].concat.apply([], rows).map(Number) };
  }
  function run(graph, inputs) {
    var env = {};
    graph.n.forEach(function (node) {
      env[node.name] = node.e === undefined ? (inputs && inputs[node.name]) || fromRows(node.d) : evaluate(node.e, env);
    });
    return env;
  }
  function productDerivation(head, a, b, i, j, value, p) {
    var k = a.c, shown = [];
    for (var t = 0; t < k; t++) if (k <= 12 || t < 6 || t >= k - 2) shown.push(t);
    var paren = function (v) { var s = rounded(v, p); return s.charAt(0) === MINUS ? "(" + s + ")" : s; };
    var terms = shown.map(function (t) { return paren(at(a, i, t)) + "\u00b7" + paren(at(b, t, j)); });
    if (k > 12) terms.splice(6, 0, "\u2026");
    return {
      text: head + " = " + terms.join(" + ") + " = " + rounded(value, p),
      products: shown.map(function (t) { return rounded(at(a, i, t) * at(b, t, j), p); }).join(" ")
    };
  }
  function level(v, lo, hi) {
    if (!isFinite(v) || !isFinite(lo)) return 0;
    var l = lo < 0 && hi > 0 ? v / Math.max(-lo, hi) * 4 : hi === lo ? (v === 0 ? 0 : v > 0 ? 4 : -4)
      : lo >= 0 ? (v - lo) / (hi - lo) * 4 : (v - hi) / (hi - lo) * 4;
    var r = Math.round(Math.abs(l)) * (l < 0 ? -1 : 1);
    return Math.max(-4, Math.min(4, r)) || 0;
  }
  var api = { exact: exact, rounded: rounded, inline: inline, erf: erf, evaluate: evaluate, run: run,
    productDerivation: productDerivation, level: level, scalar: scalar };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }

  var source = document.getElementById("lectern-graph");
  var bar = document.querySelector(".try-bar");
  if (!source || !bar) return;
  var graph = JSON.parse(source.textContent);
  var tryButton = bar.querySelector("button.try"), resetButton = bar.querySelector("button.reset");
  var status = bar.querySelector(".try-status");
  var inputs = graph.n.filter(function (n) { return n.in && tables(n.name).length; });
  if (!inputs.length || !tryButton) return;
  var built = {};
  inputs.forEach(function (n) {
    var t = tables(n.name)[0], shape = t.getAttribute("data-shape").split("x");
    built[n.name] = { r: +shape[0], c: +shape[1], d: cells(t).map(function (td) { return Number(td.getAttribute("data-value")); }) };
  });
  var saved = [], on = false;

  function tables(name) { return Array.prototype.slice.call(document.querySelectorAll('table.matrix[data-matrix="' + name + '"]')); }
  function cells(t) {
    var tds = Array.prototype.slice.call(t.querySelectorAll("tbody td"));
    if (!t.hasAttribute("data-transposed")) return tds;
    var rows = t.tBodies[0].rows.length, cols = rows ? tds.length / rows : 0, out = [];
    tds.forEach(function (td, k) { out[(k % cols) * rows + Math.floor(k / cols)] = td; });
    return out;
  }
  function keep(el, attr) {
    if (!el.lectern) { el.lectern = { text: el.textContent, a: {} }; saved.push(el); }
    if (!attr) el.lectern.t = 1;
    else if (!(attr in el.lectern.a)) el.lectern.a[attr] = el.getAttribute(attr);
  }
  function set(el, attr, value) { keep(el, attr); if (el.getAttribute(attr) !== value) el.setAttribute(attr, value); }
  function text(el, value) { keep(el); if (el.textContent !== value) el.textContent = value; }
  function restore() {
    saved.forEach(function (el) {
      for (var a in el.lectern.a) if (el.lectern.a[a] === null) el.removeAttribute(a); else el.setAttribute(a, el.lectern.a[a]);
      if (el.lectern.t) el.textContent = el.lectern.text;
      el.lectern = null;
    });
    saved = [];
  }
  function labels(t, axis) {
    if (t.hasAttribute("data-transposed")) axis = axis === "r" ? "c" : "r";
    return Array.prototype.map.call(t.querySelectorAll(axis === "r" ? "tbody th" : "thead th"), function (th) { return th.textContent; });
  }
  function parse(s) {
    s = s.trim().replace(MINUS, "-").replace(",", ".").replace(/^(-?)(\u221e|inf(inity)?)$/i, "$1Infinity");
    return s === "" ? NaN : Number(s);
  }
  function typed() {
    var out = {}, bad = 0;
    inputs.forEach(function (n) {
      var m = { r: built[n.name].r, c: built[n.name].c, d: built[n.name].d.slice() };
      cells(tables(n.name)[0]).forEach(function (td, k) {
        var input = td.querySelector("input");
        if (!input) return;
        var v = parse(input.value);
        input.setAttribute("aria-invalid", v !== v ? "true" : "false");
        if (v !== v) bad++; else m.d[k] = v;
      });
      out[n.name] = m;
    });
    return [out, bad];
  }
  function scales(env) {
    var groups = {};
    Object.keys(graph.t).forEach(function (name) {
      var g = graph.t[name][1], m = env[name];
      if (!m || g === null) return;
      var s = groups[g] || (groups[g] = [Infinity, -Infinity]);
      m.d.forEach(function (v) { if (isFinite(v)) { s[0] = Math.min(s[0], v); s[1] = Math.max(s[1], v); } });
    });
    return groups;
  }
  function keepAxis(n, e) {
    if (n <= 2 * e) return Array.apply(null, Array(n)).map(function (_, i) { return i; });
    var out = [];
    for (var i = 0; i < e; i++) out.push(i);
    out.push(null);
    for (i = n - e; i < n; i++) out.push(i);
    return out;
  }
  function show(env) {
    var groups = scales(env), heatmap = graph.o[0];
    Object.keys(graph.t).forEach(function (name) {
      var m = env[name], p = graph.t[name][0], s = groups[graph.t[name][1]] || [Infinity, -Infinity];
      if (!m || typeof m === "number") return;
      var cell = function (td, v) {
        set(td, "data-value", exact(v));
        if (heatmap) set(td, "data-heat", String(level(v, s[0], s[1])));
        if (!td.querySelector("input")) text(td, rounded(v, p));
      };
      var all = tables(name);
      all.forEach(function (t) { cells(t).forEach(function (td, k) { cell(td, m.d[k]); }); });
      var summary = document.querySelector('table[data-summary-of="' + name + '"]');
      if (summary) {
        var kr = keepAxis(m.r, graph.o[1]), kc = keepAxis(m.c, graph.o[1]);
        Array.prototype.forEach.call(summary.tBodies[0].rows, function (tr, a) {
          Array.prototype.forEach.call(tr.getElementsByTagName("td"), function (td, b) {
            if (kr[a] !== null && kc[b] !== null) cell(td, at(m, kr[a], kc[b]));
          });
        });
      }
      var legend = document.querySelector("#matrix-" + CSS.escape(name) + " .legend");
      if (legend && heatmap && isFinite(s[0])) {
        var spans = legend.children, div = s[0] < 0 && s[1] > 0, mx = Math.max(-s[0], s[1]);
        text(spans[0], rounded(s[0], p));
        text(spans[2], rounded(s[1], p));
        set(legend, "class", "legend legend-" + (div ? "diverging" : "sequential"));
        set(spans[1], "style", div ? "--zero: " + (-s[0] / (s[1] - s[0]) * 100).toFixed(1) + "%; --l: " + (-s[0] / mx).toFixed(2) + "; --r: " + (s[1] / mx).toFixed(2)
          : s[0] >= 0 ? "--zero: 0.0%; --l: 0.00; --r: 1.00" : "--zero: 100.0%; --l: 1.00; --r: 0.00");
      }
      all.forEach(function (t) { derivations(t, name, env, m, p); });
    });
    document.querySelectorAll("data.value").forEach(function (el) {
      var g = graph.i[el.title];
      if (!g) return;
      var v = scalar(evaluate(g[0], env));
      set(el, "value", exact(v));
      text(el, inline(v, g[1]));
    });
    Object.keys(graph.q).forEach(function (id) {
      var q = document.getElementById(id), g = graph.q[id], v = scalar(evaluate(g[0], env));
      var form = q && q.querySelector("form[data-value]"), answer = q && q.querySelector(".quiz-answer p");
      if (form) set(form, "data-value", exact(v));
      if (answer && answer.lastChild) text(answer.lastChild, " " + inline(v, g[1]));
    });
  }
  function derivations(t, name, env, m, p) {
    var node = graph.n.filter(function (n) { return n.name === name; })[0];
    var e = node && node.e, product = e && e[0] === "@";
    var a = product && evaluate(e[1], env), b = product && evaluate(e[2], env);
    cells(t).forEach(function (td, k) {
      var li = document.getElementById(td.getAttribute("aria-describedby") || "");
      if (!li) return;
      keep(li, "data-products");
      var head = li.lectern.text.split(" = ").slice(0, 2).join(" = "), i = Math.floor(k / m.c), j = k % m.c;
      if (product) {
        var s = productDerivation(head, a, b, i, j, m.d[k], p);
        text(li, s.text);
        set(li, "data-products", s.products);
      } else {
        var masked = /: masked/.test(li.lectern.text) && m.d[k] === Number(td.lectern ? td.lectern.a["data-value"] : td.getAttribute("data-value"));
        text(li, masked ? li.lectern.text : head + " = " + rounded(m.d[k], p));
      }
    });
  }
  function recompute() {
    var t = typed();
    show(run(graph, t[0]));
    status.textContent = t[1] ? "A cell does not hold a number: it is left out until it does." : "Recomputed from your values.";
    var edits = [];
    inputs.forEach(function (n) {
      var m = t[0][n.name], orig = built[n.name];
      m.d.forEach(function (v, k) { if (v !== orig.d[k]) edits.push([n.name, Math.floor(k / m.c), k % m.c, exact(v)].join(",")); });
    });
    history.replaceState(null, "", edits.length ? "#try=" + encodeURIComponent(edits.join(";")) : location.pathname + location.search);
  }
  function start(edits) {
    on = true;
    tryButton.setAttribute("aria-pressed", "true");
    resetButton.hidden = false;
    inputs.forEach(function (n) {
      var all = tables(n.name);
      all.forEach(function (t) { edit(n.name, t, all, edits); });
    });
    if (Object.keys(edits).length) recompute();
    else status.textContent = "Edit any entry of " + inputs.map(function (n) { return n.name; }).join(", ") + ": everything computed from it follows.";
  }
  function edit(name, t, all, edits) {
    var rows = labels(t, "r"), cols = labels(t, "c"), c = built[name].c;
    cells(t).forEach(function (td, k) {
      keep(td);
      keep(td, "data-value");
      keep(td, "data-heat");
      var input = document.createElement("input");
      input.type = "text";
      input.inputMode = "decimal";
      input.size = 6;
      input.value = edits[name + "," + Math.floor(k / c) + "," + (k % c)] || td.getAttribute("data-value");
      input.setAttribute("aria-label", name + "[" + rows[Math.floor(k / c)] + ", " + cols[k % c] + "]");
      input.addEventListener("input", function () {
        all.forEach(function (other) {
          var twin = other !== t && cells(other)[k].querySelector("input");
          if (twin) twin.value = input.value;
        });
        recompute();
      });
      td.textContent = "";
      td.appendChild(input);
    });
    t.classList.add("editing");
  }
  function stop() {
    on = false;
    tryButton.setAttribute("aria-pressed", "false");
    resetButton.hidden = true;
    restore();
    document.querySelectorAll("table.matrix.editing").forEach(function (t) { t.classList.remove("editing"); });
    status.textContent = "";
    history.replaceState(null, "", location.pathname + location.search);
  }
  tryButton.addEventListener("click", function () { if (on) stop(); else start({}); });
  resetButton.addEventListener("click", function () { stop(); start({}); });
  if (location.hash.indexOf("#try=") !== 0) start({});
  else {
    var edits = {};
    decodeURIComponent(location.hash.slice(5)).split(";").forEach(function (e) {
      var f = e.split(",");
      if (f.length === 4) edits[f[0] + "," + f[1] + "," + f[2]] = f[3];
    });
    start(edits);
  }
})();
