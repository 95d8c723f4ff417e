"""Adding a chart kind is one module (read, draw, describe) plus one line in `charts.kinds.KINDS`."""

from __future__ import annotations

import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import docx
import pytest

from builder.authoring.scaffold import scaffold
from builder.charts import kinds
from builder.config import BuildConfig
from builder.pipeline import build


@dataclass(frozen=True)
class DotsSpec:
    """A throwaway kind: a row of dots, one per value."""

    kind: ClassVar[str] = "dots"
    title: str | None
    values: tuple[float, ...]


def read(r: Any, root: Any) -> DotsSpec:
    f = root.mapping("dots", allowed=("kind", "title", "values"), required=("values",))
    return DotsSpec(r.optional_text(f, "title", "title"), r.numbers(f["values"], "values"))


def draw(fig: Any, spec: DotsSpec, style: Any) -> None:
    ax = fig.add_subplot()
    ax.scatter(range(len(spec.values)), spec.values, color=style.series(0))
    for x, value in enumerate(spec.values):
        ax.annotate(f"dot {value:g}", (x, value))


def describe(spec: DotsSpec, zh: bool) -> tuple[str, str]:
    return ("点图" if zh else "Dot chart"), ", ".join(f"{v:g}" for v in spec.values)


@pytest.fixture
def dots_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("throwaway_dots_kind")
    module.SPEC, module.read, module.draw, module.describe = DotsSpec, read, draw, describe
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(kinds.KINDS, "dots", module.__name__)


def test_a_registered_kind_is_read_drawn_and_described(dots_kind: None, tmp_path: Path):
    root = tmp_path / "demo"
    scaffold(root, "demo", "zh")
    (root / "charts" / "sales.yaml").write_text(
        "kind: dots\ntitle: {zh: 三个点, en: Three dots}\nvalues: [3, 1, 2]\n", encoding="utf-8")
    build(BuildConfig(report_dir=root, out_dir=tmp_path / "dist", editions=("en",), jobs=1))
    folder = tmp_path / "dist" / "demo"
    text = subprocess.run(["pdftotext", str(folder / "demo.en.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "dot 3" in text and "dot 2" in text  # drawn by draw(), as text in the PDF
    document = docx.Document(str(folder / "demo.en.docx"))
    descriptions = [p.get("descr") for p in document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert "Dot chart 'Three dots': 3, 1, 2." in descriptions


def test_every_registered_kind_has_the_four_parts():
    for kind in kinds.KINDS:
        module = kinds.kind_module(kind)
        assert module.SPEC.kind == kind
        for part in ("read", "draw", "describe"):
            assert callable(getattr(module, part)), (kind, part)
