"""The template sandbox refuses every known jinja2 escape and bomb, and keeps ordinary use working."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.compose.text import TextError, render_text
from builder.readers.data import DataTable

DATA = {"market_size": DataTable("market_size", [
    {"year": 2023, "usd_billion": 3.17}, {"year": 2032, "usd_billion": 47.24}],
    Path("/etc/report/m.csv"))}

# Each of these reaches an object's attributes, a method, a global or the file system in a
# plain jinja2 SandboxedEnvironment, or ran there before this sandbox.
ESCAPES = {
    "path walk to /etc/passwd": "{{ (market_size.path.parents[-1]/'etc'/'passwd').read_text() }}",
    "path write": "{{ market_size.path.write_text('x') }}",
    "path unlink": "{{ market_size.path.unlink() }}",
    "table method": "{{ market_size.column('year') }}",
    "dunder class": "{{ market_size.__class__ }}",
    "dunder by item": "{{ market_size.rows['__class__'] }}",
    "mro walk": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "str method": "{{ 'abc'.upper() }}",
    "str.format attribute trick": "{{ '{0.__class__.__init__.__globals__}'.format(market_size) }}",
    "format_map": "{{ '{x}'.format_map({'x': 1}) }}",
    "percent formatting": "{{ '%s' % market_size }}",
    "percent width bomb": "{{ '%0999999999d' % 1 }}",
    "format filter": "{{ '%s'|format(market_size) }}",
    "attr filter": "{{ market_size|attr('path') }}",
    "attr through map": "{{ market_size|map('attr', 'path')|list }}",
    "cycler global": "{{ cycler.__init__.__globals__.os }}",
    "joiner global": "{{ joiner().__init__.__globals__ }}",
    "namespace global": "{% set ns = namespace(x=1) %}{{ ns }}",
    "lipsum global": "{{ lipsum.__globals__['os'] }}",
    "dict global": "{{ dict(a=1) }}",
    "self reference": "{{ self.__init__.__globals__ }}",
    "loop.cycle": "{% for x in [1] %}{{ loop.cycle.__globals__ }}{% endfor %}",
    "dict method": "{{ market_size[2023].items() }}",
    "list mutation": "{{ [1, 2].append(3) }}",
    "row mutation": "{{ market_size[2023].update({'usd_billion': 0}) }}",
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import '/etc/passwd' as p %}",
    "extends": "{% extends '/etc/passwd' %}",
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "call block": "{% macro f() %}{{ caller() }}{% endmacro %}{% call f() %}x{% endcall %}",
    "recursive loop": "{% for x in [[1]] recursive %}{{ loop(x) }}{% endfor %}",
    "nested loop bomb": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}"
                        "{% endfor %}",
    "range bomb": "{{ range(10**9)|list|length }}",
    "string repeat": "{{ 'a' * 10**9 }}",
    "list repeat": "{{ [0] * 10**9 }}",
    "power bomb": "{{ 10 ** 10000000 }}",
    "doubling by concatenation": "{% set s = 'abcdefgh' * 1000 %}{% set s = s~s~s~s~s~s~s~s %}"
                                 "{% set s = s~s~s~s~s~s~s~s %}{% set s = s~s~s~s~s~s~s~s %}{{ s }}",
    "replace amplification": "{{ ('x' * 100000)|replace('x', 'y' * 100000) }}",
    "output bomb": "{% for i in range(900000) %}{{ 'a' * 1000 }}{% endfor %}",
    "set block capture": "{% set x %}{% for i in range(1000) %}aaaa{% endfor %}{% endset %}{{ x }}",
    "filter block": "{% filter upper %}x{% endfilter %}",
    "huge int from text": "{{ ('9' * 4000)|int }}",
    "infinite literal": "{{ 1e309 | usd }}",
    "center bomb": "{{ 'x'|center(10**9) }}",
    "random filter": "{{ [1, 2]|random }}",
}


@pytest.mark.parametrize("source", ESCAPES.values(), ids=ESCAPES.keys())
def test_each_known_escape_is_a_text_error(source: str):
    started = time.perf_counter()
    with pytest.raises(TextError):
        render_text(source, "en", DATA)
    # Not a timing assertion on speed: a bomb that is not refused runs for minutes or forever.
    assert time.perf_counter() - started < 30


def test_the_path_walk_reads_no_file():
    with pytest.raises(TextError, match="no attribute 'path'"):
        render_text(ESCAPES["path walk to /etc/passwd"], "en", DATA)


def test_refused_syntax_is_reported_at_its_line():
    with pytest.raises(TextError, match="macros cannot be used") as info:
        render_text("one\ntwo {% macro f() %}{% endmacro %}", "en", DATA)
    assert info.value.line_offset == 1


ORDINARY = {
    "{{ market_size[2032].usd_billion | usd('billion') }}": "USD 47.24 billion",
    "{{ market_size['2023'].usd_billion }}": "3.17",
    "{% for r in market_size %}{{ r.year }}{{ ',' if not loop.last }}{% endfor %}": "2023,2032",
    "{{ market_size|map(attribute='year')|join('/') }}": "2023/2032",
    "{{ market_size|length }}": "2",
    "{{ (market_size|sort(attribute='usd_billion', reverse=true)|first).year }}": "2032",
    "{{ (market_size[2032].usd_billion / market_size[2023].usd_billion) | round(1) }}": "14.9",
    "{% if market_size[2032].usd_billion > 40 %}big{% else %}small{% endif %}": "big",
    "{{ range(3)|sum }}": "3",
    "{{ 'x' ~ 'y' }}": "xy",
    "{{ 2 ** 10 }}": "1024",
    "{{ 7 % 3 }}": "1",
    "{{ [3, 1, 2]|sort|join }}": "123",
    "{{ 'hello'|upper }} {{ ' a '|trim }}": "HELLO a",
}


@pytest.mark.parametrize(("source", "expected"), ORDINARY.items())
def test_ordinary_templates_still_work(source: str, expected: str):
    assert render_text(source, "en", DATA) == expected


@pytest.mark.parametrize("value", ["1e308", "-1e19", "(10**30)"])
def test_numbers_a_report_cannot_print_are_errors(value: str):
    with pytest.raises(TextError, match="outside what a report prints"):
        render_text(f"{{{{ {value} | usd('billion') }}}}", "zh", DATA)


# Fragments of template syntax, glued at random: whatever comes out, rendering either works or
# is a TextError; no other exception, and no hang.
FRAGMENTS = ["{{", "}}", "{%", "%}", " for x in ", " range(", "10", "**", "*", "~", "'a'", ")",
             " if ", " else ", " endfor ", " endif ", "market_size", "[2023]", ".usd_billion",
             ".__class__", "|", "usd", "join", "list", "length", "(", ",", "1e308", " loop",
             ".index", " set y = ", " macro ", "'%s'", "%", " x ", "[", "]", "9" * 30, "-"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25))
def test_random_templates_render_or_raise_text_error(parts: list[str]):
    source = "".join(parts)
    try:
        render_text(source, "en", DATA)
    except TextError:
        pass
