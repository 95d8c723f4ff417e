"""Image files of `image` blocks: PNG, JPEG and SVG inside the report folder, checked and measured.

An image is untrusted input like every content file. A raster image is opened with Pillow with
a pixel limit (no decompression bomb) and only its header and size are read here. An SVG is
parsed without entities, DTDs or network access, and refused when it refers to anything
outside itself (`href` other than `#id` or an inline `data:` image, `url()` other than `#id`,
`@import`), so drawing it can never read another file. `safe_svg` returns the checked SVG with
every font family replaced by the report's own (`REPORT_FONT`), so text in it is drawn with the
theme's fonts in every output, never with whatever fonts a machine has.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from builder.diagnostics import BuildError
from builder.readers.yamlsrc import read_source_bytes

ImageFormat = Literal["png", "jpeg", "svg"]
SUFFIXES: dict[str, ImageFormat] = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg",
                                    ".svg": "svg"}
#: The most pixels a raster image may have (a 50-megapixel photo), and SVG elements.
MAX_PIXELS = 50_000_000
MAX_SVG_ELEMENTS = 100_000
#: Raster images without a resolution are taken at CSS's 96 pixels per inch, as Word does.
DEFAULT_DPI = 96.0
#: The font family every SVG text is set in (engines map it to the theme's fonts).
REPORT_FONT = "report-sans"

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)['\"]?\s*\)", re.I)
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|jpg|gif);base64,", re.I)
_FONT_DECL = re.compile(r"font-family\s*:[^;}\"']*", re.I)
_FONT_SHORTHAND = re.compile(r"(^|[;{\s])font\s*:[^;}]*", re.I)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(px|pt|mm|cm|in|pc)?\s*$", re.I)
_PT_PER = {"px": 0.75, "pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pc": 12.0}


@dataclass(frozen=True)
class ImageInfo:
    """What the build needs to know of an image file: its format and natural size.

    `width_px` is 0 for an SVG (vectors have no pixels). The natural size of a raster image is
    its pixels at its own resolution (96 dpi when it states none); of an SVG, its `width` and
    `height` (or `viewBox`, in CSS pixels).
    """

    path: Path
    format: ImageFormat
    width_pt: float
    height_pt: float
    width_px: int = 0
    height_px: int = 0
    #: An SVG's text (what its <text> elements hold), for the glyph check.
    text: str = ""


def image_format(path: Path) -> ImageFormat | None:
    """Return the format an image file's name says, or None when it is not one we place."""
    return SUFFIXES.get(path.suffix.lower())


def read_image(path: Path) -> ImageInfo:
    """Return the format and natural size of the image at `path`; raise BuildError (located at
    the image file) when it is not a readable PNG, JPEG or SVG."""
    kind = image_format(path)
    if kind is None:
        raise BuildError.at(path, 0, f"unsupported image type {path.suffix!r}",
                            hint="use .png, .jpg or .svg")
    payload = read_source_bytes(path, "image file")
    if kind == "svg":
        return _svg_info(path, payload)
    return _raster_info(path, payload, kind)


