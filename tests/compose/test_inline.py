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


_MARKUP = "ab c_*[]`\\中文："
_WORDS = "ab c中文："


@st.composite
def _span(draw: st.DrawFn) -> Span:
    """A span: any text when plain; emphasised text of words (emphasis around markup
    characters, `**\\***`, is beyond what the inline reader tells apart); code that can be
    written as code."""
    bold, italic, code = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
    alphabet = "ab_*中：" if code else _WORDS if bold or italic else _MARKUP
    text = draw(st.text(alphabet=alphabet, min_size=1, max_size=8))
    href = draw(st.sampled_from([None, None, "https://x.org/a_(b)", "#fig-x"]))
    return Span(text, bold, italic, code, href)


_SPANS = st.lists(_span(), max_size=6)


def _visible(spans: list[Span]) -> list[tuple[str, bool, bool, bool, str | None]]:
    """Return each character with what a reader sees of it (white space has no emphasis)."""
    # A backslash ending an emphasis is set after it: `*a\\*` would read as an escaped `*`.
    return [(ch, s.bold and ch not in " \\", s.italic and ch not in " \\", s.code, s.href)
            for s in spans for ch in s.text]


@given(_SPANS)
def test_markdown_written_from_spans_reads_back_as_those_spans(spans: list[Span]):
    from builder.compose.inline import _merge, to_markdown

    back = list(to_inline(to_markdown(spans)))
    spans = _merge(spans)
    # code that cannot be written as code (a backtick, outer spaces) comes back as text
    # and bold or italic code holding an emphasis marker loses the emphasis
    expected = []
    for s in spans:
        code = s.code and "`" not in s.text and s.text.strip() == s.text and not (
            s.href is not None and ("[" in s.text or "]" in s.text))
        plain = code and any(ch in s.text for ch in "*_")
        expected.append(Span(s.text, s.bold and not plain, s.italic and not plain, code, s.href))
    assert _visible(back) == _visible(expected)


def test_an_emphasis_that_cannot_close_before_a_letter_is_spelled_the_other_way():
    from builder.compose.inline import to_markdown

    # `*a*__a__a` would leave `__` open (an underscore does not close before a letter)
    spans = [Span("a", italic=True), Span("a", bold=True), Span("a")]
    markdown = to_markdown(spans)
    assert [(s.text, s.bold, s.italic) for s in to_inline(markdown)] == [
        ("a", False, True), ("a", True, False), ("a", False, False)], markdown
