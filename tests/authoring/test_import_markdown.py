"""`report-builder import-markdown`: a varied corpus and the seed report, imported and built."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.diagnostics import display_path
from builder.readers.yamlsrc import load_yaml
from tests.authoring.support import CORPUS, build_report, docx_text, pdf_text, run
from tests.helpers import SEED, printed, seed_texts, squash


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("corpus") / "cloud-notes"
    result = run("import-markdown", str(CORPUS / "cloud-notes.md"), "--out", str(folder))
    assert result.exit_code == 0, result.output
    return folder, result.output


def test_every_supported_mermaid_block_becomes_a_chart_file(corpus):
    folder, _ = corpus
    charts = sorted(p.read_text(encoding="utf-8").split(None, 1)[0]
                    for p in (folder / "charts").glob("*.mmd"))
    assert charts == ["flowchart", "pie", "radar-beta", "sequenceDiagram", "timeline",
                      "xychart-beta"]


def test_what_cannot_be_imported_is_a_located_warning_and_a_placeholder(corpus):
    folder, output = corpus
    source = display_path(CORPUS / "cloud-notes.md")
    lines = Path(source).read_text(encoding="utf-8").splitlines()
    seq = lines.index("classDiagram") + 1
    image = next(i for i, line in enumerate(lines, 1) if line.startswith("!["))
    assert f"{source}:{seq}: warning: mermaid diagram not imported as a chart: unsupported " \
           f"mermaid diagram type 'classDiagram'" in output
    assert f"{source}:{image}: warning: image './images/arch.png' imported as a placeholder" \
        in output
    text = "".join(p.read_text(encoding="utf-8") for p in (folder / "sections").glob("*.yaml"))
    assert "图表占位：classDiagram" in text and "图片占位：架构图" in text
    assert "classDiagram" in next((folder / "charts").glob("*.mmd.txt")).read_text("utf-8")


def test_the_structure_follows_the_markdown(corpus):
    folder, _ = corpus
    report = load_yaml(folder / "report.yaml")
    assert report["title"] == {"zh": "云服务季度笔记"}
    assert report["subtitle"] == {"zh": "Mixed zh/en corpus"}
    assert len(report["sections"]) == 3
    overview = load_yaml(folder / report["sections"][1])
    kinds = [next(iter(b)) for b in overview["blocks"]]
    assert kinds == ["paragraph", "callout", "callout", "list"]
    intro = overview["blocks"][0]["zh"]
    assert "*云服务*" in intro and "[官方公告](https://example.com/news)" in intro
    assert "`API v2`" in intro and "收入增长" in intro
    assert overview["blocks"][1]["title"] == {"zh": "提示"}  # the block quote's lead-in
    findings = overview["blocks"][2]
    assert findings["title"] == {"zh": "关键发现"}
    assert [len(i.get("items", [])) for i in findings["items"]] == [0, 2]
    numbered = overview["blocks"][3]
    assert numbered["ordered"] is True and numbered["items"][0]["ordered"] is True
    tables = load_yaml(folder / report["sections"][2])
    table = next(b for b in tables["blocks"] if "table" in b)
    assert table["align"] == ["left", "right", "center", "left"]
    assert table["header"][1] == {"zh": "数量"} and table["rows"][1][0] == "Storage"
    assert "row_headers" not in table  # its first column is not all bold names


def test_the_corpus_builds_in_both_languages_with_markers(corpus, tmp_path: Path):
    folder, _ = corpus
    out = build_report(folder, tmp_path, ("zh", "en"), ("pdf", "docx"))
    zh = squash(pdf_text(out / "cloud-notes.zh.pdf"))
    for expected in ("云服务季度笔记", "数据表Tables", "GPU实例", "按小时", "perMonth".lower(),
                     "第一步：评估", "嵌套编号B", "冷启动<1s", "需求分布", "季度收入"):
        assert squash(expected) in zh or expected in zh.lower(), expected
    docx = squash(docx_text(out / "cloud-notes.zh.docx"))
    assert "GPU实例" in docx and "第二步：迁移" in docx
    en = pdf_text(out / "cloud-notes.en.pdf")
    assert "[untranslated] 概览 Overview" in en
    assert en.count("[untranslated]") >= 10


def test_the_seed_imports_and_builds_with_the_same_chinese_text(tmp_path: Path):
    folder = tmp_path / "seed"
    result = run("import-markdown", str(SEED), "--out", str(folder))
    assert result.exit_code == 0, result.output
    assert "7 chart(s), 0 warning(s)" in result.output
    out = build_report(folder, tmp_path / "dist", ("zh",))
    pdf = squash(pdf_text(out / "seed.zh.pdf"))
    docx = squash(docx_text(out / "seed.zh.docx"))
    units = seed_texts()
    # Two documented changes: `title：subtitle` is split, a bold lead-in loses its colon.
    expected = [u for unit in units
                for u in (unit.split("：", 1) if unit == units[0] else [unit.rstrip("：")])]
    # Both set the punctuation by the rules (新云（Neoclouds）, “…”, 2023–2032年).
    pdf = printed(pdf)
    missing_pdf = [u for u in expected if printed(u) not in pdf]
    docx = printed(docx)
    missing_docx = [u for u in expected if printed(u) not in docx]
    assert (missing_pdf, missing_docx) == ([], [])
    assert len(units) == 112


def test_import_refuses_an_existing_folder(tmp_path: Path):
    result = run("import-markdown", str(SEED), "--out", str(tmp_path))
    assert result.exit_code == 2 and "already exists" in result.output


def test_control_characters_are_removed_with_a_located_warning(tmp_path: Path):
    from builder.authoring.markdown import import_markdown

    source = tmp_path / "r.md"
    source.write_bytes("# 标题\n\n正文\x00含有\x01控制字符。\n".encode())
    result = import_markdown(source, tmp_path / "r")
    warnings = [d.format() for d in result.diagnostics]
    assert f"{source}:3: warning: control character U+0000 removed" in warnings
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "r").rglob("*.yaml"))
    assert "正文含有控制字符。" in written
    assert "\ufffd" not in written and "\x00" not in written


def test_an_endless_input_is_refused_not_read_forever(tmp_path: Path):
    from builder.authoring.markdown import import_markdown
    from builder.diagnostics import BuildError

    with pytest.raises(BuildError, match="larger than 32 MiB"):
        import_markdown(Path("/dev/zero"), tmp_path / "z")
    assert not (tmp_path / "z").exists()


def test_a_diagram_whose_error_holds_a_colon_imports_to_yaml_that_reads(tmp_path: Path):
    source = tmp_path / "colon.md"
    source.write_text("# 报告\n\n一段文字。\n\n```mermaid\npie title 份额\n  \"甲\" : 四十\n```\n",
                      encoding="utf-8")
    result = run("import-markdown", str(source), "--out", str(tmp_path / "colon"), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "is not a number: '四十'" in result.output  # the reason, with its ": "
    check = run("check", str(tmp_path / "colon"))
    assert "syntax" not in check.output and "could not be read" not in check.output, check.output
    text = next((tmp_path / "colon" / "sections").glob("*.yaml")).read_text(encoding="utf-8")
    assert "is not a number: '四十'" in text


def test_local_images_are_copied_and_placed_and_others_stay_placeholders(tmp_path: Path):
    from PIL import Image

    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    Image.new("RGB", (640, 320), "#1f3a5f").save(notes / "img" / "GPU Rack.png")
    (notes / "flow.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><rect width="200" '
        'height="80" fill="#e8a33d"/><text x="20" y="50">推理</text></svg>', encoding="utf-8")
    Image.new("RGB", (10, 10)).save(tmp_path / "outside.png")
    source = notes / "report.md"
    source.write_text("# 市场报告\n\n## 概况\n\n正文。\n\n"
                      '![机柜照片](img/GPU%20Rack.png "数据中心机柜")\n\n'
                      "![流程](flow.svg)\n\n"
                      "![远程](https://example.com/a.png)\n\n"
                      "![外部](../outside.png)\n", encoding="utf-8")
    out = tmp_path / "imported"
    result = run("import-markdown", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = source.read_text(encoding="utf-8").splitlines()
    for needle in ("https://example.com/a.png", "../outside.png"):
        line = next(i for i, t in enumerate(lines, 1) if needle in t)
        assert f"report.md:{line}: warning: image {needle!r} imported as a placeholder" \
            in result.output, result.output
    assert sorted(p.name for p in (out / "images").iterdir()) == ["flow.svg", "gpu-rack.png"]
    text = "".join(p.read_text(encoding="utf-8") for p in (out / "sections").glob("*.yaml"))
    assert "file: images/gpu-rack.png" in text and "zh: 数据中心机柜" in text
    assert "zh: 机柜照片" in text  # the alt text
    check = run("check", str(out))  # untranslated, as any import; nothing else is wrong
    errors = [line for line in check.output.splitlines() if ": error: " in line]
    assert errors and all("missing en translation" in line for line in errors), check.output
    folder = build_report(out, tmp_path / "dist", ("zh",), ("pdf",))
    text = " ".join(pdf_text(next(folder.glob("*.zh.pdf"))).split())
    assert "图 1 数据中心机柜" in text and "图 2 流程" in text and "推理" in text, text


def test_a_table_whose_rows_start_with_bold_names_imports_with_row_headers(tmp_path: Path):
    folder = tmp_path / "seed"
    assert run("import-markdown", str(SEED), "--out", str(folder)).exit_code == 0
    report = load_yaml(folder / "report.yaml")
    tables = [block for section in report["sections"]
              for block in load_yaml(folder / section)["blocks"] if "table" in block]
    competition = next(t for t in tables if t["header"][0] == {"zh": "维度"})
    assert competition["row_headers"] is True
    assert [row[0] for row in competition["rows"]] == [
        {"zh": "成本"}, {"zh": "部署速度"}, {"zh": "生态系统"}, {"zh": "客户基础"}]
