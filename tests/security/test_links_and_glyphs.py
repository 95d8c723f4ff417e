"""Only http, https and mailto links stay live; chart text passes the same font check as body text."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
from click.testing import CliRunner

from builder.authoring.scaffold import scaffold
from builder.cli import main

LINKS = ("[site](https://example.com/a) [mail](mailto:a@example.com) "
         "[local](file:///etc/passwd) [script](javascript:alert(1)) [data](data:text/html,x)")


def pdf_uris(path: Path) -> set[str]:
    uris = set()
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def docx_targets(path: Path) -> set[str]:
    document = docx.Document(str(path))
    return {rel.target_ref for rel in document.part.rels.values() if rel.is_external}


def test_only_web_and_mail_links_stay_live(tmp_path: Path):
    root = tmp_path / "demo"
    scaffold(root, "demo", "zh")
    section = root / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8") + (
        f"\n  - paragraph: links\n    zh: '链接 {LINKS}'\n    en: 'Links {LINKS}'\n"),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "dist"),
                                       "--edition", "en"])
    assert result.exit_code == 0, result.output
    for scheme in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,x"):
        assert f"link '{scheme}' is printed as text" in result.output
    folder = tmp_path / "dist" / "demo"
    live = {"https://example.com/a", "mailto:a@example.com"}
    assert pdf_uris(folder / "demo.en.pdf") == live
    assert docx_targets(folder / "demo.en.docx") >= live
    assert not any(t.startswith(("file:", "javascript:", "data:"))
                   for t in docx_targets(folder / "demo.en.docx"))


def test_a_chart_label_no_font_covers_is_located_in_the_chart_file(tmp_path: Path):
    root = tmp_path / "demo"
    scaffold(root, "demo", "zh")
    chart = root / "charts" / "sales.yaml"
    chart.write_text(chart.read_text(encoding="utf-8").replace(
        "en: Market size}", "en: Market \ue000 size}", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert f"{chart}:1: error: no font of the theme covers " in result.output, result.output
    assert "(U+E000) in the chart" in result.output
