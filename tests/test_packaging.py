"""The tool works as installed from its wheel: no file of the checkout is needed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT


def test_every_package_of_builder_is_in_the_wheel_list():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = {p for p in config["tool"]["setuptools"]["packages"] if "_bundled" not in p}
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "builder").rglob("__init__.py") if "__pycache__" not in p.parts}
    assert listed == found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    [path] = out.glob("report_builder-*.whl")
    return path


def test_the_wheel_carries_themes_terms_fonts_the_example_and_the_licences(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("builder/_bundled/templates/themes/default/theme.yaml",
                   "builder/_bundled/templates/themes/default/reference.docx",
                   "builder/_bundled/templates/i18n/en.yaml",
                   "builder/_bundled/assets/fonts/NotoSansSC-Regular.ttf",
                   "builder/_bundled/content/gpu-market/report.yaml"):
        assert needed in names
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert any(n.endswith("licenses/assets/fonts/OFL-notosanssc.txt") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert re.search(r"^License-Expression: MIT$", zipfile.ZipFile(wheel).read(metadata).decode(),
                     re.M)
    assert not any("__pycache__" in n for n in names)


def test_the_installed_wheel_makes_and_builds_a_report_in_an_empty_folder(wheel: Path,
                                                                          tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True, timeout=300)
    work = tmp_path / "empty"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONWARNINGS": ""}

    def run(*args: str, cwd: Path = work) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=600)

    where = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True).stdout
    assert where.startswith(str(target)), where  # the wheel, not the checkout
    made = run("new", "market", "--example", "gpu-market")
    assert made.returncode == 0, made.stderr
    assert run("check", "market").returncode == 0
    built = run("build", cwd=work / "market")  # REPORT_DIR: the current folder
    assert built.returncode == 0, built.stderr
    outputs = sorted(p.name for p in (work / "market" / "dist" / "market").glob("market.*"))
    assert len(outputs) == 6, outputs
    fonts = subprocess.run(["pdffonts", str(work / "market" / "dist" / "market" /
                                            "market.zh.pdf")], capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts.stdout  # emb
