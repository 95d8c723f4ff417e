"""The DOCX layout pass gives up on a LibreOffice that hangs, and leaves nothing running."""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from builder.engines import libreoffice


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a killed one may linger as a zombie until reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return True
    return "zombie" not in state


def test_a_hanging_layout_program_is_killed_with_its_children(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    child_pid = tmp_path / "child.pid"
    program = tmp_path / "soffice"
    # Like LibreOffice's launcher: the program starts the real worker as a child.
    program.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child_pid}\nwait\n",
                       encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(libreoffice, "TIMEOUT_S", 1)

    started = time.monotonic()
    assert libreoffice.laid_out_pages(b"not a docx", ["h1"], str(program)) == {}
    assert time.monotonic() - started < 30
    pid = int(child_pid.read_text(encoding="utf-8"))
    for _ in range(50):  # the kill is delivered at once; reaping by init can lag a little
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid), "the layout program's child is still running"


def test_a_program_that_cannot_start_gives_no_pages(tmp_path: Path):
    assert libreoffice.laid_out_pages(b"x", ["h1"], str(tmp_path / "missing")) == {}


def test_a_build_whose_layout_pass_fails_says_the_page_numbers_are_estimates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    program = tmp_path / "broken-soffice"
    program.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # writes no PDF
    program.chmod(0o755)
    monkeypatch.setenv("REPORT_BUILDER_SOFFICE", str(program))
    result = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "out", formats=("docx",),
                               editions=("en",), docx_pages="libreoffice"))
    (written,) = result.written
    warnings = [d.format() for d in result.diagnostics if "did not lay the file out" in d.message]
    assert len(warnings) == 1 and written.name in warnings[0]
    assert libreoffice.pages_estimated(written.read_bytes())


def test_a_build_with_estimates_asked_for_says_nothing_of_them(tmp_path: Path):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    result = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "out", formats=("docx",),
                               editions=("en",), docx_pages="estimate"))
    assert libreoffice.pages_estimated(result.written[0].read_bytes())
    assert not [d for d in result.diagnostics if "did not lay the file out" in d.message]


_NESTED = (
    '<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText>TOC \\o "1-3"</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>Overview</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:instrText>REF h1 \\h</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>3</w:t></w:r><w:r><w:t>0</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:t>Outlook</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText> PAGEREF h2 \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>7</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText>PAGEREF h2</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>8</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body>')


def test_the_page_fields_are_found_inside_the_contents_field_with_every_result_run():
    fields = libreoffice._page_fields(libreoffice._parse(_NESTED.encode()))
    # the TOC's own result (the entry texts) is not a page field; an instruction split over
    # two runs is read whole; a bookmark named twice has both results
    assert {name: [[t.text for t in texts] for texts in results]
            for name, results in fields.items()} == {"h1": [["3", "0"]], "h2": [["7"], ["8"]]}


def _first_page_number(docx: bytes) -> str:
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    found = re.search(r"PAGEREF \S+ \\h.*?<w:t[^>]*>(\d+)</w:t>", body, re.S)
    assert found, "no contents entry"
    return found[1]


