"""What an editor does to a built DOCX, done with python-docx: for the round-trip tests.

Texts are found through the file's own build record (the key of a content text, e.g.
`market-overview-intro` or `key-findings/kf-modal-funding`), as an editor would find them by
reading; every edit is made the way Word stores it (new runs, `w:ins`/`w:del`, comments).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from builder.engines.docx.units import read_record


class Edited:
    """A built DOCX opened for editing."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        record = read_record(data)
        assert record is not None, f"{path} has no build record"
        self.units = record[2]
        self.doc: DocxDocument = docx.Document(io.BytesIO(data))
        self._next_id = 9000

    def _name(self, key: str, lang: str) -> str:
        names = [n for n, u in self.units.items() if u.key == key and u.lang == lang]
        assert names, f"no text {key!r} ({lang}) in the file"
        return names[0]

    def start(self, key: str, lang: str) -> BaseOxmlElement:
        name = self._name(key, lang)
        for start in self.doc.element.body.iter(qn("w:bookmarkStart")):
            if start.get(qn("w:name")) == name:
                return start
        raise AssertionError(f"bookmark {name} not found")

    def paragraph(self, key: str, lang: str) -> BaseOxmlElement:
        return self.start(key, lang).getparent()

    def _between(self, key: str, lang: str) -> list[BaseOxmlElement]:
        start = self.start(key, lang)
        ident = start.get(qn("w:id"))
        out = []
        element = start.getnext()
        while element is not None and not (element.tag == qn("w:bookmarkEnd")
                                            and element.get(qn("w:id")) == ident):
            out.append(element)
            element = element.getnext()
        return out

    def _run(self, text: str, bold: bool = False) -> BaseOxmlElement:
        run = OxmlElement("w:r")
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            run.append(rpr)
        t = OxmlElement("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.append(t)
        return run

    def set_text(self, key: str, lang: str, *parts: str | tuple[str, str]) -> None:
        """Replace the text with `parts`: plain strings, or ("b", text) for bold."""
        old = self._between(key, lang)
        anchor = self.start(key, lang)
        for element in old:
            element.getparent().remove(element)
        for part in reversed(parts):
            run = self._run(part[1], bold=True) if isinstance(part, tuple) else self._run(part)
            anchor.addnext(run)

    def replace_words(self, key: str, lang: str, old: str, new: str) -> None:
        """Change words of the text the way Word does when an editor retypes them: in the run
        that holds them (never inside a locked content control)."""
        for element in self._between(key, lang):
            if element.tag != qn("w:r"):
                continue
            for t in element.iter(qn("w:t")):
                if t.text and old in t.text:
                    t.text = t.text.replace(old, new, 1)
                    return
        raise AssertionError(f"{old!r} is not in a run of {key!r} outside a content control")

    def controls(self, key: str, lang: str) -> list[BaseOxmlElement]:
        return [e for e in self._between(key, lang) if e.tag == qn("w:sdt")]

    def add_paragraph_after(self, key: str, lang: str, text: str) -> None:
        """Press Enter at the end of the text's paragraph and type `text`."""
        p = self.paragraph(key, lang)
        new = OxmlElement("w:p")
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            new.append(copy.deepcopy(ppr))
        new.append(self._run(text))
        p.addnext(new)

    def delete_paragraph(self, key: str, lang: str) -> None:
        p = self.paragraph(key, lang)
        p.getparent().remove(p)

    def comment(self, key: str, lang: str, text: str, author: str = "Li Wei") -> None:
        runs = [e for e in self._between(key, lang) if e.tag == qn("w:r")]
        from docx.text.run import Run

        comment = self.doc.add_comment([Run(runs[0], None), Run(runs[-1], None)], text=text,
                                       author=author, initials="LW")
        comment._comment_elm.date = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)

    def track(self, key: str, lang: str, kind: str, text: str, author: str = "Li Wei",
              at_end: bool = True) -> None:
        """Add a tracked insertion of `text`, or mark the text's last run deleted."""
        between = [e for e in self._between(key, lang) if e.tag == qn("w:r")]
        self._next_id += 1
        change = OxmlElement(f"w:{kind}")
        change.set(qn("w:id"), str(self._next_id))
        change.set(qn("w:author"), author)
        change.set(qn("w:date"), "2026-12-02T00:00:00Z")
        if kind == "ins":
            change.append(self._run(text))
            (between[-1] if at_end else between[0]).addnext(change)
            return
        # a deletion: split `text` off the end of the last run that ends with it
        target = next(r for r in reversed(between)
                      if "".join(t.text or "" for t in r.iter(qn("w:t"))).endswith(text))
        t = list(target.iter(qn("w:t")))[-1]
        t.text = t.text[: -len(text)]
        deleted = self._run(text)
        for node in deleted.iter(qn("w:t")):
            node.tag = qn("w:delText")
        change.append(deleted)
        target.addnext(change)

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path
