"""Render state of the DOCX engine: styles by key, bookmarks by block id, comment anchors.

One `Context` lives for one `render()` call; the block writers share it. It also holds the
bookmark naming rule, the single place where a content block id becomes a Word bookmark name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from builder.engines.docx import ooxml, units
from builder.engines.docx.fontnames import Fallbacks
from builder.engines.docx.ooxml import qn
from builder.engines.docx.styles import STYLE
from builder.model.document import (
    Block,
    Callout,
    Document,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    Pair,
    References,
    Table,
    Terms,
    plain_text,
)

_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,39}")
MAX_BOOKMARK = 40
AFTER_TABLE_PT = 8.0  # the space between a table (or KPI strip) and what follows it


def bookmark_name(block_id: str) -> str:
    """Return the Word bookmark name that carries `block_id` in the DOCX.

    The rule (a pure function, so an edited file maps back by applying it to every content
    id): an id of ASCII letters, digits and hyphens that starts with a letter and has at most
    40 characters becomes itself with `-` replaced by `_` (`fig-cost` -> `fig_cost`). Any
    other id becomes `id_` + its first 28 characters with every character outside
    `[A-Za-z0-9_]` replaced by `_` + `_` + the first 8 hex digits of its SHA-1 (UTF-8).
    Names are valid Word bookmark names: a letter first, at most 40 characters, not hidden.
    """
    if _PLAIN_ID.fullmatch(block_id) and "_" not in block_id:
        return block_id.replace("-", "_")
    digest = hashlib.sha1(block_id.encode("utf-8")).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9_]", "_", block_id)[:28]
    return f"id_{stem}_{digest}"


def language_id(block_id: str, lang: str) -> str:
    """Return the id that marks the `lang` caption label (or heading line) of `block_id` in
    the bilingual edition, where an English sentence's REF field must repeat "Figure 5", not
    "图 5". (`:` never occurs in content ids, so no block's own bookmark can collide.)"""
    return f"{block_id}:{lang}"


def language_bookmark(block_id: str, lang: str) -> str:
    """Return the bookmark name of `language_id(block_id, lang)`."""
    return bookmark_name(language_id(block_id, lang))


def anchor_names(targets: Iterable[str]) -> dict[str, str]:
    """Return every bookmark name a link to one of `targets` may use, mapped to the target."""
    names: dict[str, str] = {}
    for target in targets:
        names[bookmark_name(target)] = target
        names[language_bookmark(target, "en")] = target
    return names


def _iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Pair):
            yield from _iter_blocks((block.first, block.second))


def _iter_items(items: tuple[ListItem, ...]) -> Iterator[ListItem]:
    for item in items:
        yield item
        yield from _iter_items(item.children)


def _shown_by_ref(block: Block) -> frozenset[str]:
    """Return the texts a REF field to `block` shows: a heading's titles, a caption's labels."""
    if isinstance(block, Heading):
        titles = (block.text, block.secondary) if block.secondary else (block.text,)
        return frozenset(plain_text(title) for title in titles)
    caption = block.caption if isinstance(block, Figure | Table) else None
    if caption is None:
        return frozenset()
    return frozenset(c.label for c in (caption, caption.secondary) if c is not None)


def link_targets(document: Document) -> dict[str, frozenset[str]]:
    """Return every id an internal link may point at, mapped to the texts a REF field shows.

    A link whose text is one of them (`图 5`, a heading's own title) becomes a REF field, which
    renumbers; any other link text (`the index of research reports`) an internal hyperlink, as
    a REF field would replace it by the target's text when fields are updated.
    """
    targets: dict[str, frozenset[str]] = {}
    for block in _iter_blocks(document.blocks):
        if isinstance(block, Pair):
            continue  # its halves carry the id (a table pair's is a REF target, as a table)
        # A bilingual table's halves share the id: a REF shows either half's label.
        targets[block.id] = targets.get(block.id, frozenset()) | _shown_by_ref(block)
        if isinstance(block, ListBlock | Callout):
            for item in _iter_items(block.items):
                targets.setdefault(item.id, frozenset())
        if isinstance(block, References):
            for ref in block.items:
                targets.setdefault(ref.id, frozenset())
    return targets


#: Where the ids of the shapes inside charts' drawing groups start.
DRAWING_SHAPE_IDS = 1_000_000

