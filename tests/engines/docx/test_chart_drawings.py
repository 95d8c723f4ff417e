"""Charts reach Word as drawings (Word shapes from the recorded chart), not as pictures.

LibreOffice prints each DOCX edition; every line of a chart's lettering must come out as real
text where matplotlib put it (within a point, after one offset per chart for where the chart
sits on its page), and the printed file must hold no raster image. Needs `soffice` and poppler.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf

pytestmark = pytest.mark.skipif(not HAVE_LIBREOFFICE,
                                reason="LibreOffice (soffice) is not installed")

Chunk = tuple[int, str, float, float]  # page, text, baseline origin x, y (PDF points, y up)


def _chunks(pdf: Path) -> list[Chunk]:
    """Return every piece of text pypdf finds in `pdf` with the origin it is drawn at."""
    from pypdf import PdfReader

    out: list[Chunk] = []
    for number, page in enumerate(PdfReader(pdf).pages):
        def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: Any,
                  number: int = number) -> None:
            if text.strip():
                e, f = tm[4], tm[5]
                out.append((number, text.strip(), e * cm[0] + f * cm[2] + cm[4],
                            e * cm[1] + f * cm[3] + cm[5]))
        page.extract_text(visitor_text=visit)
    return out


def _vertices(pdf: Path) -> dict[int, list[tuple[float, float]]]:
    """Return the end points of every path segment drawn on each page of `pdf`, in the page's
    forms too (LibreOffice draws a translucent fill inside a form)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(pdf)

    def walk(content: Any, resources: Any, shift: tuple[float, float],
             points: list[tuple[float, float]]) -> None:
        stack: list[tuple[float, float]] = []
        forms = resources.get("/XObject", {}) if resources else {}
        for operands, op in ContentStream(content, reader).operations:
            if op == b"q":
                stack.append(shift)
            elif op == b"Q" and stack:
                shift = stack.pop()
            elif op == b"cm":  # LibreOffice moves, never turns or scales, what it draws
                shift = (shift[0] + float(operands[4]), shift[1] + float(operands[5]))
            elif op in (b"m", b"l", b"c"):
                points.append((shift[0] + float(operands[-2]), shift[1] + float(operands[-1])))
            elif op == b"Do" and operands[0] in forms:
                form = forms[operands[0]].get_object()
                if form.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(form, form.get("/Resources"),
                         (shift[0] + matrix[4], shift[1] + matrix[5]), points)

    out: dict[int, list[tuple[float, float]]] = {}
    for number, page in enumerate(reader.pages):
        walk(page.get_contents(), page.get("/Resources"), (0.0, 0.0), out.setdefault(number, []))
    return out


def _drawing_vertices(drawing: dict[str, Any]) -> list[tuple[float, float]]:
    """Return the end points of every segment of the chart's recorded paths (points, y up)."""
    points = []
    for op in drawing["ops"]:
        if op[0] == "p":
            stack: list[str] = []
            for token in op[2].split():
                if token in ("m", "l", "c"):
                    points.append((float(stack[-2]), float(stack[-1])))
                    stack.clear()
                elif token == "h":
                    stack.clear()
                else:
                    stack.append(token)
    return points


def _lines(drawing: dict[str, Any]) -> list[tuple[str, float, float]]:
    """Return each unturned line of a chart's lettering with its first character's origin."""
    lines = []
    for op in drawing["ops"]:
        if op[0] == "t" and op[4] == 0:
            _, _, x, y, _, _, runs = op
            lines.append(("".join(c for run in runs for _, c in run[2]), x + runs[0][2][0][0], y))
    return lines


def _key(text: str) -> str:
    """Return the letters and digits of `text` (pypdf reads some quotes of LibreOffice's
    subset fonts as spaces)."""
    return "".join(c for c in text if c.isalnum())


