"""Text units of a DOCX: every content text the engine writes, marked so edits map back.

Each text of the content that a paragraph or cell shows (a heading, a paragraph, a list item,
a table cell, a caption, a KPI label…) is wrapped in a hidden bookmark `_rb<n>`. A custom XML
part (`urn:report-builder:units:1`) names, for each bookmark, the text's address (the block
id and field, as `i18n.texts` spells them without the section), its language and a digest of
what was written. Hidden bookmarks and custom XML parts survive editing in Word and a
LibreOffice round trip; an editor sees neither.

`read_document` reads an edited file back: the text of every unit (bold, italic, code and
links, with tracked insertions and deletions kept apart), the paragraphs an editor added, and
the comments, each placed after or on the unit it follows. The engine uses the same reader on
its own output to compute the digests, so an unchanged text always reads back equal.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from builder.engines.docx import ooxml
from builder.engines.docx.ooxml import qn

NAMESPACE = "urn:report-builder:units:1"
PREFIX = "_rb"
_UNIT_NAME = re.compile(r"^_rb\d+$")
_REF = re.compile(r"^\s*REF\s+(\S+)")
_ITEM_PROPS = ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
               "<ds:datastoreItem ds:itemID=\"{5E0F7C1A-3B8D-4C52-9E61-2A7D0B4C8F13}\" "
               "xmlns:ds=\"http://schemas.openxmlformats.org/officeDocument/2006/customXml\">"
               "<ds:schemaRefs><ds:schemaRef ds:uri=\"urn:report-builder:units:1\"/>"
               "</ds:schemaRefs></ds:datastoreItem>")

Change = Literal["ins", "del"] | None


@dataclass(frozen=True)
class Piece:
    """A stretch of text with one formatting, as read from runs."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    change: Change = None
    author: str = ""
    field: bool = False  # the result of a REF field: Word rewrites it when fields update
    generated: int | None = None  # the content control (per paragraph) of generated text


@dataclass
class Paragraph:
    """A body paragraph as read back: its pieces per unit, and what else it holds."""

    pieces: list[tuple[str | None, Piece]] = field(default_factory=list)  # (unit name, piece)
    comments: list[tuple[str | None, str]] = field(default_factory=list)  # (unit name, id)
    units: list[str] = field(default_factory=list)  # names of units it (partly) holds
    style: str = ""
    numbered: bool = False
    in_table: bool = False
    inserted: bool = False  # a tracked insertion of the whole paragraph
    deleted: bool = False  # its paragraph mark is a tracked deletion

    def text(self, unit: str | None = None) -> str:
        return "".join(p.text for u, p in self.pieces if u == unit and p.change != "del")


@dataclass(frozen=True)
class Unit:
    """One unit of the built file: address, language and the digest of its text as written."""

    key: str
    lang: str
    digest: str


@dataclass
class Readback:
    """What an edited DOCX holds: its build record, its paragraphs and its comments."""

    report: str
    edition: str
    units: dict[str, Unit]  # bookmark name -> what was built there
    paragraphs: list[Paragraph]
    comments: dict[str, tuple[str, str]]  # comment id -> (author, text)


def digest(pieces: list[Piece]) -> str:
    """Return the digest of text with its formatting (tracked deletions left out).

    A cross-reference counts by its target only: updating fields in Word or LibreOffice
    rewrites its text ("图 5", "Figure 5"), which is no edit.
    """
    merged = [["" if p.field else p.text, p.bold, p.italic, p.code, p.href]
              for p in merge(pieces)]
    return hashlib.sha256(json.dumps(merged, ensure_ascii=False).encode()).hexdigest()[:12]


def merge(pieces: list[Piece], generated: bool = False) -> list[Piece]:
    """Return `pieces` without deleted text, neighbours of one formatting joined.

    With `generated`, text of a content control is never joined with text outside it.
    """
    out: list[Piece] = []
    for piece in pieces:
        if piece.change == "del" or not piece.text:
            continue
        group = piece.generated if generated else None
        if out and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].href,
                    out[-1].field, out[-1].generated) == (
                        piece.bold, piece.italic, piece.code, piece.href, piece.field, group):
            out[-1] = Piece(out[-1].text + piece.text, piece.bold, piece.italic, piece.code,
                            piece.href, field=piece.field, generated=group)
        else:
            out.append(Piece(piece.text, piece.bold, piece.italic, piece.code, piece.href,
                             field=piece.field, generated=group))
    return out


def accepted(pieces: list[Piece]) -> list[Piece]:
    """Return the text as it reads with every tracked change accepted."""
    return [p for p in pieces if p.change != "del"]


def rejected(pieces: list[Piece]) -> list[Piece]:
    """Return the text as it read before the tracked changes (deletions restored)."""
    from dataclasses import replace

    return [replace(p, change=None) for p in pieces if p.change != "ins"]


# -- reading runs ------------------------------------------------------------------------------

@dataclass
class Resolver:
    """What turns references in the XML into content terms."""

    external: Callable[[str], str | None]  # relationship id -> URL
    anchors: dict[str, str]  # bookmark name -> block id
    code_style: str | None


