// lectern: optional enhancements. Every page reads completely without this script.
// - quizzes give feedback when checked;
// - hovering or focusing a computed cell shows how it was computed (in an overlay, so nothing
//   moves) and highlights the operand rows and columns it reads; arrow keys move between cells;
// - progress: visited steps and solved quizzes are kept in localStorage (also from file://) and
//   shown in the step list, on the lesson overview and on each step; "Forget my progress" clears it;
// - "Try it" appears on pages that carry an expression graph; pressing it (or opening a shared
//   `#try=` link) loads assets/try.js, which makes the typed matrices editable;
// - the search field appears ("/" focuses it); its first focus loads assets/search/engine.js.
(function () {
  "use strict";

  // --- progress ---------------------------------------------------------------------------------
  // One record per site (keyed by the site root's URL): { "lesson/NN-step.html": {v: 1, n: quizzes,
  // s: {quizId: 1}} }.
  var script = document.currentScript;
  var root = script ? script.src.replace(/assets\/lectern\.js(?:[?#].*)?$/, "") : "";
  // The site's root, for the search engine too (works at /, under a subpath, from file://).
  var L = (window.lectern = window.lectern || {});
  L.root = root;

  function initSearch(form) {
    var input = form.querySelector("input");
    if (!input) return;
    form.hidden = false;
    input.addEventListener("focus", function () {
      var s = document.createElement("script");
      s.src = L.root + "assets/search/engine.js";
      document.head.appendChild(s);
    }, { once: true });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || t.isContentEditable ||
          /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
      e.preventDefault();
      input.focus();
    });
  }
  var KEY = "lectern-progress " + root;
  var here = location.href.split("#")[0].split("?")[0];
  var pageKey = here.indexOf(root) === 0 ? here.slice(root.length) : here;
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }

  function load() {
    try { return (store && JSON.parse(store.getItem(KEY) || "{}")) || {}; } catch (e) { return {}; }
  }
  function save(p) {
    try { if (store) store.setItem(KEY, JSON.stringify(p)); } catch (e) { /* full or blocked */ }
  }
  function record(fn) {
    var p = load();
    var mine = p[pageKey] || (p[pageKey] = { v: 1, n: 0, s: {} });
    fn(mine);
    save(p);
    showProgress(p);
  }
  function solvedCount(e) { return e && e.s ? Object.keys(e.s).length : 0; }

  function mark(link, entry) {
    var old = link.querySelector(".progress-mark");
    if (old) old.remove();
    if (!entry) return;
    var m = document.createElement("span");
    m.className = "progress-mark";
    var quiz = entry.n ? " " + solvedCount(entry) + "/" + entry.n : "";
    span(m, "", " \u2713" + quiz).setAttribute("aria-hidden", "true");
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = " (visited" + (entry.n ? ", " + solvedCount(entry) + " of " + entry.n + " quizzes solved" : "") + ")";
    m.appendChild(words);
    link.appendChild(m);
  }

  function showProgress(p) {
    var lessonDir = here.slice(0, here.lastIndexOf("/") + 1);
    var any = false;
    document.querySelectorAll(".sidebar ol a, .steps ol a").forEach(function (a) {
      var target = new URL(a.getAttribute("href"), lessonDir).href;
      var k = target.indexOf(root) === 0 ? target.slice(root.length) : target;
      mark(a, p[k]);
      if (p[k]) any = true;
    });
    var mine = p[pageKey];
    var line = document.querySelector(".step-progress");
    if (line) {
      line.hidden = !(mine && mine.n);
      if (mine && mine.n) line.textContent = "Quizzes on this step: " + solvedCount(mine) + " of " + mine.n + " solved.";
    }
    document.querySelectorAll("button.forget").forEach(function (b) { b.hidden = !any; });
  }

  function initProgress() {
    var forms = document.querySelectorAll("form[data-quiz]");
    if (document.querySelector("main.step")) {
      record(function (mine) { mine.v = 1; mine.n = forms.length; });
    } else {
      showProgress(load());
    }
    var p = load()[pageKey];
    forms.forEach(function (form) {
      var id = (form.closest("section.quiz") || {}).id;
      if (p && p.s && p.s[id]) {
        form.className = "quiz-form is-right";
        form.querySelector(".quiz-feedback").textContent = "Solved before.";
      }
    });
    document.querySelectorAll("button.forget").forEach(function (b) {
      b.addEventListener("click", function () {
        var all = load();
        Object.keys(all).forEach(function (k) { if (k.split("/")[0] === pageKey.split("/")[0]) delete all[k]; });
        save(all);
        document.querySelectorAll("form[data-quiz]").forEach(function (f) {
          f.className = "quiz-form";
          f.querySelector(".quiz-feedback").textContent = "";
        });
        showProgress(all);
      });
    });
  }

  function initQuiz(form) {
    var button = form.querySelector("button[type=submit]");
    var feedback = form.querySelector(".quiz-feedback");
    if (!button || !feedback) return;
    button.hidden = false;
    button.disabled = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var right;
      if (form.hasAttribute("data-value")) {
        var input = form.querySelector("input");
        var given = parseFloat((input.value || "").replace(",", ".").replace("\u2212", "-"));
        if (isNaN(given)) {
          feedback.textContent = "Type a number first.";
          form.className = "quiz-form";
          return;
        }
        var want = parseFloat(form.getAttribute("data-value"));
        var tol = parseFloat(form.getAttribute("data-tolerance"));
        right = Math.abs(given - want) <= tol + 1e-12;
      } else {
        var chosen = form.querySelector("input[type=radio]:checked");
        if (!chosen) {
          feedback.textContent = "Choose an answer first.";
          form.className = "quiz-form";
          return;
        }
        right = chosen.hasAttribute("data-correct");
      }
      feedback.textContent = right
        ? "Correct! Open the answer below for the explanation."
        : "Not quite. Try again, or open the answer below.";
      form.className = "quiz-form " + (right ? "is-right" : "is-wrong");
      var id = (form.closest("section.quiz") || {}).id;
      if (right && id) record(function (mine) { mine.s[id] = 1; });
    });
  }

  // The cells of a row or column of a matrix, in every table of it on the page (an equation may
  // show it again, maybe transposed: there its rows are columns).
  function operandCells(ref) {
    var parts = ref.split(":");
    if (parts.length !== 3) return [];
    var index = parseInt(parts[2], 10), cells = [];
    document.querySelectorAll('table.matrix[data-matrix="' + parts[0] + '"]').forEach(function (table) {
      var axis = table.hasAttribute("data-transposed") ? (parts[1] === "r" ? "c" : "r") : parts[1];
      var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
      for (var r = 0; r < rows.length; r++) {
        var tds = rows[r].getElementsByTagName("td");
        if (axis === "r" && r === index) {
          for (var c = 0; c < tds.length; c++) cells.push(tds[c]);
        } else if (axis === "c" && tds[index]) {
          cells.push(tds[index]);
        }
      }
    });
    return cells;
  }

  var lit = [];
  var pop = null;

  function clear() {
    lit.forEach(function (c) { c.classList.remove("operand", "current"); });
    lit = [];
    if (pop) pop.hidden = true;
  }

  function show(cell) {
    clear();
    cell.classList.add("current");
    lit.push(cell);
    (cell.getAttribute("data-reads") || "").split(" ").forEach(function (ref) {
      operandCells(ref).forEach(function (c) { c.classList.add("operand"); lit.push(c); });
    });
    var derivation = document.getElementById(cell.getAttribute("aria-describedby"));
    if (!derivation) return;
    if (!pop) {
      pop = document.createElement("div");
      pop.className = "derivation-pop";
      pop.setAttribute("aria-hidden", "true");
    }
    var wrap = cell.closest(".matrix-wrap");
    // Below the table and its legend, so the legend stays with its table.
    var after = wrap && wrap.nextElementSibling && wrap.nextElementSibling.classList.contains("legend")
      ? wrap.nextElementSibling : wrap;
    if (after && after.nextSibling !== pop) after.parentNode.insertBefore(pop, after.nextSibling);
    layout(pop, derivation.textContent, (derivation.getAttribute("data-products") || "").split(" "));
    pop.hidden = false;
  }

  // The derivation, one step per line: `Q[cat, q3] = Σₖ X[cat, k]·W_Q[q3, k]`, then for a product
  // one term per line (aligned on `·`), then `= sum`. Its text stays the derivation's text.
  function span(parent, cls, text) {
    var s = document.createElement("span");
    if (cls) s.className = cls;
    s.textContent = text;
    parent.appendChild(s);
    return s;
  }
  function layout(pop, text, products) {
    pop.textContent = "";
    var parts = text.split(" = ");
    span(pop, "line", parts[0] + " = " + parts[1]);
    var grid = span(pop, "terms", "");
    var product = parts.length === 4 && parts[1].charAt(0) === "\u03a3";
    var terms = product ? parts[2].split(" + ") : [];
    // The value of each term, when the build gave one per shown term (not for the "…").
    var values = products.length === terms.filter(function (t) { return t !== "\u2026"; }).length ? products : null;
    var p = 0;
    for (var i = 2; i < parts.length; i++) {
      if (product && i === 2) {
        terms.forEach(function (t, n) {
          var f = t.split("\u00b7");
          span(grid, "", n ? "+" : "=");
          span(grid, "", f[0]);
          span(grid, "", f.length > 1 ? "\u00b7" : "");
          span(grid, "", f.length > 1 ? f[1] : "");
          span(grid, "value", values && f.length > 1 ? "\u2192 " + values[p++].replace("-", "\u2212") : "");
        });
      } else if (product) {
        span(grid, "", "=");
        span(grid, "sum", parts[i]);
      } else {
        span(grid, "line", "= " + parts[i]);
      }
    }
  }

  function initTable(table) {
    var cells = table.querySelectorAll("td[data-reads]");
    if (!cells.length) return;
    cells.forEach(function (cell, i) {
      cell.tabIndex = i === 0 ? 0 : -1;
      cell.addEventListener("mouseenter", function () { show(cell); });
      cell.addEventListener("focus", function () { show(cell); });
      cell.addEventListener("mouseleave", function () { if (document.activeElement !== cell) clear(); });
      cell.addEventListener("blur", clear);
      cell.addEventListener("keydown", function (event) {
        var row = cell.parentNode, col = Array.prototype.indexOf.call(row.getElementsByTagName("td"), cell);
        var target = null;
        if (event.key === "ArrowRight") target = row.getElementsByTagName("td")[col + 1];
        else if (event.key === "ArrowLeft") target = row.getElementsByTagName("td")[col - 1];
        else if (event.key === "ArrowDown" && row.nextElementSibling) target = row.nextElementSibling.getElementsByTagName("td")[col];
        else if (event.key === "ArrowUp" && row.previousElementSibling) target = row.previousElementSibling.getElementsByTagName("td")[col];
        else if (event.key === "Escape") { clear(); return; }
        if (target) {
          event.preventDefault();
          cell.tabIndex = -1;
          target.tabIndex = 0;
          target.focus();
        }
      });
    });
  }

  function initTry(button) {
    if (!document.getElementById("lectern-graph")) return;
    button.hidden = false;
    // try.js handles the button once it runs.
    var load = function () {
      button.removeEventListener("click", load);
      var s = document.createElement("script");
      s.src = L.root + "assets/try.js";
      document.head.appendChild(s);
    };
    button.addEventListener("click", load);
    if (location.hash.indexOf("#try=") === 0) load();
  }

  document.querySelectorAll(".try-bar button.try").forEach(initTry);
  document.querySelectorAll("form[data-quiz]").forEach(initQuiz);
  document.querySelectorAll("table.matrix").forEach(initTable);
  document.querySelectorAll("form.search").forEach(initSearch);
  initProgress();
})();
