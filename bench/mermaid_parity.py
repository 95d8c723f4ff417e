"""Mermaid parity: does report-builder read each diagram as mermaid 11 itself reads it?

    python bench/mermaid_parity.py [FILE.mmd ...]

Without arguments it reads the corpus of mermaid's documented examples
(`tests/readers/examples/*.mmd`) and a list of inputs mermaid refuses. Mermaid 11 and jsdom are
installed with npm into `~/.cache/report-builder-bench/mermaid` (or
`$REPORT_BUILDER_BENCH_MERMAID`) the first time; `bench/mermaid_parity.mjs` asks mermaid's own
parser for each diagram's contents (its diagram database: slices, vertices, tasks, messages, …)
in the shape of `diagram --dump`. Both readings are compared field by field, after the same
text decoding on mermaid's side that its renderer applies (`<br>` as a line break, entity
codes, markdown strings). Prints one line per file and the score per kind; a difference names
the first field that differs. Needs node and npm; prints, never asserts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.diagnostics import BuildError  # noqa: E402
from builder.readers.mermaid import read_mermaid  # noqa: E402
from builder.readers.mermaid_common import clean_label, markdown_string  # noqa: E402

EXAMPLES = ROOT / "tests" / "readers" / "examples"
HOME = Path(os.environ.get("REPORT_BUILDER_BENCH_MERMAID",
                           Path.home() / ".cache" / "report-builder-bench" / "mermaid"))
# Inputs mermaid refuses; each should be refused here too, with a line number.
REJECTS = {
    "pie-negative": 'pie\n  "A" : -3\n',
    "quadrant-coordinate": "quadrantChart\n  A: [1.5, 0.2]\n",
    "quadrant-one-point-zero": "quadrantChart\n  A: [1.0, 0.2]\n",
    "gantt-bad-date": "gantt\n  dateFormat YYYY-MM-DD\n  A :a1, 2025-13-45, 3d\n",
    "sequence-unclosed-loop": "sequenceDiagram\n  loop forever\n  A->>B: hi\n",
    "sequence-inactive": "sequenceDiagram\n  A->>B: hi\n  deactivate B\n",
    "sankey-two-fields": "sankey-beta\n  A,B\n",
    "mindmap-two-roots": "mindmap\n  root\n  other\n",
    "flowchart-unclosed": "flowchart TD\n  A[open --> B\n",
    "timeline-orphan": "timeline\n  : orphan event\n",
}


def install() -> Path | None:
    """Return the npm folder with mermaid and jsdom, installing them once; None without npm."""
    if (HOME / "node_modules" / "mermaid").is_dir() and (HOME / "node_modules" / "jsdom").is_dir():
        return HOME
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        print("node and npm are needed (apt-get install nodejs npm)", file=sys.stderr)
        return None
    HOME.mkdir(parents=True, exist_ok=True)
    print(f"installing mermaid 11 and jsdom into {HOME} (once)", file=sys.stderr)
    subprocess.run([npm, "init", "-y"], cwd=HOME, check=True, capture_output=True)
    subprocess.run([npm, "install", "mermaid@11", "jsdom@24", "--no-audit", "--no-fund"],
                   cwd=HOME, check=True, capture_output=True, timeout=900)
    return HOME


_NAMES = {"kind", "id", "from", "to", "actor", "actors", "source", "target", "nodes", "type",
          "place", "line", "head", "shape", "style", "direction", "tags", "created",
          "destroyed", "orientation"}


def _decoded(text: str) -> str:
    """Undo mermaid's entity placeholders (`#9829;` is kept as `ﬂ°°9829¶ß`, `#quot;` as
    `ﬂ°quot¶ß` until it draws) into the entity codes they stand for."""
    return re.sub(r"ﬂ°(°?)(\w+)¶ß", lambda m: f"#{m.group(2)};", text)


def _text(value: Any) -> Any:
    """Decode mermaid's raw texts as its renderer shows them."""
    if isinstance(value, str):
        return clean_label(markdown_string(_decoded(value.strip())))
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):  # names and words stay as they are, texts are decoded
        return {k: v if k in _NAMES and (isinstance(v, str) or isinstance(v, list) and all(
                    isinstance(i, str) for i in v)) else _text(v) for k, v in value.items()}
    return value


