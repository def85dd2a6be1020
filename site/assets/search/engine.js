// lectern search, loaded on the first focus of the search field (lectern.js inserts it). The
// index is plain scripts that call lectern.search.add (terms by prefix) and lectern.search.page
// (one page's titles and sections), inserted as <script> elements when a query needs them: no
// fetch, no modules, no workers, so it works from file:// as well as on any host and subpath.
(function () {
  "use strict";
  var L = (window.lectern = window.lectern || {});
  var base = (L.root || "") + "assets/search/";
  var SHOWN = 8;
  var keys = null;
  var shards = {};
  var pages = {};
  var scripts = {};
  var seq = 0;
  var timer = 0;
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
  var WORD = /[\p{L}\p{N}]/u;

  var form = document.querySelector("form.search");
  var input = form && form.querySelector("input");
  if (!input) return;
  // The results' style comes with the engine: a page that never searches does not load it.
  var style = document.createElement("style");
  style.textContent = ".search-results { position: absolute; right: 1rem; top: 100%; z-index: 20; width: min(34rem, calc(100vw - 2rem)); max-height: 70vh; overflow-y: auto; background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 0.5rem; box-shadow: 0 4px 12px rgb(0 0 0 / 0.2); } .search-results ol { list-style: none; margin: 0; padding: 0; } .search-results a { display: block; padding: 0.4rem; text-decoration: none; color: var(--fg); border-radius: 4px; } .search-results a:hover, .search-results a:focus { background: var(--line); } .search-where { display: block; font-weight: 600; } .search-heading { display: block; font-style: italic; } .search-snippet { display: block; font-size: 0.9em; } .search-status { margin: 0 0 0.25rem; font-size: 0.9em; }";
  document.head.appendChild(style);
  var box = document.createElement("div");
  box.className = "search-results";
  box.hidden = true;
  var status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  var list = document.createElement("ol");
  box.appendChild(status);
  box.appendChild(list);
  form.parentNode.insertBefore(box, form.nextSibling);

  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }

  // The terms of a query, as the build cuts a page's text (src/search/mod.rs).
  function terms(text) {
    var out = [];
    var word = "";
    var run = [];
    function flushWord() {
      var n = Array.from(word).length;
      if (n >= 2 && n <= 32 && /[^\p{N}]/u.test(word)) out.push(word);
      word = "";
    }
    function flushRun() {
      if (run.length === 1) out.push(run[0]);
      for (var i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
      run = [];
    }
    Array.from(fold(text)).forEach(function (c) {
      if (CJK.test(c)) {
        flushWord();
        run.push(c);
      } else {
        if (run.length) flushRun();
        if (WORD.test(c)) word += c;
        else flushWord();
      }
    });
    if (run.length) flushRun();
    flushWord();
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  function key(term) {
    var cs = Array.from(term);
    return CJK.test(cs[0]) ? cs[0] : cs.slice(0, 2).join("");
  }

  function fileName(k) {
    return Array.from(k).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    }).join("");
  }

  function load(srcs, done) {
    var left = srcs.length;
    if (!left) return done();
    srcs.forEach(function (src) {
      var state = scripts[src];
      if (state === true) {
        if (--left === 0) done();
        return;
      }
      if (state) {
        state.push(function () { if (--left === 0) done(); });
        return;
      }
      scripts[src] = [function () { if (--left === 0) done(); }];
      var s = document.createElement("script");
      s.src = src;
      s.onload = s.onerror = function () {
        var waiting = scripts[src];
        scripts[src] = true;
        waiting.forEach(function (f) { f(); });
      };
      document.head.appendChild(s);
    });
  }

  // Pages that hold the query's words (as prefixes of their terms), best first.
  function rank(words) {
    var byPage = {};
    words.forEach(function (w) {
      var shard = shards[key(w)] || {};
      var best = {};
      Object.keys(shard).forEach(function (term) {
        if (term.lastIndexOf(w, 0) !== 0) return;
        var p = shard[term];
        var exact = term === w ? 1 : 0;
        for (var i = 0; i < p.length; i += 3) {
          var s = p[i + 1] + exact;
          if (!best[p[i]] || best[p[i]][0] < s) best[p[i]] = [s, p[i + 2]];
        }
      });
      Object.keys(best).forEach(function (id) {
        var r = byPage[id] || (byPage[id] = { id: +id, hits: 0, score: 0, top: -1, section: 0 });
        r.hits++;
        r.score += best[id][0];
        if (best[id][0] > r.top) {
          r.top = best[id][0];
          r.section = best[id][1];
        }
      });
    });
    var found = Object.keys(byPage).map(function (id) { return byPage[id]; });
    // Pages with every word; when none has them all (a common word keeps only its best
    // pages), the pages with the most of them.
    var most = found.reduce(function (m, r) { return Math.max(m, r.hits); }, 0);
    found = found.filter(function (r) { return r.hits === most; });
    found.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return found;
  }

  function matches(word, words) {
    var f = fold(word);
    return words.some(function (w) { return !CJK.test(w) && f.lastIndexOf(w, 0) === 0; });
  }

  // `text` in a span of class `cls`, matched words in <mark>.
  function marked(text, words, cls) {
    var out = snippet(text, words, Infinity);
    out.className = cls;
    return out;
  }

  // A short piece of `text` around the first matched word (`length` characters, 180 if not
  // given), matched words in <mark>.
  function snippet(text, words, length) {
    var marks = [];
    var re = /[\p{L}\p{N}\p{M}]+/gu;
    var m;
    while ((m = re.exec(text))) {
      if (matches(m[0], words)) marks.push([m.index, m.index + m[0].length]);
    }
    words.forEach(function (w) {
      if (!CJK.test(w)) return;
      var n = w.normalize("NFC");
      for (var at = text.indexOf(n); at >= 0; at = text.indexOf(n, at + n.length)) {
        marks.push([at, at + n.length]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var start = marks.length && length !== Infinity ? Math.max(0, marks[0][0] - 60) : 0;
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < marks[0][0]) start = space + 1;
    }
    var end = Math.min(text.length, start + (length || 180));
    var out = document.createElement("span");
    out.className = "search-snippet";
    var at = start;
    if (start > 0) out.appendChild(document.createTextNode("…"));
    marks.forEach(function (k) {
      if (k[0] < at || k[1] > end) return;
      out.appendChild(document.createTextNode(text.slice(at, k[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(k[0], k[1]);
      out.appendChild(mark);
      at = k[1];
    });
    out.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? "…" : "")));
    return out;
  }

  function show(found, words) {
    list.textContent = "";
    found.forEach(function (r) {
      var p = pages[r.id];
      if (!p) return;
      var sec = p.s[r.section] || p.s[0] || ["", "", ""];
      var a = document.createElement("a");
      a.href = (L.root || "") + p.u + (sec[1] ? "#" + sec[1] : "");
      a.appendChild(marked([p.l, p.t].filter(Boolean).join(" \u203a "), words, "search-where"));
      if (sec[0]) a.appendChild(marked(sec[0], words, "search-heading"));
      a.appendChild(snippet(sec[2], words));
      var li = document.createElement("li");
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function search() {
    var mine = ++seq;
    var words = terms(input.value);
    if (!words.length || !keys) {
      list.textContent = "";
      status.textContent = "";
      box.hidden = !input.value;
      if (input.value) status.textContent = "Type at least two letters.";
      return;
    }
    var needed = words.map(key).filter(function (k) { return keys[k]; });
    load(needed.map(function (k) { return base + "t/" + fileName(k) + ".js"; }), function () {
      if (mine !== seq) return;
      var found = rank(words);
      var top = found.slice(0, SHOWN);
      load(top.map(function (r) { return base + "p/" + r.id + ".js"; }), function () {
        if (mine !== seq) return;
        show(top, words);
        box.hidden = false;
        status.textContent = found.length === 0 ? "No results."
          : found.length > top.length ? "The best " + top.length + " of " + found.length + " results:"
          : found.length === 1 ? "1 result:" : found.length + " results:";
      });
    });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 80);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) {
      e.preventDefault();
      links()[0].focus();
    } else if (e.key === "Escape") {
      box.hidden = true;
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i + 1 < all.length) {
      e.preventDefault();
      all[i + 1].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      (i > 0 ? all[i - 1] : input).focus();
    } else if (e.key === "Escape") {
      box.hidden = true;
      input.focus();
    }
  });
  input.addEventListener("focus", function () { if (list.firstChild) box.hidden = false; });
  document.addEventListener("click", function (e) {
    if (!form.contains(e.target) && !box.contains(e.target)) box.hidden = true;
  });

  L.search = {
    add: function (k, terms) { shards[k] = terms; },
    page: function (id, page) { pages[id] = page; },
    keys: function (all) {
      keys = {};
      all.split(" ").forEach(function (k) { if (k) keys[k] = true; });
      if (input.value) search();
    }
  };
})();
if (lectern.search) lectern.search.keys("1e ab ac ad af ag ah al am an ap ar as at av aw b1 b2 ba be bi bl bo br bu by ca ce ch cl co cr cu cv d1 d2 d3 d4 d5 d6 d7 d8 de di dj dl do dr ds du e1 e8 ea ei el em en ep eq er ev ex fa fe ff fi fj fl fo fr fu ga ge gi go gp gr gu ha he hi ho hs i0 i1 i2 i3 id if ig im in is it jo ju k1 k2 k3 k4 k5 k6 k7 k8 ke ki kj kn kr kᵀ la le li lo lu ma me mh mi mo mu n1 na ne nn no nu o1 o3 ob oc od of oj on op or ot ou ov ow p1 p8 pa pe pi pl po pp pr pu py q1 q2 q3 q4 q5 q6 q7 q8 qj qk qr qu qᵀ r2 ra re rh ri rl rn ro ru sa sc se sh si sk sl sm so sp sq st su sw sy ta te th ti to tr tu tw ty un up us v1 v2 v4 v5 v7 v8 va ve vi vj vo vs vᵀ w1 w2 wa wc we wh wi wo wr xc ye yi yo z1 ze");
