"""Raw OOXML helpers for the DOCX engine: fields, bookmarks, links, fonts and language tags.

python-docx covers paragraphs, runs, tables and pictures; everything it lacks (complex fields,
bookmarks, internal hyperlinks, East Asian font settings) is built here from schema-named
elements, so the block writers in this package never touch raw XML themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import NamespacePrefixedTag, nsdecls
from docx.oxml.ns import qn as _qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

#: python-docx's `qn` ("w:p" -> "{…main}p"), remembered: the engine asks it about a million
#: times for a long file.
qn = cache(_qn)

# Characters that make a run "East Asian": CJK ideographs, CJK punctuation, kana, full-width
# forms. A run with any of them gets the East Asian font, language and font hint.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)

# Attributes that let the document theme override the explicit font names (QUALITY.md).
THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Children of w:rPr that come after w:lang in schema order.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def has_cjk(text: str) -> bool:
    """Return True when `text` holds at least one CJK character or CJK punctuation mark."""
    return _CJK.search(text) is not None


def add_run(paragraph: DocxParagraph, text: str) -> Run:
    """Append a run of `text` to `paragraph`, as `paragraph.add_run(text)` does.

    python-docx's own sends every character through a state machine (for tabs and line
    breaks); text without them goes straight into one w:t, the same XML at a fifth of the time.
    """
    if not text or "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    r.add_t(text)
    return Run(r, paragraph)


def cjk_count(text: str) -> int:
    """Return how many characters of `text` are CJK characters or CJK punctuation marks."""
    return len(_CJK.findall(text))


def element(tag: str, **attrs: str) -> BaseOxmlElement:
    """Return a new `w:` element; keyword names are attribute local names in the w namespace.

    What `OxmlElement(tag)` and a `set` per attribute make, with the tag's names remembered.
    """
    name, namespaces = _tag_names(tag)
    attrib = {qn(f"w:{key}"): value for key, value in attrs.items()} if attrs else None
    return oxml_parser.makeelement(name, attrib=attrib, nsmap=namespaces)  # type: ignore[no-any-return]


@cache
def _tag_names(tag: str) -> tuple[str, dict[str, str]]:
    """Return the Clark name of `tag` ("w:p") and the namespace declaration it is made with."""
    named = NamespacePrefixedTag(tag)
    return named.clark_name, named.nsmap


def strip_theme_fonts(root: BaseOxmlElement) -> None:
    """Remove the theme font attributes from every w:rFonts below `root`."""
    for fonts in root.iter(qn("w:rFonts")):
        for attr in THEME_FONT_ATTRIBUTES:
            fonts.attrib.pop(qn(attr), None)


def _own_fonts(rpr: BaseOxmlElement) -> BaseOxmlElement:
    """Return the w:rFonts of the run properties `rpr` (made if missing), theme fonts removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = element("w:rFonts")
        rstyle = rpr.find(qn("w:rStyle"))
        if rstyle is not None:
            rstyle.addnext(fonts)
        else:
            rpr.insert(0, fonts)
    for attr in THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attr), None)
    return fonts


def set_east_asian(rpr: BaseOxmlElement, font: str) -> None:
    """Set the East Asian font and `w:lang w:eastAsia="zh-CN"` on the run properties `rpr`
    (the document defaults': every style and run inherits them)."""
    fonts = _own_fonts(rpr)
    fonts.set(qn("w:eastAsia"), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = element("w:lang")
        rpr.insert_element_before(lang, *_AFTER_LANG)
    lang.set(qn("w:eastAsia"), "zh-CN")


def set_all_fonts(rpr: BaseOxmlElement, family: str) -> None:
    """Name `family` for every script slot of the run properties `rpr` (a fallback face)."""
    fonts = _own_fonts(rpr)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), family)


def mark_run_east_asian(run: Run) -> None:
    """Mark a run holding Chinese text as East Asian (`w:hint`): what its style cannot say.

    The font and the language come from the styles (document defaults, Normal, headings),
    so an editor who changes a style's East Asian font changes the Chinese text too; the
    hint only makes ambiguous characters (curly quotes, dashes) take the East Asian font.
    """
    _own_fonts(run._r.get_or_add_rPr()).set(qn("w:hint"), "eastAsia")


