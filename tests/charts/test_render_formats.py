"""Chart files: the drawing and only the formats asked for, the same bytes whatever was asked
before, lean fonts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from builder.charts import render_chart
from builder.charts.render import cached
from tests.charts.conftest import read_spec

ROOT = Path(__file__).resolve().parents[2]


def files(folder: Path) -> set[str]:
    return {p.suffix for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_a_pdf_request_writes_no_png_or_svg(theme, tmp_path):
    spec = read_spec("hourly-cost", "en")
    image = render_chart(spec, theme, "en", tmp_path, ("pdf",))
    assert files(tmp_path) == {".pdf", ".json"}
    assert image.pdf_path.read_bytes().startswith(b"%PDF") and image.svg_path is None
    assert cached(spec, theme, "en", tmp_path, ("pdf",))
    assert not cached(spec, theme, "en", tmp_path, ("pdf", "png"))


def test_a_png_request_writes_only_the_png_besides_the_drawing(theme, tmp_path):
    spec = read_spec("hourly-cost", "en")
    image = render_chart(spec, theme, "en", tmp_path, ("png",))
    assert files(tmp_path) == {".png", ".json"}
    assert image.png_path.read_bytes().startswith(b"\x89PNG") and image.svg_path is None
    assert not image.pdf_path.exists()
    again = render_chart(spec, theme, "en", tmp_path, ("pdf", "png"))
    assert again == image and image.pdf_path.read_bytes().startswith(b"%PDF")


def test_a_drawing_only_request_writes_the_drawing_and_its_size(theme, tmp_path):
    spec = read_spec("hourly-cost", "en")
    image = render_chart(spec, theme, "en", tmp_path, ())
    assert sorted(p.name.split(".", 1)[1] for p in tmp_path.iterdir()) == ["drawing.json",
                                                                         "json"]
    assert image.drawing_path is not None
    drawing = json.loads(image.drawing_path.read_text(encoding="utf-8"))
    assert (drawing["width_pt"], drawing["height_pt"]) == (image.width_pt, image.height_pt)
    texts = ["".join(c for run in op[6] for _, c in run[2]) for op in drawing["ops"]
             if op[0] == "t"]
    assert "Hyperscalers" in texts
    assert cached(spec, theme, "en", tmp_path, ()) and not cached(spec, theme, "en", tmp_path)


@pytest.mark.parametrize("name", ["fireworks-radar", "hourly-cost"])  # constrained layout
def test_files_are_the_same_bytes_whatever_was_asked_for_first(name, theme, tmp_path):
    spec = read_spec(name, "zh-CN")
    together, png_only, pdf_first = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a = render_chart(spec, theme, "zh-CN", together)
    b = render_chart(spec, theme, "zh-CN", png_only, ("png",))
    render_chart(spec, theme, "zh-CN", pdf_first, ("pdf",))
    c = render_chart(spec, theme, "zh-CN", pdf_first, ("png", "svg"))
    for attr in ("drawing_path", "png_path"):
        expected = getattr(a, attr).read_bytes()
        assert getattr(b, attr).read_bytes() == expected
        assert getattr(c, attr).read_bytes() == expected
    assert c.pdf_path.read_bytes() == a.pdf_path.read_bytes()
    assert a.svg_path is not None and c.svg_path is not None
    assert c.svg_path.read_bytes() == a.svg_path.read_bytes()


def test_an_unknown_format_is_refused(theme, tmp_path):
    with pytest.raises(ValueError, match="unknown chart formats"):
        render_chart(read_spec("hourly-cost", "en"), theme, "en", tmp_path, ("jpg",))


def embedded_fonts(path: Path) -> list[TTFont]:
    fonts = []
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            fonts.append(TTFont(io.BytesIO(data.get_data())))
    return fonts


def test_chinese_chart_pdfs_embed_one_lean_subset_per_face_and_keep_their_text(theme,
                                                                               tmp_path):
    from fontTools import subset
    from matplotlib.backends import _backend_pdf_ps

    image = render_chart(read_spec("fireworks-radar", "zh-CN"), theme, "zh-CN", tmp_path,
                         ("pdf",))
    fonts = embedded_fonts(image.pdf_path)
    names = [f["name"].getDebugName(6) for f in fonts]
    assert len(names) == len(set(names))  # one subset per face, not one per 256 characters
    assert all("GSUB" not in f and "GPOS" not in f for f in fonts)
    assert all(f["maxp"].numGlyphs < 200 for f in fonts)
    text = subprocess.run(["pdftotext", str(image.pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "行业平均" in text and "可扩展性" in text
    listing = subprocess.run(["pdffonts", str(image.pdf_path)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert listing and all(" yes " in line for line in listing)
    assert _backend_pdf_ps.subset is subset  # matplotlib is left as it was


def test_importing_the_chart_package_does_not_import_matplotlib():
    code = ("import sys, builder.charts, builder.pipeline; "
            "print(sorted(m for m in ('matplotlib', 'reportlab', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT),
                                                    "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip() == "[]"


def test_the_png_has_matplotlibs_own_pixels_in_rgb(theme, tmp_path):
    import matplotlib
    import numpy as np
    from PIL import Image

    from builder.charts.render import PNG_DPI, draw_figure
    from builder.charts.style import chart_style
    from builder.charts.vector import record

    spec = read_spec("fireworks-radar", "zh-CN")
    image = render_chart(spec, theme, "zh-CN", tmp_path, ("png",))
    style = chart_style(theme, "zh-CN")
    with matplotlib.rc_context(style.rc()):
        fig = draw_figure(spec, style)
        record(fig)
        theirs = io.BytesIO()
        fig.savefig(theirs, format="png", dpi=PNG_DPI)
    ours = Image.open(image.png_path)
    assert ours.mode == "RGB" and round(ours.info["dpi"][0]) == PNG_DPI
    assert np.array_equal(np.asarray(ours), np.asarray(Image.open(theirs).convert("RGB")))
