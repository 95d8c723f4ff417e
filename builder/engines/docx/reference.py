"""Reference documents: the Word style sheet of each theme, generated from the Theme.

`python -m builder.engines.docx.reference` writes `templates/themes/<name>/reference.docx` for
every theme (or those named on the command line). The DOCX engine renders into a copy of that
file, as pandoc does with `--reference-doc`, so editing the reference restyles every output.
The package is written from scratch and byte-identically; its theme part carries the theme's
colours and fonts, while styles name fonts and colours explicitly (no theme font attributes).
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

from builder.engines.docx import styles as style_sheet
from builder.engines.docx.fontnames import family_name
from builder.engines.docx.numbering import abstract_numbering_xml, twips
from builder.engines.docx.package import ZIP_EPOCH, fixed_datetime, normalize_package
from builder.themes import Theme, available_themes, load_theme

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def numbering_xml(theme: Theme) -> str:
    """Return numbering.xml with one list definition and one instance per list kind."""
    defs = abstract_numbering_xml(theme)
    abstract = "".join(f'<w:abstractNum w:abstractNumId="{i}">{body}</w:abstractNum>'
                       for i, body in sorted(defs.items()))
    nums = "".join(f'<w:num w:numId="{i}"><w:abstractNumId w:val="{i}"/></w:num>'
                   for i in sorted(defs))
    return f'{_XML_HEAD}<w:numbering xmlns:w="{_W}">{abstract}{nums}</w:numbering>'


def styles_xml(theme: Theme) -> str:
    """Return styles.xml: document defaults, base styles and the theme's styles."""
    parts = [style_sheet.doc_defaults_xml(theme), *style_sheet.base_styles_xml()]
    parts += [style_sheet.style_xml(spec, theme) for spec in style_sheet.style_specs(theme)]
    parts += style_sheet.table_styles_xml(theme)
    return f'{_XML_HEAD}<w:styles xmlns:w="{_W}">{"".join(parts)}</w:styles>'


def section_xml(theme: Theme) -> str:
    """Return the body's `w:sectPr`: page size and margins from the theme."""
    page = theme.page
    mm = 72 / 25.4
    return (
        f'<w:sectPr><w:pgSz w:w="{twips(page.width_pt)}" w:h="{twips(page.height_pt)}"/>'
        f'<w:pgMar w:top="{twips(page.margin_top_mm * mm)}" '
        f'w:right="{twips(page.margin_right_mm * mm)}" '
        f'w:bottom="{twips(page.margin_bottom_mm * mm)}" '
        f'w:left="{twips(page.margin_left_mm * mm)}" '
        f'w:header="{twips(page.margin_top_mm * mm / 2)}" '
        f'w:footer="{twips(page.margin_bottom_mm * mm / 2)}" w:gutter="0"/>'
        '<w:cols w:space="425"/></w:sectPr>'
    )


def _gallery_xml(theme: Theme) -> str:
    """Return one sample paragraph per paragraph style, so editors can see and restyle them."""
    paragraphs = []
    for spec in style_sheet.style_specs(theme):
        if spec.kind != "paragraph" or spec.style_id in {"CommentText", "Header", "Footer"}:
            continue
        paragraphs.append(f'<w:p><w:pPr><w:pStyle w:val="{spec.style_id}"/></w:pPr>'
                          f"<w:r><w:t>{escape(spec.name)} 样式示例</w:t></w:r></w:p>")
    return "".join(paragraphs)