def _run(paragraph_like: BaseOxmlElement, *children: BaseOxmlElement) -> BaseOxmlElement:
    r = OxmlElement("w:r")
    for child in children:
        r.append(child)
    paragraph_like.append(r)
    return r


def _instr(text: str) -> BaseOxmlElement:
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {text.strip()} "
    return instr


def field_begin(parent: BaseOxmlElement, instruction: str) -> None:
    """Append the start of a complex field (begin, instruction, separate) to `parent`."""
    _run(parent, element("w:fldChar", fldCharType="begin", dirty="false"))
    _run(parent, _instr(instruction))
    _run(parent, element("w:fldChar", fldCharType="separate"))


def field_end(parent: BaseOxmlElement) -> None:
    """Append the end of a complex field to `parent`."""
    _run(parent, element("w:fldChar", fldCharType="end"))


def add_field(paragraph: DocxParagraph, instruction: str, cached: str,
              style_id: str | None = None, east_asian: bool = False) -> Run:
    """Append a complex field with its cached result; return the run holding the result.

    The cached result is what every reader shows before fields are updated, so it must be
    the right value (the caption number, the page count guess, the link text).
    """
    p = paragraph._p
    field_begin(p, instruction)
    run = add_run(paragraph, cached)
    if style_id:
        run._r.get_or_add_rPr().style = style_id
    if east_asian and has_cjk(cached):
        mark_run_east_asian(run)
    field_end(p)
    return run


def add_bookmark(first: BaseOxmlElement, last: BaseOxmlElement, bookmark_id: int,
                 name: str) -> None:
    """Wrap the content from paragraph `first` to paragraph `last` in a bookmark.

    The start goes right after the first paragraph's properties and the end at the close of
    the last paragraph, so the bookmark covers whole paragraphs and survives editing.
    """
    start = element("w:bookmarkStart", id=str(bookmark_id), name=name)
    ppr = first.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    last.append(element("w:bookmarkEnd", id=str(bookmark_id)))


def wrap_runs_in_bookmark(first_run: Run, last_run: Run, bookmark_id: int, name: str) -> None:
    """Place a bookmark exactly around the runs `first_run` … `last_run` (e.g. `图 1`)."""
    first_run._r.addprevious(element("w:bookmarkStart", id=str(bookmark_id), name=name))
    last_run._r.addnext(element("w:bookmarkEnd", id=str(bookmark_id)))


def add_internal_hyperlink(paragraph: DocxParagraph, anchor: str) -> BaseOxmlElement:
    """Append and return an empty `w:hyperlink w:anchor=…` to fill with runs."""
    link = element("w:hyperlink", anchor=anchor, history="1")
    paragraph._p.append(link)
    return link


def add_external_hyperlink(paragraph: DocxParagraph, url: str) -> BaseOxmlElement:
    """Append and return an empty `w:hyperlink r:id=…` pointing at `url`."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = element("w:hyperlink", history="1")
    link.set(qn("r:id"), rel_id)
    paragraph._p.append(link)
    return link


def wrap_in_content_control(elements: list[BaseOxmlElement], title: str, tag: str) -> None:
    """Move `elements` (runs, links, fields of one paragraph) into a locked content control.

    A rich-text control (`w:sdt` with no type), `contentLocked`: Word refuses edits of its
    text but lets the control be deleted with the sentence around it. Tags are at most 64
    characters in Word.
    """
    if not elements:
        return
    sdt = element("w:sdt")
    properties = element("w:sdtPr")
    properties.append(element("w:alias", val=title[:64]))
    properties.append(element("w:tag", val=tag[:64]))
    properties.append(element("w:lock", val="contentLocked"))
    sdt.append(properties)
    content = element("w:sdtContent")
    elements[0].addprevious(sdt)
    for child in elements:
        content.append(child)
    sdt.append(content)


#: Markup Compatibility: a chart's drawing group and its PNG are alternatives of one run.
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MC_ALTERNATE = f"{{{MC}}}AlternateContent"


def in_text_box(element: BaseOxmlElement) -> bool:
    """Whether `element` is inside a drawing's text box (a chart's lettering)."""
    return any(a.tag == qn("w:txbxContent") for a in element.iterancestors())


def body_paragraphs(body: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Yield the paragraphs of `body` in order, tables' included, drawings' text boxes not."""
    for p in body.iter(qn("w:p")):
        if not in_text_box(p):
            yield p


