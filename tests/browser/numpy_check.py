"""Runs every NumPy "Reproduce" snippet of a built lectern site and compares its result with the
exact values of the matrix's table (`td[data-value]`): |numpy - page| <= 1e-12 * max(1, |page|).

usage: python numpy_check.py SITE_DIR   (run with a python that has numpy; checks every lesson page,
SITE_DIR/LESSON/*.html)

Each snippet is the text of a `<code data-lang="numpy">` inside `<figure class="matrix-block">`,
ending in `print(NAME)`; that line is replaced by one that prints NAME as JSON with full precision.
One PASS/FAIL line per snippet, and a FAIL if no snippet is found.
"""

import html.parser
import json
import pathlib
import re
import subprocess
import sys

TIMEOUT_S = 60


class Page(html.parser.HTMLParser):
    """Collects each matrix figure's tables (name -> rows of data-value) and numpy snippets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables = {}  # name -> {"shape": "RxC", "rows": [[str]]}
        self.snippets = []  # (figure id, code text, names of tables in the same figure)
        self.figure = None  # {"id": ..., "tables": [...]} while inside a matrix-block figure
        self.table = None
        self.code = None  # list of text pieces while inside code[data-lang=numpy]
        self.reproduce = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "figure" and "matrix-block" in classes:
            self.figure = {"id": a.get("id"), "tables": [], "snippets": []}
        elif tag == "table" and "matrix" in classes:
            self.table = a.get("data-matrix")
            self.tables[self.table] = {"shape": a.get("data-shape"), "rows": []}
            if self.figure is not None:
                self.figure["tables"].append(self.table)
        elif tag == "tr" and self.table is not None:
            self.tables[self.table]["rows"].append([])
        elif tag == "td" and self.table is not None and "data-value" in a:
            self.tables[self.table]["rows"][-1].append(a["data-value"])
        elif tag == "details" and "reproduce" in classes:
            self.reproduce += 1
        elif tag == "code" and a.get("data-lang") == "numpy":
            self.code = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag == "code" and self.code is not None:
            fig = self.figure or {"id": None, "tables": []}
            self.snippets.append((fig["id"], "".join(self.code), list(fig["tables"])))
            self.code = None
        elif tag == "figure":
            self.figure = None

    def handle_data(self, data):
        if self.code is not None:
            self.code.append(data)


def run_snippet(code, name):
    lines = code.rstrip().splitlines()
    if not lines or lines[-1].strip() != f"print({name})":
        return None, f"the snippet does not end with print({name})"
    lines[-1] = f"import json, numpy; print(json.dumps(numpy.asarray({name}, dtype=float).tolist()))"
    proc = subprocess.run(
        [sys.executable, "-c", "\n".join(lines)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    if proc.returncode != 0:
        return None, f"python exited {proc.returncode}:\n{proc.stderr.strip()}"
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return None, f"unreadable output: {proc.stdout!r}"


def compare(got, table):
    rows = [[float(v) for v in r] for r in table["rows"] if r]
    problems = []
    shape = f"{len(got)}x{len(got[0]) if got else 0}"
    if table["shape"] and shape != table["shape"]:
        problems.append(f"NumPy shape {shape}, the table says data-shape={table['shape']}")
    if len(got) != len(rows) or any(len(g) != len(r) for g, r in zip(got, rows)):
        problems.append(f"NumPy shape {shape}, the table has rows of {[len(r) for r in rows]} cells")
        return problems, 0.0
    worst = 0.0
    for i, (g_row, p_row) in enumerate(zip(got, rows)):
        for j, (g, p) in enumerate(zip(g_row, p_row)):
            diff = abs(g - p)
            worst = max(worst, diff)
            if diff > 1e-12 * max(1.0, abs(p)):
                problems.append(f"[{i},{j}]: NumPy {g!r}, page data-value {p!r} (diff {diff:.3e})")
    return problems, worst


def main():
    site = pathlib.Path(sys.argv[1])
    failed = 0
    snippets = 0
    for page in sorted(site.glob("*/*.html")):
        parser = Page()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.reproduce != len(parser.snippets):
            failed += 1
            print(f"FAIL numpy {page.parent.name}/{page.name}: every Reproduce block has a NumPy snippet")
            print(f"  {parser.reproduce} <details class=\"reproduce\">, {len(parser.snippets)} NumPy snippets")
        for fig, code, tables in parser.snippets:
            snippets += 1
            m = re.search(r"print\((\w+)\)\s*$", code)
            name = m.group(1) if m else None
            title = f"numpy {page.parent.name}/{page.name} {name or fig}: snippet output equals the table's data-value"
            problems = []
            if not name:
                problems.append("the snippet does not end with print(NAME)")
            elif name not in tables:
                problems.append(f"no table data-matrix=\"{name}\" in the snippet's figure ({fig}, tables {tables})")
            else:
                got, err = run_snippet(code, name)
                if err:
                    problems.append(err)
                else:
                    problems, worst = compare(got, parser.tables[name])
                    cells = sum(len(r) for r in got)
                    if not problems:
                        title += f" ({cells} cells, largest difference {worst:.1e})"
            if problems:
                failed += 1
                print(f"FAIL {title}")
                for p in problems[:20]:
                    print("  " + p.replace("\n", "\n  "))
                if len(problems) > 20:
                    print(f"  … and {len(problems) - 20} more")
            else:
                print(f"PASS {title}")
    if not snippets:
        failed += 1
        print(f"FAIL numpy: found NumPy snippets under {site}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
