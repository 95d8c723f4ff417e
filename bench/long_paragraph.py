"""How the PDF engine's time grows with one long Chinese paragraph: prints seconds per length and
the growth against the previous row (2.0 for linear when the length doubles).

    python bench/long_paragraph.py [--max 320000]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.engines.pdf import render  # noqa: E402
from builder.model.document import Paragraph, Span  # noqa: E402
from builder.themes import load_theme  # noqa: E402
from tests.sample_document import sample_document  # noqa: E402

UNIT = ("GPU算力市场正经历前所未有的增长，预计将从2023年的31.7亿美元增长到2032年的472.4亿美元，"
        "年复合增长率达35%。")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=160_000)
    args = parser.parse_args()
    theme = load_theme("default")
    base = sample_document("zh")
    render(base, theme)  # fonts registered, caches warm
    print(f"{'characters':>10}  {'seconds':>8}  {'growth':>6}")
    previous = None
    length = 20_000
    while length <= args.max:
        text = (UNIT * (length // len(UNIT) + 1))[:length]
        document = dataclasses.replace(base, blocks=(Paragraph("p", (Span(text),), "zh-CN"),))
        start = time.perf_counter()
        render(document, theme)
        seconds = time.perf_counter() - start
        growth = f"{seconds / previous:6.2f}" if previous else "     -"
        print(f"{length:>10}  {seconds:>8.2f}  {growth}")
        previous = seconds
        length *= 2


if __name__ == "__main__":
    main()