def _with_first_page_number(docx: bytes, number: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as package, zipfile.ZipFile(out, "w") as copy:
        for item in package.infolist():
            part = package.read(item.filename)
            if item.filename == "word/document.xml":
                part = re.sub(rb"(PAGEREF \S+ \\h.*?<w:t[^>]*>)\d+(</w:t>)",
                              rb"\g<1>" + number.encode() + rb"\2", part, count=1, flags=re.S)
            copy.writestr(item, part)
    return out.getvalue()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_one_run_lays_out_several_files_and_a_bad_one_is_left_as_it_was(built: Path):
    good = (built / "gpu-market.en.docx").read_bytes()
    right = _first_page_number(good)
    wrong = _with_first_page_number(good, "99")
    assert _first_page_number(wrong) == "99"
    bad = b"PK\x03\x04 not a Word file"
    fixed, left = libreoffice.paginate([wrong, bad], shutil.which("soffice") or "")
    assert left == bad
    assert _first_page_number(fixed) == right
    assert not libreoffice.pages_estimated(fixed)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_build_lays_out_all_its_docx_files_in_one_libreoffice_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT, logging_soffice

    program, log = logging_soffice(tmp_path)
    monkeypatch.setenv("REPORT_BUILDER_SOFFICE", str(program))
    result = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "out", formats=("docx",),
                               editions=("zh", "en"), docx_pages="libreoffice"))
    runs = [line for line in log.read_text(encoding="utf-8").splitlines()
            if "--convert-to" in line]
    assert len(runs) == 1 and runs[0].count(".docx") == 2, runs
    assert len(result.written) == 2
    assert not any(libreoffice.pages_estimated(p.read_bytes()) for p in result.written)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_laid_out_copy_keeps_only_the_bookmarks_a_page_field_names(built: Path):
    from lxml import etree

    data = (built / "gpu-market.bilingual.docx").read_bytes()
    original = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    prepared = libreoffice._File(data)
    copy = etree.fromstring(zipfile.ZipFile(io.BytesIO(prepared.copy)).read("word/document.xml"))
    wanted = {name for names in prepared.names.values() for name in names}
    before = [b.get(_W + "name") for b in original.iter(_W + "bookmarkStart")]
    starts = {b.get(_W + "id"): b.get(_W + "name") for b in copy.iter(_W + "bookmarkStart")}
    ends = [b.get(_W + "id") for b in copy.iter(_W + "bookmarkEnd")]
    assert set(starts.values()) == wanted and len(before) > 3 * len(wanted)
    assert sorted(ends) == sorted(starts)  # every kept bookmark keeps its end, no end is left over
    # the text is as it was (once the charts' drawings are their pictures, as in the copy)
    libreoffice._pictures_for_drawings(original)
    assert "".join(original.itertext()) == "".join(copy.itertext())


def test_remove_keeps_the_text_after_a_removed_node():
    from lxml import etree

    root = etree.fromstring(b"<a>one<b/>two<c/>three</a>")
    libreoffice._remove(root[0])
    libreoffice._remove(root[0])
    assert etree.tostring(root) == b"<a>onetwothree</a>"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_started_ahead_lays_out_the_files_as_its_own_run_would(built: Path):
    program = shutil.which("soffice") or ""
    files = [_with_first_page_number((built / f"gpu-market.{e}.docx").read_bytes(), "99")
             for e in ("zh", "en")]
    alone = libreoffice.paginate(files, program)
    with libreoffice.Office(program, len(files)) as office:
        started = office.process
        assert started is not None and started.poll() is None  # running, with no document
        ahead = libreoffice.paginate(files, program, [office])
        assert office.used
    assert ahead == alone and all(_first_page_number(f) != "99" for f in ahead)
    assert started.poll() is not None and not office.folder.exists()