def children_after(parent: BaseOxmlElement, before: BaseOxmlElement | None,
                   stop: str | None = None) -> list[BaseOxmlElement]:
    """Return the children of `parent` after `before` (None: from the first), up to the first
    one tagged `stop` (e.g. `w:sectPr`): what a writer appended since `before` was last.

    Walks only the new elements: listing all children for every block made writing a
    document quadratic in its length.
    """
    element = before.getnext() if before is not None else (parent[0] if len(parent) else None)
    added = []
    while element is not None and (stop is None or element.tag != qn(stop)):
        added.append(element)
        element = element.getnext()
    return added


def move_runs_into(container: BaseOxmlElement, runs: Iterable[Run]) -> None:
    """Move already created runs into `container` (a hyperlink), keeping their order."""
    for run in runs:
        container.append(run._r)


def add_tab_run(paragraph: DocxParagraph) -> None:
    """Append a run holding a single tab character."""
    paragraph.add_run().add_tab()


def set_keep_with_next(paragraph: DocxParagraph) -> None:
    """Keep `paragraph` on the same page as the next one (a layout hint, not formatting).

    The XML of `paragraph_format.keep_with_next = True`, without python-docx's search of the
    w:pPr child order for every insert (a fifth of a long file's render).
    """
    ppr = paragraph._p.get_or_add_pPr()
    keep = ppr.find(qn("w:keepNext"))
    if keep is not None:
        keep.attrib.pop(qn("w:val"), None)  # on
        return
    keep = element("w:keepNext")
    first = ppr[0] if len(ppr) else None
    if first is not None and first.tag == qn("w:pStyle"):  # the one child that comes before
        first.addnext(keep)
    else:
        ppr.insert(0, keep)


def set_paragraph_style(p: BaseOxmlElement, style: str) -> BaseOxmlElement:
    """Give paragraph `p` the style `style`; return its w:pPr. What
    `p.get_or_add_pPr().style = style` writes; a new, empty paragraph gets its w:pPr and
    w:pStyle directly, without python-docx's search of the child order."""
    if len(p):  # not new and empty: python-docx keeps the children's order
        ppr = p.get_or_add_pPr()
        ppr.style = style
        return ppr
    ppr = element("w:pPr")
    ppr.append(element("w:pStyle", val=style))
    p.insert(0, ppr)
    return ppr


def add_page_break(paragraph: DocxParagraph) -> None:
    """Append a page break run to `paragraph`."""
    _run(paragraph._p, element("w:br", type="page"))


def set_repeat_header(row_tr: BaseOxmlElement) -> None:
    """Mark a table row as a header row repeated on every page (`w:tblHeader`)."""
    trpr = row_tr.get_or_add_trPr()
    trpr.append(element("w:tblHeader"))
    trpr.append(element("w:cantSplit"))


def set_cant_split(row_tr: BaseOxmlElement) -> None:
    """Keep a table row on one page."""
    row_tr.get_or_add_trPr().append(element("w:cantSplit"))


def set_table_look(tbl: BaseOxmlElement, *, first_row: bool, banded_rows: bool,
                   first_column: bool = False) -> None:
    """Set `w:tblLook` so the table style's header row, first column and banding apply."""
    tblpr = tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))
    if look is None:
        look = element("w:tblLook")
        tblpr.append(look)
    # the legacy bit mask must say what the flags say (firstRow 0x20, firstColumn 0x80,
    # noHBand 0x200, noVBand 0x400): Word reads one, LibreOffice the other
    mask = (0x20 if first_row else 0) | (0x80 if first_column else 0) \
        | (0 if banded_rows else 0x200) | 0x400
    look.set(qn("w:val"), f"{mask:04X}")
    look.set(qn("w:firstRow"), "1" if first_row else "0")
    look.set(qn("w:lastRow"), "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:lastColumn"), "0")
    look.set(qn("w:noHBand"), "0" if banded_rows else "1")
    look.set(qn("w:noVBand"), "1")