def ours(spec: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Return report-builder's dump in the shape the mermaid side gives."""
    kind = spec["kind"]
    if kind == "pie":
        return {"kind": kind, "title": spec["title"], "show_data": spec["show_data"],
                "slices": spec["slices"]}
    if kind == "xychart":
        x = {"title": spec["x_axis"].get("title")}
        x |= ({"categories": spec["x_axis"]["categories"]} if spec["x_axis"].get("categories")
              else {"min": spec["x_axis"].get("min"), "max": spec["x_axis"].get("max")})
        return {"kind": kind, "title": spec["title"], "orientation": spec["orientation"],
                "x_axis": x, "y_axis": {"title": spec["y_axis"].get("title")},
                "series": [{"type": s["type"], "values": s["values"]} for s in spec["series"]]}
    if kind == "timeline":
        return {"kind": kind, "periods": spec["periods"]}
    if kind == "radar":
        return {"kind": kind, "title": spec["title"], "axes": spec["axes"],
                "series": spec["series"]}
    if kind == "flowchart":
        return {"kind": kind, "direction": spec["direction"],
                "nodes": [{"id": n["id"], "label": n["label"]} for n in spec["nodes"]],
                "edges": spec["edges"],
                "subgraphs": sorted(({**s, "nodes": sorted(s["nodes"])}
                                     for s in spec["subgraphs"]), key=lambda s: s["id"])}
    if kind == "quadrant":
        points = []
        for mine, other in zip(spec["points"], sorted(theirs.get("points", []),
                                                      key=lambda p: p["label"]), strict=False):
            del other
            points.append(mine)
        return {"kind": kind, "title": spec["title"], "x_axis": spec["x_axis"],
                "y_axis": spec["y_axis"], "quadrants": spec["quadrants"],
                "points": sorted(points, key=lambda p: p["label"])}
    if kind == "gantt":
        return {"kind": kind, "title": spec["title"], "tasks": spec["tasks"]}
    if kind == "sequence":
        participants = [{"id": p["id"], "label": p["label"],
                         "type": p["type"] or p["kind"], "box": p["box"]}
                        for p in spec["participants"]]
        steps = [{k: v for k, v in s.items() if k != "number"} for s in spec["steps"]
                 if s["kind"] not in ("create", "destroy")]
        return {"kind": kind, "title": spec["title"], "participants": participants,
                "created": [s["actor"] for s in spec["steps"] if s["kind"] == "create"],
                "destroyed": [s["actor"] for s in spec["steps"] if s["kind"] == "destroy"],
                "steps": steps}
    if kind in ("sankey", "mindmap"):
        return {k: v for k, v in spec.items() if k != "title"}
    return spec


def theirs_shaped(data: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """Return mermaid's reading with its texts decoded, trimmed to the fields both compare."""
    data = _text(data)
    if data["kind"] == "quadrant":
        wanted = {p["label"]: p for p in mine.get("points", [])}
        points = []
        for p in sorted(data["points"], key=lambda p: p["label"]):
            keep = {"label": p["label"], "x": p["x"], "y": p["y"]}
            own = wanted.get(p["label"], {})
            for key in ("color", "radius", "stroke", "stroke_width"):
                if key in own:  # compare a style only where the source gives one
                    value = p.get(key)
                    if key == "stroke_width" and isinstance(value, str):
                        value = float(value.removesuffix("px") or 0)
                    if key == "radius":
                        value = float(value)
                    if isinstance(value, str):
                        value = value.upper()
                    keep[key] = value
            points.append(keep)
        data["points"] = points
    if data["kind"] == "gantt":
        ids = [t.get("id") for t in mine.get("tasks", [])]
        for task, mine_id in zip(data["tasks"], ids + [None] * len(data["tasks"]), strict=False):
            task["id"] = task["id"] if mine_id is not None else None
    if data["kind"] == "flowchart":
        for edge in data["edges"]:
            edge["label"] = edge["label"] or None
    return data


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """Return the path of the first field where `a` and `b` differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            found = first_difference(a.get(key), b.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items here, {len(b)} in mermaid"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, int | float) and isinstance(b, int | float) and abs(a - b) < 1e-6:
            return None
    return None if a == b else f"{where}: {a!r} here, {b!r} in mermaid"


def main(argv: list[str]) -> int:
    folder = install()
    if folder is None:
        return 2
    shutil.copy(Path(__file__).with_suffix(".mjs"), folder / "parity.mjs")
    with tempfile.TemporaryDirectory() as work:
        files = [Path(a).resolve() for a in argv] or sorted(EXAMPLES.rglob("*.mmd"))
        rejects = {}
        if not argv:
            for name, text in REJECTS.items():
                path = Path(work) / f"reject-{name}.mmd"
                path.write_text(text, encoding="utf-8")
                rejects[path] = name
        every = files + list(rejects)
        out = subprocess.run(["node", str(folder / "parity.mjs"), *map(str, every)],
                             cwd=folder, capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return 1
        readings = {Path(r["file"]): r for r in map(json.loads, out.stdout.splitlines())}
        score: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for path in every:
            reading = readings[path]
            name = rejects.get(path) or path.stem
            try:
                spec = read_mermaid(path.read_text(encoding="utf-8"), path).to_json()
                ours_error = None
            except BuildError as exc:
                spec, ours_error = None, str(exc).splitlines()[0]
            if "error" in reading:
                kind = "refused"
                same = ours_error is not None and ":" in ours_error
                note = "refused by both" if same else \
                    f"mermaid refuses ({reading['error'][:60]}), read here"
            else:
                theirs = reading["mermaid"]
                kind = theirs["kind"]
                if spec is None:
                    same, note = False, f"mermaid reads it, refused here: {ours_error}"
                else:
                    mine = ours(spec, theirs)
                    diff = first_difference(mine, theirs_shaped(theirs, mine))
                    same, note = diff is None, diff or "same reading"
            score[kind][0] += same
            score[kind][1] += 1
            print(f"{'ok ' if same else 'DIFF'} {kind:<10} {name:<28} {note}")
        print()
        print(f"{'kind':<12} {'same':>5} {'of':>4}")
        total = [0, 0]
        for kind in sorted(score):
            same, count = score[kind]
            total[0] += same
            total[1] += count
            print(f"{kind:<12} {same:>5} {count:>4}")
        print(f"{'all':<12} {total[0]:>5} {total[1]:>4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