def _on(rpr: BaseOxmlElement | None, tag: str) -> bool:
    if rpr is None:
        return False
    elm = rpr.find(qn(tag))
    return elm is not None and elm.get(qn("w:val"), "true").lower() not in ("0", "false", "off")


@dataclass
class _State:
    href: str | None = None
    change: Change = None
    author: str = ""
    fields: list[list[str]] = field(default_factory=list)  # [instruction, phase] per open field
    generated: int | None = None
    controls: int = 0


def _run_pieces(run: BaseOxmlElement, state: _State, res: Resolver) -> Iterator[Piece]:
    rpr = run.find(qn("w:rPr"))
    style = rpr.find(qn("w:rStyle")) if rpr is not None else None
    code = style is not None and res.code_style is not None and \
        style.get(qn("w:val")) == res.code_style
    bold, italic = _on(rpr, "w:b"), _on(rpr, "w:i")
    for child in run:
        tag = child.tag
        if tag == qn("w:fldChar"):
            kind = child.get(qn("w:fldCharType"))
            if kind == "begin":
                state.fields.append(["", "instr"])
            elif kind == "separate" and state.fields:
                state.fields[-1][1] = "result"
            elif kind == "end" and state.fields:
                state.fields.pop()
            continue
        if tag == qn("w:instrText"):
            if state.fields:
                state.fields[-1][0] += child.text or ""
            continue
        if state.fields and state.fields[-1][1] == "instr":
            continue
        if tag in (qn("w:t"), qn("w:delText")):
            text = child.text or ""
        elif tag == qn("w:tab"):
            text = "\t"
        elif tag in (qn("w:br"), qn("w:cr")):
            text = "\n"
        elif tag == qn("w:noBreakHyphen"):
            text = "\u2011"
        else:
            continue
        href = state.href
        is_ref = False
        for instruction, _ in reversed(state.fields):
            ref = _REF.match(instruction)
            if ref:
                target = res.anchors.get(ref.group(1))
                href = f"#{target}" if target else href
                is_ref = target is not None
                break
        yield Piece(text, bold, italic, code, href, state.change, state.author, is_ref,
                    state.generated)


