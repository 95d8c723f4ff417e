"""Chart drawings replayed by the PDF engine look like matplotlib's own PDF of the same chart."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from reportlab.pdfgen.canvas import Canvas

from builder.charts import render_chart
from builder.engines.pdf import drawing
from builder.engines.pdf.fonts import register_fonts
from builder.engines.recorded import load_drawing
from builder.themes import load_theme
from tests.charts.conftest import read_spec

THEME = load_theme("default")


def replayed(image, path: Path) -> Path:
    """Write a one-page PDF of the chart's drawing, replayed by the engine, and return it."""
    fonts = register_fonts(THEME)
    recorded = load_drawing(image.drawing_path)
    canvas = Canvas(str(path), pagesize=(recorded["width_pt"], recorded["height_pt"]),
                    invariant=1, initialFontName=fonts.latin)
    drawing.draw(canvas, recorded, fonts.latin)
    canvas.save()
    return path


def raster(pdf: Path, dpi: int = 100) -> Image.Image:
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-singlefile", "-png", str(pdf),
                    str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("L")


def words(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return sorted(text.split())


@pytest.mark.parametrize(("name", "lang"), [("fireworks-radar", "zh-CN"), ("hourly-cost", "en"),
                                            ("modal", "en"),
                                            ("competition", "zh-CN")])
def test_a_replayed_drawing_matches_matplotlibs_own_pdf(name, lang, tmp_path):
    image = render_chart(read_spec(name, lang), THEME, lang, tmp_path / "cache", ("pdf",))
    ours = replayed(image, tmp_path / "ours.pdf")
    theirs, mine = raster(image.pdf_path), raster(ours)
    assert theirs.size == mine.size
    diff = ImageChops.difference(theirs, mine)
    mean = ImageStat.Stat(diff).mean[0]
    # Measured: 0.00-0.06 grey levels (anti-aliasing of a few glyph edges). Moving every label
    # by 3 pt gave 1.7-6.3; a missing label, line or fill would also move it by whole levels.
    assert mean < 0.5, f"mean grey difference {mean:.2f}"
    assert sum(diff.histogram()[129:]) < 0.002 * theirs.size[0] * theirs.size[1]
    assert words(ours) == words(image.pdf_path)


def test_a_replayed_drawing_embeds_only_the_documents_fonts(tmp_path):
    image = render_chart(read_spec("fireworks-radar", "zh-CN"), THEME, "zh-CN", tmp_path, ())
    listing = subprocess.run(["pdffonts", str(replayed(image, tmp_path / "ours.pdf"))],
                             capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    faces = {line.split()[0].split("+")[-1] for line in listing}
    assert faces <= {Path(p).stem for p in (THEME.cjk.regular, THEME.cjk.bold,
                                            THEME.latin.regular, THEME.latin.bold)}
    assert len(listing) == len(faces)  # one subset per face


def test_a_drawing_cached_by_another_checkout_uses_the_documents_fonts(tmp_path):
    image = render_chart(read_spec("fireworks-radar", "zh-CN"), THEME, "zh-CN", tmp_path, ())
    recorded = json.loads(image.drawing_path.read_text(encoding="utf-8"))
    recorded["fonts"] = {stem: f"/no/such/checkout/{stem}.ttf" for stem in recorded["fonts"]}
    moved = tmp_path / "moved.drawing.json"
    moved.write_text(json.dumps(recorded), encoding="utf-8")
    ours = replayed(dataclasses.replace(image, drawing_path=moved), tmp_path / "moved.pdf")
    assert words(ours) == words(replayed(image, tmp_path / "here.pdf"))
    listing = subprocess.run(["pdffonts", str(ours)], capture_output=True, text=True,
                             check=True).stdout
    assert Path(THEME.cjk.regular).stem in listing  # not the Latin fallback replay() passes