def test_a_started_office_that_hangs_is_killed_with_its_children(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pids = tmp_path / "pids"
    program = tmp_path / "soffice"
    # every run (the one started ahead and the one handed the files) hangs with a child
    program.write_text(f"#!/bin/sh\nsleep 300 &\necho $! >> {pids}\nwait\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(libreoffice, "TIMEOUT_S", 1)
    started = time.monotonic()
    with libreoffice.Office(str(program), 1) as office:
        assert libreoffice._laid_out({0: b"x"}, {0: ["h1"]}, str(program), office) == {}
    assert time.monotonic() - started < 30
    children = [int(line) for line in pids.read_text(encoding="utf-8").split()]
    assert len(children) == 2
    for _ in range(50):
        if not any(map(_alive, children)):
            break
        time.sleep(0.1)
    assert not any(map(_alive, children)), "a layout program's child is still running"


def test_long_files_are_shared_between_two_runs_and_short_ones_stay_in_one():
    big = libreoffice.START_BYTES
    # the bundled report's three files (about 60-80 kB of body each): one run
    assert libreoffice._runs({0: 56_000, 1: 60_000, 2: 82_000}, 2) == [[2, 1, 0]]
    # 5,000 blocks (zh, en, bilingual): the bilingual file to the run started ahead, the
    # others to a second run
    long = {0: 920_000, 1: 600_000, 2: 1_680_000}
    assert libreoffice._runs(long, 2) == [[2], [0, 1]]
    assert libreoffice._runs({0: 3 * big, 1: 3 * big}, 2) == [[0], [1]]
    # one core (or --jobs 1): one run whatever the length
    assert libreoffice._runs(long, 1) == [[2, 0, 1]]
    assert libreoffice._runs({}, 2) == []
    # two runs started ahead (a long report): neither pays for a start, so they share evenly
    assert libreoffice._runs({0: 400_000, 1: 300_000, 2: 600_000}, 2, ahead=2) == [[2], [0, 1]]
    assert libreoffice._runs({0: 40_000}, 2, ahead=2) == [[0]]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_files_shared_between_two_runs_get_the_pages_one_run_gives(
        built: Path, monkeypatch: pytest.MonkeyPatch):
    program = shutil.which("soffice") or ""
    files = [_with_first_page_number((built / f"gpu-market.{e}.docx").read_bytes(), "99")
             for e in ("zh", "en", "bilingual")]
    one = libreoffice.paginate(files, program)
    monkeypatch.setattr(libreoffice, "START_BYTES", 0)  # every file is long enough to split
    assert libreoffice._runs({0: 1, 1: 1, 2: 1}, 2) == [[0, 2], [1]]
    assert libreoffice.paginate(files, program, runs=2) == one
    assert all(_first_page_number(f) != "99" for f in one)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_long_report_starts_two_libreoffice_runs_ahead_and_shares_its_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from builder import pipeline
    from builder.config import BuildConfig
    from tests.helpers import REPORT, logging_soffice

    program, log = logging_soffice(tmp_path)
    monkeypatch.setenv("REPORT_BUILDER_SOFFICE", str(program))
    monkeypatch.setattr(pipeline, "LONG_BLOCKS", 10)  # the bundled report counts as long
    result = pipeline.build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "out",
                                        formats=("docx",), editions=("zh", "en"),
                                        docx_pages="libreoffice", jobs=2))
    lines = log.read_text(encoding="utf-8").splitlines()
    started = [line for line in lines if "--nodefault" in line]
    runs = [line for line in lines if "--convert-to" in line]
    assert len(started) == 2 and len(runs) == 2, lines
    assert [run.count(".docx") for run in runs] == [1, 1]
    assert not any(libreoffice.pages_estimated(p.read_bytes()) for p in result.written)
    # the pages are those of one run for both files
    alone = libreoffice.paginate([p.read_bytes() for p in result.written],
                                 shutil.which("soffice") or "")
    assert alone == [p.read_bytes() for p in result.written]


def test_the_libreoffice_version_is_kept_until_the_program_changes(tmp_path: Path):
    calls = tmp_path / "calls"
    program = tmp_path / "soffice"
    program.write_text(f"#!/bin/sh\necho x >> {calls}\necho LibreOffice 9.9\n", encoding="utf-8")
    program.chmod(0o755)
    libreoffice._asked_version.cache_clear()
    kept = tmp_path / "cache" / "soffice-version.json"
    assert libreoffice.soffice_version(str(program), kept) == "LibreOffice 9.9"
    libreoffice._asked_version.cache_clear()  # a new process: the file answers
    assert libreoffice.soffice_version(str(program), kept) == "LibreOffice 9.9"
    assert calls.read_text(encoding="utf-8").count("x") == 1
    # another LibreOffice in its place: asked again
    program.write_text(f"#!/bin/sh\necho x >> {calls}\necho LibreOffice 10.0.1\n",
                       encoding="utf-8")
    libreoffice._asked_version.cache_clear()
    assert libreoffice.soffice_version(str(program), kept) == "LibreOffice 10.0.1"
    assert calls.read_text(encoding="utf-8").count("x") == 2
    # a broken cache file is asked past, not believed
    kept.write_text("{not json", encoding="utf-8")
    libreoffice._asked_version.cache_clear()
    assert libreoffice.soffice_version(str(program), kept) == "LibreOffice 10.0.1"
