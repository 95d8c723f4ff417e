"""Chart embedding for the PDF engine: a matplotlib one-page PDF drawn as a vector form XObject.

reportlab cannot import PDF pages, so this module copies the chart page with pypdf into the
document as a Form XObject (content stream, resources and embedded fonts unchanged), which keeps
the chart vector and its text searchable. When the file cannot be read, a PNG is drawn instead.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from builder.model.document import ChartImage


class _Raw(pdfdoc.PDFObject):
    """A PDF value already formatted as bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


class _Array(pdfdoc.PDFObject):
    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def format(self, document: Any) -> bytes:
        return b"[" + b" ".join(pdfdoc.format(i, document) for i in self.items) + b"]"


class _Dict(pdfdoc.PDFObject):
    def __init__(self, items: dict[str, Any]) -> None:
        self.items = items

    def format(self, document: Any) -> bytes:
        parts = [pdfdoc.PDFName(k).encode("latin-1") + b" " + pdfdoc.format(v, document)
                 for k, v in self.items.items()]
        return b"<<" + b"\n".join(parts) + b">>"


class _Stream(pdfdoc.PDFObject):
    """A stream copied verbatim: its dictionary (with Filter) and its still-encoded bytes."""

    __RefOnly__ = 1

    def __init__(self, items: dict[str, Any], data: bytes) -> None:
        self.items = {k: v for k, v in items.items() if k != "Length"}
        self.data = data

    def format(self, document: Any) -> bytes:
        head = _Dict({**self.items, "Length": len(self.data)}).format(document)
        return head + b"\nstream\n" + self.data + b"\nendstream\n"


def _number(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode()


class _Importer:
    """Copy pypdf objects into a reportlab document, sharing indirect objects once each."""

    def __init__(self, document: Any, prefix: str) -> None:
        self.document = document
        self.prefix = prefix
        self.done: dict[int, Any] = {}

    def convert(self, obj: Any) -> Any:
        if isinstance(obj, IndirectObject):
            key = obj.idnum
            if key not in self.done:
                name = f"{self.prefix}.{key}"
                self.done[key] = pdfdoc.PDFObjectReference(name)
                value = self.convert(obj.get_object())
                if not isinstance(value, pdfdoc.PDFObject):
                    value = _Raw(pdfdoc.format(value, self.document))
                self.document.Reference(value, name)
            return self.done[key]
        if isinstance(obj, StreamObject):
            items = {k[1:]: self.convert(v) for k, v in obj.items()}
            return _Stream(items, obj._data)
        if isinstance(obj, DictionaryObject):
            return _Dict({k[1:]: self.convert(v) for k, v in obj.items()})
        if isinstance(obj, ArrayObject):
            return _Array([self.convert(v) for v in obj])
        if isinstance(obj, NameObject):
            return _Raw(pdfdoc.PDFName(obj[1:]).encode("latin-1"))
        if isinstance(obj, BooleanObject):
            return _Raw(b"true" if obj else b"false")
        if isinstance(obj, NumberObject):
            return _Raw(str(int(obj)).encode())
        if isinstance(obj, FloatObject):
            return _Raw(_number(float(obj)))
        if isinstance(obj, (TextStringObject, ByteStringObject)):
            data = obj.original_bytes if isinstance(obj, TextStringObject) else bytes(obj)
            return _Raw(b"<" + data.hex().encode() + b">")
        if isinstance(obj, NullObject) or obj is None:
            return _Raw(b"null")
        raise TypeError(f"cannot import PDF object of type {type(obj).__name__}")


def import_pdf_page(canvas: Canvas, path: Path, name: str) -> tuple[float, float, float, float]:
    """Register page 1 of the PDF at `path` as form `name` (once); return its box (x0 y0 x1 y1)."""
    document = canvas._doc
    reader = PdfReader(str(path))
    page = reader.pages[0]
    box = tuple(float(v) for v in page.mediabox)
    if document.hasForm(name):
        return box  # type: ignore[return-value]
    importer = _Importer(document, f"Imp.{name}")
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    resources = importer.convert(page.get("/Resources", DictionaryObject()))
    form = _Stream({
        "Type": _Raw(b"/XObject"),
        "Subtype": _Raw(b"/Form"),
        "FormType": 1,
        "BBox": _Array([_Raw(_number(v)) for v in box]),
        "Matrix": _Array([1, 0, 0, 1, 0, 0]),
        "Resources": resources,
        "Filter": _Raw(b"/FlateDecode"),
    }, zlib.compress(data, 9))
    document.Reference(form, pdfdoc.xObjectName(name))
    return box  # type: ignore[return-value]


class ChartFlowable(Flowable):
    """A chart scaled to fit the text width (and at most `max_height`), centred, drawn as vector."""

    def __init__(self, image: ChartImage, name: str, max_height: float) -> None:
        super().__init__()
        self.image = image
        self.name = name
        self.max_height = max_height
        self.draw_width = self.draw_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the scaled size of the chart."""
        scale = min(1.0, availWidth / self.image.width_pt, self.max_height / self.image.height_pt)
        self.draw_width = self.image.width_pt * scale
        self.draw_height = self.image.height_pt * scale
        self.width = availWidth
        self.height = self.draw_height
        return availWidth, self.draw_height

    def draw(self) -> None:
        """Draw the chart as an imported vector form, or its PNG if the PDF cannot be read."""
        canvas: Canvas = self.canv
        if getattr(canvas, "dry", False):
            return  # a layout-only pass: the chart's size is all that matters
        x = (self.width - self.draw_width) / 2
        try:
            x0, y0, x1, y1 = import_pdf_page(canvas, self.image.pdf_path, self.name)
        except (OSError, ValueError, TypeError, KeyError):
            canvas.drawImage(ImageReader(str(self.image.png_path)), x, 0, self.draw_width,
                             self.draw_height)
            return
        canvas.saveState()
        canvas.translate(x, 0)
        canvas.scale(self.draw_width / (x1 - x0), self.draw_height / (y1 - y0))
        canvas.translate(-x0, -y0)
        canvas.doForm(self.name)
        canvas.restoreState()
