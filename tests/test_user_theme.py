"""A user's own theme: a folder with theme.yaml, a logo and a font, chosen only in report.yaml."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.authoring.scaffold import scaffold
from builder.cli import main
from builder.resources import bundled

HOUSE = "#7A1F5C"


def house_theme(report: Path) -> Path:
    """Copy the default theme into `report`/house with a serif font, a logo and a colour."""
    folder = report / "house"
    folder.mkdir()
    text = (bundled("templates") / "themes" / "default" / "theme.yaml").read_text("utf-8")
    text = text.replace("name: default", "name: house").replace('"#1F3A5F"', f'"{HOUSE}"', 1)
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        text = text.replace(f"NotoSans-{style}.ttf", f"House-{style}.ttf")
        shutil.copy(bundled("assets") / "fonts" / f"NotoSerif-{style}.ttf",
                    folder / f"House-{style}.ttf")
    shutil.copy(bundled("assets") / "logos" / "market-research.png", folder / "house-logo.png")
    text = text.replace("logo: null", "logo: house-logo.png")
    (folder / "theme.yaml").write_text(text, encoding="utf-8")
    return folder


def build(report: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(report), "--out", str(out),
                                       "--edition", "en", "-q"])
    assert result.exit_code == 0, result.output


def test_a_theme_folder_named_in_report_yaml_changes_the_pdf_and_the_docx(tmp_path: Path):
    report = tmp_path / "demo"
    scaffold(report, "demo", "zh")
    build(report, tmp_path / "plain")
    house_theme(report)
    yaml = report / "report.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "theme: house\n", encoding="utf-8")
    build(report, tmp_path / "house")
    plain_pdf = tmp_path / "plain" / "demo" / "demo.en.pdf"
    house_pdf = tmp_path / "house" / "demo" / "demo.en.pdf"
    fonts = subprocess.run(["pdffonts", str(house_pdf)], capture_output=True, text=True).stdout
    assert "NotoSerif" in fonts and "NotoSans-" not in fonts
    assert "NotoSerif" not in subprocess.run(["pdffonts", str(plain_pdf)], capture_output=True,
                                             text=True).stdout
    images = subprocess.run(["pdfimages", "-list", str(house_pdf)], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    plain_images = subprocess.run(["pdfimages", "-list", str(plain_pdf)], capture_output=True,
                                  text=True).stdout.splitlines()[2:]
    logo = [row for row in images if row.split()[2] == "image" and row.split()[3:5] ==
            ["720", "160"]]
    assert len(logo) >= 1 and not any("720     160" in row for row in plain_images)
    styles = zipfile.ZipFile(tmp_path / "house" / "demo" / "demo.en.docx").read(
        "word/styles.xml").decode()
    assert "Noto Serif" in styles and HOUSE.lstrip("#").upper() in styles.upper()


@pytest.mark.parametrize(("value", "expected"), [
    ("../elsewhere", "theme folder '../elsewhere' is outside the report folder"),
    ("[1]", "theme must be a theme name or a folder in the report"),
])
def test_a_theme_from_the_content_stays_inside_the_report(tmp_path: Path, value: str,
                                                          expected: str):
    report = tmp_path / "demo"
    scaffold(report, "demo", "zh")
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(bundled("templates") / "themes" / "default" / "theme.yaml",
                tmp_path / "elsewhere")
    yaml = report / "report.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f"theme: {value}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(report)])
    assert result.exit_code == 1
    assert f"report.yaml:{len(yaml.read_text().splitlines())}: error: {expected}" in \
        result.output, result.output


def test_a_theme_font_name_cannot_leave_its_folders(tmp_path: Path):
    report = tmp_path / "demo"
    scaffold(report, "demo", "zh")
    folder = house_theme(report)
    theme = folder / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace(
        "House-Regular.ttf", "../../../etc/passwd"), encoding="utf-8")
    yaml = report / "report.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "theme: house\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(report)])
    assert result.exit_code == 1
    assert "fonts.latin.regular must name a file inside the theme or font folders" in \
        result.output, result.output