@dataclass
class Context:
    """What the block writers share while one Document is written."""

    doc: DocxDocument
    document: Document
    style_ids: dict[str, str]
    fallbacks: Fallbacks
    text_width_pt: float
    text_height_pt: float
    body_pt: float
    leading: float
    targets: dict[str, frozenset[str]]
    anchors: dict[str, tuple[Run, Run]] = field(default_factory=dict)
    bookmarks: dict[str, str] = field(default_factory=dict)
    _next_bookmark: int = 0
    _bookmark_names: set[str] = field(default_factory=set)
    _next_shape_id: int | None = None
    # The shapes inside charts' drawing groups are numbered apart, from DRAWING_SHAPE_IDS, so
    # pictures' ids do not move when a chart is drawn with more or fewer shapes.
    _next_drawing_shape_id: int = 0
    text_units: dict[str, units.Unit] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)  # of the texts being written (`unit`)
    punctuation: bool = True  # the theme's `layout.punctuation`: quotes and brackets by rule
    # The family and files an SVG's text is drawn in for its PNG fallback (the theme's CJK face).
    svg_font: tuple[str, tuple[Path, ...]] = ("", ())
    # The theme's text families (Latin, CJK): chart text in them names no font of its own.
    theme_families: frozenset[str] = frozenset()
    _resolver: units.Resolver | None = None
    # The cached page numbers of the contents (heading bookmark -> page) and the run showing
    # the footer's total, so a layout pass can correct them (engines/libreoffice.py).
    toc_pages: dict[str, int] = field(default_factory=dict)
    page_results: dict[str, list[Run]] = field(default_factory=dict)

    @property
    def terms(self) -> Terms:
        """Return the localized words of the document."""
        return self.document.terms

    @property
    def writing_chinese(self) -> bool:
        """Return True when the text being written is Chinese (punctuation by its rules)."""
        lang = self.languages[-1] if self.languages else self.document.lang.split("-")[0]
        return lang == "zh"

    @property
    def zh(self) -> bool:
        """Return True when the main language is Chinese."""
        return self.document.lang == "zh-CN"

    def style(self, key: str) -> str:
        """Return the style id for the logical style `key` (see styles.STYLE)."""
        return self.style_ids[key]

    def paragraph(self, key: str, container: _Cell | None = None) -> DocxParagraph:
        """Return a new empty paragraph in the body (or `container`) with the style `key`."""
        if container is not None:
            paragraph = container.add_paragraph()
        else:
            # python-docx's add_paragraph looks for the body's w:sectPr from the first child
            # on: quadratic in a long document (4.4 s of a 10,000-paragraph file's 6.5 s).
            body = self.doc.element.body
            element = OxmlElement("w:p")
            last = _child(body, -1)
            if last is not None and last.tag == qn("w:sectPr"):
                last.addprevious(element)
            else:
                body.append(element)
            paragraph = DocxParagraph(element, self.doc._body)
        ppr = ooxml.set_paragraph_style(paragraph._p, self.style(key))
        previous = paragraph._p.getprevious()
        if container is None and previous is not None and previous.tag == qn("w:tbl") \
                and key not in ("h1", "h2", "h3"):  # headings have more space above
            # A table ends without space below it; the paragraph after it keeps a distance
            # (instead of an empty paragraph an editor would have to delete).
            ppr.get_or_add_spacing().before = Pt(AFTER_TABLE_PT)
        return paragraph

    def resolver(self) -> units.Resolver:
        """Return how this document's links and code style read back as content terms."""
        if self._resolver is None:
            rels = self.doc.part.rels
            self._resolver = units.Resolver(
                external=lambda rid: rels[rid].target_ref if rid in rels else None,
                anchors=anchor_names(self.targets),
                code_style=self.style_ids.get("code"))
        return self._resolver

    @contextmanager
    def unit(self, paragraph: DocxParagraph, key: str, lang: str) -> Iterator[None]:
        """Mark what the enclosed writer appends to `paragraph` as the content text `key`.

        A hidden bookmark wraps the new runs; the build record keeps the text's address, its
        language (`zh-CN` is recorded as `zh`) and the digest of what was written, read back
        as an import of the edited file will read it.
        """
        p = paragraph._p
        before = p[-1] if len(p) else None
        language = lang.split("-")[0]
        self.languages.append(language)
        try:
            yield
        finally:
            self.languages.pop()
        added = [e for e in ooxml.children_after(p, before) if e.tag != qn("w:pPr")]
        self._next_bookmark += 1
        ident = str(self._next_bookmark)
        name = f"{units.PREFIX}{len(self.text_units) + 1}"
        start = ooxml.element("w:bookmarkStart", id=ident, name=name)
        end = ooxml.element("w:bookmarkEnd", id=ident)
        if added:
            added[0].addprevious(start)
            added[-1].addnext(end)
        else:
            p.append(start)
            p.append(end)
        pieces = units.unit_pieces(start, self.resolver())
        self.text_units[name] = units.Unit(key, language, units.digest(pieces))

    def drawing_shape_id(self) -> int:
        """Return the id of the next shape inside a chart's drawing group."""
        self._next_drawing_shape_id += 1
        return DRAWING_SHAPE_IDS + self._next_drawing_shape_id

    def shape_id(self) -> int:
        """Return the id of the next picture: what python-docx's `next_id` would return.

        python-docx finds it by collecting every `id` attribute of the document for each
        picture, which made long reports quadratic; the scan runs once here, and each picture
        then takes the next number (pictures are the only body elements with plain `id`s).
        """
        if self._next_shape_id is None:
            self._next_shape_id = self.doc.part.next_id
        shape_id = self._next_shape_id
        self._next_shape_id += 1
        return shape_id

    def body_mark(self) -> int:
        """Return the number of body children, to find what a writer appended afterwards."""
        return len(self.doc.element.body) - 1  # the final w:sectPr stays last

    def _last_before_sect(self) -> BaseOxmlElement | None:
        last = _child(self.doc.element.body, -1)  # lxml finds the last child from the end
        if last is not None and last.tag == qn("w:sectPr"):
            last = last.getprevious()
        return last

    def bookmark_id(self) -> int:
        """Return a new bookmark id (for a bookmark whose name is not a block id)."""
        self._next_bookmark += 1
        return self._next_bookmark

    def _new_bookmark(self, block_id: str) -> tuple[int, str] | None:
        name = bookmark_name(block_id)
        if block_id in self.bookmarks or name in self._bookmark_names:
            return None
        self.bookmarks[block_id] = name
        self._bookmark_names.add(name)
        self._next_bookmark += 1
        return self._next_bookmark, name

    def mark_paragraphs(self, block_id: str, first: BaseOxmlElement,
                        last: BaseOxmlElement) -> None:
        """Bookmark paragraphs `first`…`last` with `block_id` unless the id is already placed."""
        new = self._new_bookmark(block_id)
        if new is None:
            return
        ooxml.add_bookmark(first, last, *new)
        shown = (qn("w:t"), qn("w:drawing"), ooxml.MC_ALTERNATE)  # a chart: its drawing group
        runs = [r for p in (first, last) for r in p.iter(qn("w:r"))
                if any(c.tag in shown for c in r) and not ooxml.in_text_box(r)]
        if runs:
            self.anchors.setdefault(block_id, (Run(runs[0], None), Run(runs[-1], None)))

    def mark_runs(self, block_id: str, first: Run, last_elm: BaseOxmlElement) -> None:
        """Bookmark a run range (a caption label and its SEQ field) with `block_id`."""
        new = self._new_bookmark(block_id)
        if new is None:
            return
        first._r.addprevious(ooxml.element("w:bookmarkStart", id=str(new[0]), name=new[1]))
        last_elm.addnext(ooxml.element("w:bookmarkEnd", id=str(new[0])))
        self.anchors.setdefault(block_id, (first, first))

    @contextmanager
    def block(self, block_id: str) -> Iterator[None]:
        """Bookmark whatever top-level paragraphs the enclosed writer appends with `block_id`."""
        before = self._last_before_sect()
        yield
        added = ooxml.children_after(self.doc.element.body, before, stop="w:sectPr")
        paragraphs = [e for e in added if e.tag == qn("w:p")]
        if not paragraphs:  # a block that is only a table: mark its first cell paragraph
            cells = [p for e in added for p in e.iter(qn("w:p"))]
            paragraphs = cells[:1]
        if paragraphs:
            self.mark_paragraphs(block_id, paragraphs[0], paragraphs[-1])


def _child(element: BaseOxmlElement, index: int) -> BaseOxmlElement | None:
    """Return the child at `index` (0 or -1 are found without counting), or None."""
    try:
        return element[index]  # type: ignore[no-any-return]
    except IndexError:
        return None


def resolve_styles(doc: DocxDocument) -> dict[str, str]:
    """Return logical style key -> style id, looking styles up by (case-insensitive) name."""
    by_name: dict[str, str] = {}
    for style in doc.styles.element.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            by_name.setdefault(name.get(qn("w:val"), "").lower(), style.get(qn("w:styleId")))
    return {key: by_name[name.lower()] for key, name in STYLE.items()
            if name.lower() in by_name}
