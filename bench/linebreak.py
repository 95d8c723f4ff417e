"""Benchmark of the PDF line breaker: rule violations and speed over widths 40-500 pt.

Run `python bench/linebreak.py`; it prints numbers and never fails on time.
"""

from __future__ import annotations

import time

from builder.themes import load_theme
from tests.engines.pdf.test_pdf_linebreak import check_rules
from tests.engines.pdf.texts import SEED_EN, SEED_ZH


def main() -> None:
    load_theme("default")
    texts = ["".join(SEED_ZH), " ".join(SEED_EN), "".join(SEED_ZH) + " ".join(SEED_EN)]
    widths = [float(w) for w in range(40, 501)]
    start = time.perf_counter()
    problems = [p for text in texts for w in widths for p in check_rules(text, w)]
    elapsed = time.perf_counter() - start
    runs = len(texts) * len(widths)
    print(f"texts={len(texts)} widths={len(widths)} (40-500 pt, 1 pt steps) runs={runs}")
    print(f"violations={len(problems)}")
    for problem in problems[:10]:
        print("  ", problem)
    print(f"time={elapsed:.2f}s ({elapsed / runs * 1000:.2f} ms per break, incl. checks)")


if __name__ == "__main__":
    main()