def _placed(chunks: list[Chunk]) -> dict[str, list[tuple[int, float, float]]]:
    """Return where each text starts: a chunk, or chunks drawn one after another on one baseline
    (LibreOffice starts a new chunk where the font changes, as between Han and Latin)."""
    out: dict[str, list[tuple[int, float, float]]] = {}
    for i, (page, _text, x, y) in enumerate(chunks):
        joined = ""
        for other in chunks[i:i + 12]:
            if other[0] != page or abs(other[3] - y) > 0.5 or other[2] < x - 0.5:
                break
            joined += other[1]
            out.setdefault(_key(joined), []).append((page, x, y))
    return out


def _grid(points: list[tuple[float, float]]) -> set[tuple[int, int]]:
    return {(round(x * 4), round(y * 4)) for x, y in points}


def _near(grid: set[tuple[int, int]], x: float, y: float) -> bool:
    """Whether a point of `grid` lies within about 0.4 pt of (x, y)."""
    gx, gy = round(x * 4), round(y * 4)
    return any((gx + i, gy + j) in grid for i in (-1, 0, 1) for j in (-1, 0, 1))


def _placement(points: list[tuple[float, float]], scale: float,
               pages: dict[int, list[tuple[float, float]]]) -> tuple[int, float, float, float]:
    """Find where a chart stands: the page and offset at which the most of its path points meet
    points LibreOffice drew; return them with the share of points met."""
    best = (0, 0.0, 0.0, -1.0)
    x0, y0 = points[0]
    sample = points[::max(1, len(points) // 40)]  # a first check on a few points
    for page, drawn in pages.items():
        grid = _grid(drawn)
        for px, py in drawn:
            ox, oy = px - scale * x0, py - scale * y0
            if sum(_near(grid, ox + scale * x, oy + scale * y) for x, y in sample) < \
                    0.8 * len(sample):
                continue
            met = sum(_near(grid, ox + scale * x, oy + scale * y) for x, y in points)
            if met / len(points) > best[3]:
                best = (page, ox, oy, met / len(points))
    return best


def _group_texts(document: str) -> list[tuple[int, list[str]]]:
    """Return each chart group of the DOCX: its width (EMU) and the texts of its text boxes."""
    from lxml import etree

    root = etree.fromstring(document.encode("utf-8"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
          "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
          "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"}
    out = []
    for inline in root.iterfind(".//wp:inline", ns):
        if inline.find(".//wpg:wgp", ns) is None:
            continue
        boxes = ["".join(t.text or "" for t in box.iterfind(".//w:t", ns))
                 for box in inline.iterfind(".//w:txbxContent", ns)]
        out.append((int(inline.find("wp:extent", ns).get("cx")), boxes))
    return out


@pytest.mark.parametrize("edition", ["zh", "en"])
def test_charts_print_as_drawings_with_their_lettering_where_matplotlib_put_it(
        edition: str, built: Path, tmp_path: Path) -> None:
    docx = built / f"gpu-market.{edition}.docx"
    groups = _group_texts(zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8"))
    assert len(groups) == 7, "each of the report's seven charts is a drawing group"
    drawings = [json.loads(p.read_text(encoding="utf-8")) for p in
                (built.parent / ".cache" / "gpu-market" / "charts").glob("*.drawing.json")]

    pdf = libreoffice_pdf(docx, tmp_path)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True,
                            text=True).stdout.splitlines()[2:]
    assert images == [], "LibreOffice printed a picture: a chart fell back to its PNG"
    placed, vertices = _placed(_chunks(pdf)), _vertices(pdf)
    for width, texts in groups:
        drawing = next((d for d in drawings if [t for t, _, _ in _lines(d)] == texts), None)
        assert drawing is not None, f"no recorded chart has the lettering {texts}"
        scale = width / 12700 / drawing["width_pt"]
        page, ox, oy, met = _placement(_drawing_vertices(drawing), scale, vertices)
        assert met >= 0.95, f"only {met:.0%} of the chart's path points are where drawn"
        for text, x, y in _lines(drawing):
            distance = min((((px - ox - scale * x) ** 2 + (py - oy - scale * y) ** 2) ** .5
                            for p, px, py in placed.get(_key(text), ()) if p == page),
                           default=float("inf"))
            assert distance <= 1.0, f"{text!r} is {distance:.2f} pt from its place"
