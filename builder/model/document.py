"""The typed document model: what compose produces and every engine consumes.

Everything here is a frozen dataclass built from the standard library only. A `Document` is one
edition (zh, en or bilingual), already localized, numbered and with every chart rendered; engines
never look back at content files, YAML or templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

from builder.locale import Edition, Lang

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class InlineMath:
    """A formula inside a line of text: its LaTeX and the SVG mathtext drew of it (glyphs as
    paths), with its box in em of the text it sits in: `width`, `height` and `depth` below the
    baseline (the SVG's baseline is `depth` above its bottom edge)."""

    tex: str
    svg: str = ""
    width: float = 0.0
    height: float = 0.0
    depth: float = 0.0


@dataclass(frozen=True)
class Span:
    """A run of inline text with one set of attributes.

    `href` is an external URL or `#id` for an internal link; `None` means plain text.
    `generated` marks text a data expression produced: the expression as written
    (`{{ market_size[2032].usd_billion | usd("billion") }}`), or "" when the template's
    statements hide which one. The DOCX engine locks such text against editing.
    """

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    generated: str | None = None
    #: A footnote reference (`text` is ""): the note's text and its number in the document.
    note: tuple[Span, ...] | None = None
    note_number: int = 0
    #: Inline math (`text` is ""): its LaTeX and, once composed, its drawing.
    math: InlineMath | None = None


Inline = tuple[Span, ...]


def plain_text(inline: Inline) -> str:
    """Return the text of `inline` without any attributes."""
    return "".join(span.text for span in inline)


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is a chapter. `secondary` is the other language's title."""

    id: str
    level: int
    text: Inline
    lang: Lang
    secondary: Inline | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text. `style` is `body` or `note` (a smaller closing remark)."""

    id: str
    text: Inline
    lang: Lang
    style: Literal["body", "note"] = "body"


@dataclass(frozen=True)
class ListItem:
    """One list entry with optional nested entries."""

    id: str
    text: Inline
    children: tuple[ListItem, ...] = ()
    children_ordered: bool = False


@dataclass(frozen=True)
class ListBlock:
    """A bullet (`ordered=False`) or numbered list."""

    id: str
    items: tuple[ListItem, ...]
    ordered: bool
    lang: Lang


@dataclass(frozen=True)
class Caption:
    """A numbered caption: `label` is the localized term with its number, e.g. `图 5`.

    `secondary` is the English caption of a figure in the bilingual edition (one chart, two
    captions); `None` elsewhere.
    """

    label: str
    number: int
    text: Inline
    source: Inline | None = None
    secondary: Caption | None = None


@dataclass(frozen=True)
class Table:
    """A table with one header row. `align` gives one alignment per column; with
    `row_headers` the first column names its rows (the engines set it in bold)."""

    id: str
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    align: tuple[Align, ...]
    lang: Lang
    caption: Caption | None = None
    row_headers: bool = False


@dataclass(frozen=True)
class Callout:
    """A highlighted box, e.g. the key findings: a title and a list of findings."""

    id: str
    title: Inline
    items: tuple[ListItem, ...]
    lang: Lang


@dataclass(frozen=True)
class Kpi:
    """One big number of a KPI strip: `value` as shown (`USD 47.24 billion`) and its label.

    `generated` is the template that printed the value, when data did (see `Span.generated`).
    """

    value: str
    label: Inline
    generated: str | None = None


@dataclass(frozen=True)
class KpiStrip:
    """A row of big numbers for the executive summary."""

    id: str
    items: tuple[Kpi, ...]
    lang: Lang


@dataclass(frozen=True)
class ChartImage:
    """A rendered chart in the build cache: its vector drawing (PDF engine) and a PNG for Word.

    `pdf_path` and `png_path` name where those files are (or would be) cached; `drawing_path`
    is the recorded drawing the PDF engine replays (`None` when there is none: the PNG is used).
    """

    pdf_path: Path
    png_path: Path
    svg_path: Path | None
    width_pt: float
    height_pt: float
    drawing_path: Path | None = None


@dataclass(frozen=True)
class Picture:
    """An image file placed in a figure: a PNG or JPEG, or an SVG drawn as vectors.

    `width_pt` × `height_pt` is the size it is placed at, within the text width; `natural_*`
    is its own size (its pixels at its resolution, or the SVG's width and height).
    """

    path: Path
    format: Literal["png", "jpeg", "svg"]
    width_pt: float
    height_pt: float
    natural_width_pt: float
    natural_height_pt: float


@dataclass(frozen=True)
class Figure:
    """A chart or an image with its caption. `image` is `None` when the chart could not be
    rendered (or in check mode)."""

    id: str
    caption: Caption
    alt: str
    lang: Lang
    image: ChartImage | Picture | None = None


@dataclass(frozen=True)
class Reference:
    """A listed reference. `href` is `None` when its local target is missing."""

    id: str
    text: Inline
    href: str | None
    target: str


@dataclass(frozen=True)
class References:
    """A list of references (citations or further reading)."""

    id: str
    items: tuple[Reference, ...]
    lang: Lang


@dataclass(frozen=True)
class Footnote:
    """A footnote of the document: its number (the order of its reference) and its text."""

    number: int
    text: Inline
    lang: Lang


@dataclass(frozen=True)
class EditorNote:
    """A note for editors attached to a block (rendered as a comment in Word)."""

    block_id: str
    text: str


CodeKind = Literal["text", "keyword", "name", "function", "string", "number", "comment",
                   "operator"]


@dataclass(frozen=True)
class CodeToken:
    """A run of code text with its highlighting class (engines give each class a colour)."""

    text: str
    kind: CodeKind = "text"


@dataclass(frozen=True)
class CodeBlock:
    """Source code, one tuple of tokens per line; the same in every language."""

    id: str
    language: str  # the Pygments lexer's name (`python`), "" for plain text
    lines: tuple[tuple[CodeToken, ...], ...]


@dataclass(frozen=True)
class Formula:
    """A displayed formula: its LaTeX, and the SVG mathtext drew of it (glyphs as paths) at
    `width_pt` × `height_pt`; the same in every language."""

    id: str
    tex: str
    svg: str
    width_pt: float
    height_pt: float


Block = Union[Heading, Paragraph, ListBlock, Table, Callout, KpiStrip, Figure, References,
              CodeBlock, Formula, "Pair"]


@dataclass(frozen=True)
class Pair:
    """The same block in two languages, for the bilingual edition: `first` is the Chinese."""

    id: str
    first: Block
    second: Block


@dataclass(frozen=True)
class Terms:
    """Localized words the engines print themselves."""

    contents: str
    figure: str
    table: str
    source: str
    page: str
    of: str
    key_findings: str
    placeholder: str
    page_format: str = "{page} / {total}"
    cover: str = "Cover"  # the cover's page label in a PDF viewer (it has no number)
    prepared_by: str = "Prepared by"  # the cover's facts: who, when, for whom, written by
    date: str = "Date"
    classification: str = "Classification"
    authors: str = "Authors"
    generated: str = "Generated from data"  # the title of a locked, data-generated text (DOCX)
    latin_language: str = "en-GB"  # the proofing language of Latin-script text (DOCX)


@dataclass(frozen=True)
class Document:
    """One edition of a report, ready for an engine.

    `lang` is the main language (`zh-CN` for the zh and bilingual editions). `date` is an ISO date
    string from the content or `SOURCE_DATE_EPOCH`, never the clock (empty when neither gives
    one); `date_display` is the same date written for readers (`2025年6月30日`, `30 June 2025`).
    """

    report_id: str
    edition: Edition
    lang: Lang
    title: str
    subtitle: str
    secondary_title: str | None
    secondary_subtitle: str | None
    date: str
    organisation: str
    authors: tuple[str, ...]
    keywords: tuple[str, ...]
    blocks: tuple[Block, ...]
    terms: Terms
    notes: tuple[EditorNote, ...] = field(default=())
    confidentiality: str = ""
    date_display: str = ""
    footnotes: tuple[Footnote, ...] = ()


def has_contents(document: Document) -> bool:
    """Return True when the document gets a table of contents: it would list two or more
    entries (headings of levels 1 and 2). A one-heading brief has nothing to find in one."""
    entries = 0
    for block in document.blocks:
        first = block.first if isinstance(block, Pair) else block
        if isinstance(first, Heading) and first.level <= 2:
            entries += 1
            if entries > 1:
                return True
    return False