def _settings_xml() -> str:
    return (
        f'{_XML_HEAD}<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:updateFields w:val="true"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-GB" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def _font_table_xml(theme: Theme) -> str:
    fonts = []
    for face, charset, family in ((theme.latin, "00", "auto"), (theme.cjk, "86", "swiss")):
        name = family_name(face)
        fonts.append(f"<w:font w:name={quoteattr(name)}><w:charset w:val=\"{charset}\"/>"
                     f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>')
    return f'{_XML_HEAD}<w:fonts xmlns:w="{_W}">{"".join(fonts)}</w:fonts>'


def theme_xml(theme: Theme) -> str:
    """Return theme1.xml: the theme's colours and fonts as a Word theme (Design tab).

    Colours: text and white, the primary colour and the callout background as dark 2 and
    light 2, primary, accent and the chart series as accents 1-6, the link colour. Fonts: the
    Latin and Chinese faces for headings (major) and body (minor).
    """
    c = theme.colors
    accents = [c.primary, c.accent, *c.series]
    accents = [color for i, color in enumerate(accents) if color not in accents[:i]]
    accents = (accents + [c.muted] * 6)[:6]

    def rgb(color: str) -> str:
        return f'<a:srgbClr val="{color.lstrip("#").upper()}"/>'

    colours = (f"<a:dk1>{rgb(c.text)}</a:dk1><a:lt1>{rgb('#FFFFFF')}</a:lt1>"
               f"<a:dk2>{rgb(c.primary)}</a:dk2><a:lt2>{rgb(c.callout_background)}</a:lt2>"
               + "".join(f"<a:accent{i}>{rgb(color)}</a:accent{i}>"
                         for i, color in enumerate(accents, start=1))
               + f"<a:hlink>{rgb(c.link)}</a:hlink><a:folHlink>{rgb(c.muted)}</a:folHlink>")
    latin, cjk = quoteattr(family_name(theme.latin)), quoteattr(family_name(theme.cjk))
    font = (f'<a:latin typeface={latin}/><a:ea typeface={cjk}/><a:cs typeface=""/>'
            f'<a:font script="Hans" typeface={cjk}/>')
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    name = quoteattr(f"report-builder {theme.name}")
    return (
        f'{_XML_HEAD}<a:theme xmlns:a="{_A}" name={name}><a:themeElements>'
        f"<a:clrScheme name={name}>{colours}</a:clrScheme>"
        f"<a:fontScheme name={name}><a:majorFont>{font}</a:majorFont>"
        f"<a:minorFont>{font}</a:minorFont></a:fontScheme>"
        f"<a:fmtScheme name={name}><a:fillStyleLst>{fill * 3}</a:fillStyleLst>"
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}"
        f"</a:effectStyleLst><a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def _content_types_xml() -> str:
    overrides = {
        "/word/document.xml": f"{_CT_MAIN}.document.main+xml",
        "/word/styles.xml": f"{_CT_MAIN}.styles+xml",
        "/word/settings.xml": f"{_CT_MAIN}.settings+xml",
        "/word/numbering.xml": f"{_CT_MAIN}.numbering+xml",
        "/word/fontTable.xml": f"{_CT_MAIN}.fontTable+xml",
        "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml":
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    body = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
    return (f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
            f"{body}</Types>")


def _rels_xml(rels: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
                   for rid, kind, target in rels)
    return f'{_XML_HEAD}<Relationships xmlns="{_PKG_RELS}">{body}</Relationships>'


def _core_xml(theme: Theme) -> str:
    return (
        f'{_XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
        '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>report-builder reference: {escape(theme.name)}</dc:title>"
        "<dc:creator>report-builder</dc:creator><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def build_reference(theme: Theme) -> bytes:
    """Return the bytes of the reference document for `theme` (identical on every call)."""
    document = (f'{_XML_HEAD}<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>'
                f"{_gallery_xml(theme)}{section_xml(theme)}</w:body></w:document>")
    parts = {
        "[Content_Types].xml": _content_types_xml(),
        "_rels/.rels": _rels_xml([
            ("rId1", f"{_DOC_RT}/officeDocument", "word/document.xml"),
            ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                     "core-properties", "docProps/core.xml"),
            ("rId3", f"{_DOC_RT}/extended-properties", "docProps/app.xml"),
        ]),
        "word/_rels/document.xml.rels": _rels_xml([
            ("rId1", f"{_DOC_RT}/styles", "styles.xml"),
            ("rId2", f"{_DOC_RT}/settings", "settings.xml"),
            ("rId3", f"{_DOC_RT}/numbering", "numbering.xml"),
            ("rId4", f"{_DOC_RT}/fontTable", "fontTable.xml"),
            ("rId5", f"{_DOC_RT}/theme", "theme/theme1.xml"),
        ]),
        "word/document.xml": document,
        "word/styles.xml": styles_xml(theme),
        "word/settings.xml": _settings_xml(),
        "word/numbering.xml": numbering_xml(theme),
        "word/fontTable.xml": _font_table_xml(theme),
        "word/theme/theme1.xml": theme_xml(theme),
        "docProps/core.xml": _core_xml(theme),
        "docProps/app.xml": (
            f'{_XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
            '2006/extended-properties"><Application>report-builder</Application></Properties>'),
    }
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_EPOCH), text.encode("utf-8"))
    return normalize_package(raw.getvalue(), fixed_datetime("1980-01-01"))


def reference_path(theme: Theme) -> str:
    """Return where the committed reference document of `theme` lives."""
    return str(theme.path.parent / "reference.docx")


def main(argv: list[str] | None = None) -> int:
    """Write the reference document of each named theme (all themes by default)."""
    parser = argparse.ArgumentParser(prog="python -m builder.engines.docx.reference",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("themes", nargs="*", help="theme names (default: all)")
    args = parser.parse_args(argv)
    for name in args.themes or available_themes():
        theme = load_theme(name)
        target = theme.path.parent / "reference.docx"
        target.write_bytes(build_reference(theme))
        print(f"wrote {target}", file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