def _raster_info(path: Path, payload: bytes, kind: ImageFormat) -> ImageInfo:
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(payload)) as image:
                found = (image.format or "").lower()
                width, height = image.size
                dpi = image.info.get("dpi")
    except (OSError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise BuildError.at(path, 0, f"cannot read the image: {exc}") from None
    if found != kind:
        raise BuildError.at(path, 0, f"the file is a {found.upper() or 'unknown'} image, not "
                                     f"{kind.upper()} as its name says")
    if width * height > MAX_PIXELS:
        raise BuildError.at(path, 0, f"the image has {width * height:,} pixels, more than "
                                     f"{MAX_PIXELS:,}", hint="scale it down before placing it")
    x_dpi, y_dpi = _dpi(dpi)
    return ImageInfo(path, kind, width * 72 / x_dpi, height * 72 / y_dpi, width, height)


def _dpi(value: object) -> tuple[float, float]:
    """Return a usable (x, y) resolution from Pillow's `dpi` info (96 dpi when absent)."""
    if isinstance(value, tuple) and len(value) == 2:
        try:
            x, y = float(value[0]), float(value[1])
        except (TypeError, ValueError):
            return DEFAULT_DPI, DEFAULT_DPI
        if 10 <= x <= 10_000 and 10 <= y <= 10_000:
            return x, y
    return DEFAULT_DPI, DEFAULT_DPI


def _parse_svg(path: Path, payload: bytes) -> object:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(payload, parser)
    except etree.XMLSyntaxError as exc:
        raise BuildError.at(path, exc.lineno or 0, f"invalid SVG: {exc.msg}") from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD or tree.docinfo.doctype:
        raise BuildError.at(path, 1, "an SVG with a DOCTYPE is not allowed (entities could "
                                     "read other files)")
    if not isinstance(root.tag, str) or root.tag != f"{{{_SVG_NS}}}svg":
        raise BuildError.at(path, 1, "the file is not an SVG (its root is not <svg> in the SVG "
                                     "namespace)")
    return root


def _check_svg(path: Path, root: object) -> None:
    """Raise BuildError at the first part of the SVG that would reach outside it."""
    count = 0
    for element in root.iter():  # type: ignore[attr-defined]
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise BuildError.at(path, 0, f"the SVG has more than {MAX_SVG_ELEMENTS:,} elements")
        if not isinstance(element.tag, str):
            continue
        line = element.sourceline or 0
        local = element.tag.rpartition("}")[2]
        if local in ("script", "foreignObject"):
            raise BuildError.at(path, line, f"SVG <{local}> is not allowed")
        for name, value in element.attrib.items():
            if name in ("href", _XLINK):
                if not (value.startswith("#") or _DATA_IMAGE.match(value)):
                    raise BuildError.at(path, line, f"the SVG refers to {value[:80]!r}; an SVG "
                                                    f"may only refer to its own parts (#id) "
                                                    f"or inline data: images")
            _check_urls(path, line, value)
        if local == "style" and element.text:
            if "@import" in element.text.lower():
                raise BuildError.at(path, line, "SVG style sheets may not @import")
            _check_urls(path, line, element.text)
    _check_uses(path, root)


def _check_uses(path: Path, root: object) -> None:
    """Refuse a <use> of something that holds a <use>: nested references multiply the drawing
    (ten levels of ten are 10¹⁰ shapes) past any limit on the file's size."""
    use = f"{{{_SVG_NS}}}use"
    ids = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str)  # type: ignore[attr-defined]
           and e.get("id")}
    for element in root.iter(use):  # type: ignore[attr-defined]
        target = ids.get((element.get("href") or element.get(_XLINK) or "").lstrip("#"))
        if target is not None and (target.tag == use or next(target.iter(use), None) is not None):
            raise BuildError.at(path, element.sourceline or 0,
                                "an SVG <use> of something that holds a <use> is not allowed")


def _check_urls(path: Path, line: int, text: str) -> None:
    for target in _URL.findall(text):
        if not target.strip().startswith("#"):
            raise BuildError.at(path, line, f"the SVG refers to url({target[:80]}); only "
                                            f"url(#id) is allowed")


def length_pt(value: str | None) -> float | None:
    if value is None:
        return None
    match = _LENGTH.match(value)
    if not match:
        return None  # percentages and the like: the viewBox decides
    return float(match[1]) * _PT_PER[(match[2] or "px").lower()]


def _svg_info(path: Path, payload: bytes) -> ImageInfo:
    root = _parse_svg(path, payload)
    _check_svg(path, root)
    width = length_pt(root.get("width"))  # type: ignore[attr-defined]
    height = length_pt(root.get("height"))  # type: ignore[attr-defined]
    box = (root.get("viewBox") or "").replace(",", " ").split()  # type: ignore[attr-defined]
    try:
        view = [float(v) for v in box] if len(box) == 4 else None
    except ValueError:
        view = None
    if view and (view[2] <= 0 or view[3] <= 0):
        view = None
    if width is None and height is None and view:
        width, height = view[2] * 0.75, view[3] * 0.75
    elif width is None and height is not None and view:
        width = height * view[2] / view[3]
    elif height is None and width is not None and view:
        height = width * view[3] / view[2]
    if not width or not height or width <= 0 or height <= 0:
        raise BuildError.at(path, 1, "the SVG has no size: give <svg> a width and height or a "
                                     "viewBox")
    text = "".join("".join(element.itertext()) for element in root.iter(  # type: ignore[attr-defined]
        f"{{{_SVG_NS}}}text"))
    return ImageInfo(path, "svg", width, height, text=text)


def safe_svg(path: Path) -> bytes:
    """Return the SVG at `path`, checked as `read_image` checks it, with every font family set
    to `REPORT_FONT` (weights and styles are kept); raise BuildError when it is not safe."""
    from lxml import etree

    payload = read_source_bytes(path, "image file")
    root = _parse_svg(path, payload)
    _check_svg(path, root)
    for element in root.iter():  # type: ignore[attr-defined]
        if not isinstance(element.tag, str):
            continue
        if "font-family" in element.attrib:
            element.set("font-family", REPORT_FONT)
        style = element.get("style")
        if style:
            style = _FONT_SHORTHAND.sub(r"\1", _FONT_DECL.sub(f"font-family:'{REPORT_FONT}'",
                                                              style))
            element.set("style", style)
        if element.tag == f"{{{_SVG_NS}}}style" and element.text:
            element.text = _FONT_SHORTHAND.sub(
                r"\1", _FONT_DECL.sub(f"font-family:'{REPORT_FONT}'", element.text))
    root.set("font-family", REPORT_FONT)  # type: ignore[attr-defined]
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