def _walk(parent: BaseOxmlElement, state: _State, res: Resolver) -> Iterator[
        tuple[str, object]]:
    """Yield ("piece", Piece), ("start", name), ("end", id), ("comment", id) in order."""
    for child in parent:
        tag = child.tag
        if tag == qn("w:r"):
            for piece in _run_pieces(child, state, res):
                yield "piece", piece
            for ref in child.iter(qn("w:commentReference")):
                yield "comment", ref.get(qn("w:id"))
        elif tag == qn("w:bookmarkStart"):
            yield "start", (child.get(qn("w:name")) or "", child.get(qn("w:id")) or "")
        elif tag == qn("w:bookmarkEnd"):
            yield "end", child.get(qn("w:id")) or ""
        elif tag == qn("w:commentRangeStart"):
            yield "comment", child.get(qn("w:id"))
        elif tag == qn("w:hyperlink"):
            saved = state.href
            rid = child.get(qn("r:id"))
            anchor = child.get(qn("w:anchor"))
            if rid:
                state.href = res.external(rid)
            elif anchor:
                target = res.anchors.get(anchor)
                state.href = f"#{target}" if target else None
            yield from _walk(child, state, res)
            state.href = saved
        elif tag in (qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")):
            saved_change, saved_author = state.change, state.author
            state.change = "ins" if tag in (qn("w:ins"), qn("w:moveTo")) else "del"
            state.author = child.get(qn("w:author")) or ""
            yield from _walk(child, state, res)
            state.change, state.author = saved_change, saved_author
        elif tag == qn("w:fldSimple"):
            state.fields.append([child.get(qn("w:instr")) or "", "result"])
            yield from _walk(child, state, res)
            state.fields.pop()
        elif tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                state.controls += 1
                saved_generated, state.generated = state.generated, state.controls
                yield from _walk(content, state, res)
                state.generated = saved_generated
        elif tag in (qn("w:smartTag"), qn("w:customXml")):
            yield from _walk(child, state, res)


def unit_pieces(start: BaseOxmlElement, res: Resolver) -> list[Piece]:
    """Return the pieces between the bookmark start `start` and its end (one paragraph)."""
    paragraph = start.getparent()
    bookmark_id = start.get(qn("w:id"))
    inside = False
    pieces: list[Piece] = []
    for kind, value in _walk(paragraph, _State(), res):
        if kind == "start" and value[1] == bookmark_id:  # type: ignore[index]
            inside = True
        elif kind == "end" and value == bookmark_id:
            break
        elif kind == "piece" and inside:
            pieces.append(value)  # type: ignore[arg-type]
    return pieces


def read_paragraph(p: BaseOxmlElement, open_units: dict[str, str], res: Resolver) -> Paragraph:
    """Read paragraph `p`; `open_units` (bookmark id -> name) carries units across paragraphs."""
    out = Paragraph()
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        style = ppr.find(qn("w:pStyle"))
        out.style = style.get(qn("w:val")) if style is not None else ""
        out.numbered = ppr.find(qn("w:numPr")) is not None
        mark = ppr.find(qn("w:rPr"))
        if mark is not None:
            out.inserted = mark.find(qn("w:ins")) is not None
            out.deleted = mark.find(qn("w:del")) is not None
    for name in open_units.values():
        out.units.append(name)

    def current() -> str | None:
        return next(reversed(open_units.values()), None) if open_units else None

    for kind, value in _walk(p, _State(), res):
        if kind == "start":
            name, started = value  # type: ignore[misc]
            if _UNIT_NAME.match(name):
                open_units[started] = name
                if name not in out.units:
                    out.units.append(name)
        elif kind == "end":
            open_units.pop(value, None)  # type: ignore[call-overload]
        elif kind == "piece":
            out.pieces.append((current(), value))  # type: ignore[arg-type]
        elif kind == "comment":
            out.comments.append((current(), value))  # type: ignore[arg-type]
    return out


# -- the build record --------------------------------------------------------------------------

def record_xml(report: str, edition: str, units: dict[str, Unit]) -> bytes:
    """Return the custom XML part that records what each unit bookmark holds."""
    root = etree.Element(f"{{{NAMESPACE}}}build", nsmap={None: NAMESPACE})
    root.set("report", report)
    root.set("edition", edition)
    for name, unit in units.items():
        item = etree.SubElement(root, f"{{{NAMESPACE}}}unit")
        item.set("name", name)
        item.set("key", unit.key)
        item.set("lang", unit.lang)
        item.set("digest", unit.digest)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_record_part(document_part: Part, xml: bytes) -> None:
    """Attach the build record to the document as a custom XML part (with its properties)."""
    package = document_part.package
    partname = package.next_partname("/customXml/item%d.xml")
    item = Part(partname, "application/xml", xml, package)
    props_name = PackURI(partname.replace("/item", "/itemProps"))
    props = Part(props_name,
                 "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                 _ITEM_PROPS.encode(), package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    document_part.relate_to(item, RT.CUSTOM_XML)


def read_record(data: bytes) -> tuple[str, str, dict[str, Unit]] | None:
    """Return (report id, edition, units) from the DOCX bytes `data`, or None if absent."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    with archive:
        for name in archive.namelist():
            if not re.fullmatch(r"customXml/item\d+\.xml", name):
                continue
            try:
                root = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError:
                continue
            if root.tag != f"{{{NAMESPACE}}}build":
                continue
            units = {item.get("name", ""): Unit(item.get("key", ""), item.get("lang", ""),
                                                item.get("digest", ""))
                     for item in root.iter(f"{{{NAMESPACE}}}unit")}
            return root.get("report", ""), root.get("edition", ""), units
    return None


# -- reading an edited file --------------------------------------------------------------------

def _style_names(doc: object) -> dict[str, str]:
    names: dict[str, str] = {}
    for style in doc.styles.element.iterchildren(qn("w:style")):  # type: ignore[attr-defined]
        name = style.find(qn("w:name"))
        if name is not None:
            names[style.get(qn("w:styleId"))] = name.get(qn("w:val"), "")
    return names


def _comments(doc: object) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for rel in doc.part.rels.values():  # type: ignore[attr-defined]
        if rel.is_external or rel.reltype != RT.COMMENTS:
            continue
        root = etree.fromstring(rel.target_part.blob)
        for comment in root.iter(qn("w:comment")):
            paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t")))
                          for p in comment.iter(qn("w:p"))]
            out[comment.get(qn("w:id"), "")] = (comment.get(qn("w:author"), ""),
                                                "\n".join(paragraphs).strip())
    return out


def read_document(data: bytes, anchors: dict[str, str], code_style_name: str) -> Readback:
    """Read the DOCX bytes `data` back: its build record, paragraphs and comments.

    `anchors` maps bookmark names to the block ids they stand for (internal links);
    `code_style_name` is the name of the character style of code spans. Raises ValueError
    for a file that is no DOCX or has no build record.
    """
    import docx

    record = read_record(data)
    if record is None:
        raise ValueError("no report-builder build record in this file")
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for bad files
        raise ValueError(f"not a Word document ({exc})") from None
    names = _style_names(doc)
    code = next((sid for sid, name in names.items() if name == code_style_name), None)
    rels = doc.part.rels
    res = Resolver(external=lambda rid: rels[rid].target_ref if rid in rels else None,
                   anchors=anchors, code_style=code)
    open_units: dict[str, str] = {}
    paragraphs = []
    for p in ooxml.body_paragraphs(doc.element.body):  # a chart's lettering is not read
        paragraph = read_paragraph(p, open_units, res)
        paragraph.style = names.get(paragraph.style, paragraph.style)
        paragraph.in_table = any(a.tag == qn("w:tbl") for a in p.iterancestors())
        paragraphs.append(paragraph)
    report, edition, units = record
    return Readback(report, edition, units, paragraphs, _comments(doc))