def set_table_width_pct(tbl: BaseOxmlElement, widths_twips: list[int]) -> None:
    """Make the table span the text width with the given column widths (in twips)."""
    tblpr = tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    tblw = element("w:tblW", w="5000", type="pct")
    style = tblpr.find(qn("w:tblStyle"))
    if style is not None:
        style.addnext(tblw)
    else:
        tblpr.insert(0, tblw)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_twips, strict=False):
        col.set(qn("w:w"), str(width))
    for tr in tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_twips, strict=False):
            tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), str(width))
            tc.tcPr.tcW.set(qn("w:type"), "dxa")


# Children of w:settings that follow w:updateFields in schema order.
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


#: Children of w:sectPr that follow w:pgNumType in schema order.
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                    "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                    "w:printerSettings", "w:sectPrChange")


def set_page_number_start(sect_pr: BaseOxmlElement, start: int) -> None:
    """Make the section's pages count from `start` (`w:pgNumType w:start`)."""
    node = sect_pr.find(qn("w:pgNumType"))
    if node is None:
        node = element("w:pgNumType")
        later = next((c for c in sect_pr if c.tag in {qn(t) for t in _AFTER_PGNUMTYPE}), None)
        if later is not None:
            later.addprevious(node)
        else:
            sect_pr.append(node)
    node.set(qn("w:start"), str(start))


def set_update_fields_on_open(settings_root: BaseOxmlElement) -> None:
    """Ask Word to refresh every field (TOC page numbers, SEQ, REF) when the file opens."""
    existing = settings_root.find(qn("w:updateFields"))
    if existing is None:
        existing = element("w:updateFields")
        followers = {qn(tag) for tag in _AFTER_UPDATE_FIELDS}
        for child in settings_root:
            if child.tag in followers:
                child.addprevious(existing)
                break
        else:
            settings_root.append(existing)
    existing.set(qn("w:val"), "true")


NSDECL = nsdecls("w", "r")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    '</w:footnote>')


def clear_update_fields_on_open(settings_root: BaseOxmlElement) -> None:
    """Remove `w:updateFields` (the file's fields are right as cached: Word need not ask)."""
    for node in settings_root.findall(qn("w:updateFields")):
        settings_root.remove(node)


def footnotes_part(doc: DocxDocument) -> tuple[XmlPart, BaseOxmlElement]:
    """Return the document's footnotes part and its `w:footnotes` root, made on first use with
    the separator notes Word expects (ids -1 and 0) and named in the settings' footnotePr."""
    part = doc.part
    for rel in part.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external:
            target = rel.target_part
            if not isinstance(target, XmlPart):  # a reference document's, loaded as bytes
                target = XmlPart(target.partname, target.content_type, parse_xml(target.blob),
                                 target.package)
                rel._target = target
            return target, target.element
    target = XmlPart(PackURI("/word/footnotes.xml"), _FOOTNOTES,
                     parse_xml(f"<w:footnotes {NSDECL}>{_SEPARATORS}</w:footnotes>"),
                     part.package)
    part.relate_to(target, RELATIONSHIP_TYPE.FOOTNOTES)
    settings = doc.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        footnote_pr = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/>'
                                f'<w:footnote w:id="0"/></w:footnotePr>')
        # in the schema's order: before the first of the elements that follow it
        after = next((child for child in settings if isinstance(child.tag, str)
                      and child.tag.rpartition("}")[2] in _AFTER_FOOTNOTE_PR), None)
        if after is None:
            settings.append(footnote_pr)
        else:
            after.addprevious(footnote_pr)
    return target, target.element


_AFTER_FOOTNOTE_PR = {
    "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
    "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"}
