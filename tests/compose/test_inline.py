"""Inline Markdown to spans: emphasis, links and code, with stray markers kept literally."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from builder.compose.inline import strip_markup, to_inline
from builder.model.document import Span


def test_bold_then_text_then_a_link():
    spans = to_inline("**整体市场**：CAGR达35% [来源：Credence Research](https://example.com/r)")
    assert spans == (
        Span("整体市场", bold=True),
        Span("：CAGR达35% "),
        Span("来源：Credence Research", href="https://example.com/r"),
    )


def test_italic_inside_bold_inherits_bold():
    assert to_inline("**a *b* c**") == (
        Span("a ", bold=True), Span("b", bold=True, italic=True), Span(" c", bold=True))


def test_stray_markers_and_snake_case_stay_literal():
    assert strip_markup("a * b, 2*3, snake_case_name, **open") == \
        "a * b, 2*3, snake_case_name, **open"


def test_escapes_and_code():
    assert to_inline(r"\*not italic\*") == (Span("*not italic*"),)
    assert to_inline("run `a*b*c`") == (Span("run "), Span("a*b*c", code=True))


def test_an_empty_link_label_is_kept_for_cross_references():
    assert to_inline("见[](#fig-cost)") == (Span("见"), Span("", href="#fig-cost"))


# Without parentheses no link can form, so every letter of the input is displayed text.
@given(st.text(alphabet="ab *_`[]#\\中文：，", max_size=40))
def test_parsing_never_fails_and_loses_no_letters(text):
    plain = strip_markup(text)
    letters = [ch for ch in text if ch in "ab中文：，"]
    assert [ch for ch in plain if ch in "ab中文：，"] == letters


# A link's target is not displayed text: its label's letters are, and the target is the href.
@given(st.text(alphabet="ab 中文：，", max_size=12), st.text(alphabet="ab#-", min_size=1,
                                                             max_size=12),
       st.text(alphabet="ab 中文", max_size=8), st.text(alphabet="ab 中文", max_size=8))
def test_a_link_keeps_its_label_and_its_target(label, target, before, after):
    spans = to_inline(f"{before}[{label}]({target}){after}")
    assert "".join(s.text for s in spans) == before + label + after
    assert {s.href for s in spans if s.href} == {target}
