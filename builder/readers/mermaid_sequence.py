"""The mermaid `sequenceDiagram`: participants and actors, messages, notes, activations, blocks.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s. Read as mermaid 11 reads it: participants in order of first appearance unless
declared (`participant A as Alice`, `actor`, `@{ "type": "database", "alias": … }`), grouped by
`box [colour] [title]` … `end`; messages `->` `-->` `->>` `-->>` `<<->>` `<<-->>` `-x` `--x`
`-)` `--)` with `+`/`-` activations and central `()` ends (read, drawn as plain ends); `Note
left of|right of|over A[,B]`; `activate`/`deactivate`; `create participant|actor` and
`destroy`; `loop`, `alt`/`else`, `opt`, `par`/`and`, `critical`/`option`, `break` and `rect`
blocks closed by `end`; `autonumber [start [step]]` and `autonumber off`; `;` between
statements. `link`/`links` (actor menus) are accepted and not drawn.
"""

from __future__ import annotations

import re

import yaml

from builder.locale.numbers import trim
from builder.model.charts import SeqParticipant, SeqStep, SequenceSpec
from builder.readers.mermaid_common import Line, Source, clean_label, title_line

_ARROWS = {  # longest first: (line, head)
    "<<-->>": ("dotted", "both"), "<<->>": ("solid", "both"), "-->>": ("dotted", "arrow"),
    "->>": ("solid", "arrow"), "--x": ("dotted", "cross"), "-x": ("solid", "cross"),
    "--)": ("dotted", "open"), "-)": ("solid", "open"), "-->": ("dotted", "none"),
    "->": ("solid", "none"),
}
_ARROW = "|".join(re.escape(a) for a in _ARROWS)
_MESSAGE = re.compile(r"(?P<src>[^:]+?)\s*(?:\(\))?(?P<arrow>" + _ARROW
                      + r")(?:\(\))?\s*(?P<mod>[+-]?)\s*(?P<dst>[^:]+?)\s*:(?P<text>.*)$")
_DECLARE = re.compile(r"(?:(?P<create>create)\s+)?(?P<kind>participant|actor)\s+"
                      r"(?P<id>[^@]+?)(?:@\{(?P<config>.*)\})?(?:\s+as\s+(?P<alias>.+))?$")
_NOTE = re.compile(r"note\s+(?P<place>right of|left of|over)\s+(?P<actors>[^:]+?)\s*:"
                   r"(?P<text>.*)$", re.I)
_BLOCKS = ("loop", "alt", "opt", "par", "par_over", "critical", "break", "rect")
_BRANCHES = {"else": "alt", "and": "par", "option": "critical"}
_TYPES = ("boundary", "control", "entity", "database", "collections", "queue")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# CSS named colours: `box Aqua Title` takes its first word as a colour only when it is one.
_CSS_COLOURS = frozenset("""aliceblue antiquewhite aqua aquamarine azure beige bisque black
blanchedalmond blue blueviolet brown burlywood cadetblue chartreuse chocolate coral
cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey
darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray
dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod
gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen
lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive
olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred papayawhip
peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue saddlebrown
salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey snow
springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
yellowgreen transparent""".split())
_COLOUR_WORD = re.compile(r"(rgba?\([^)]*\)|#[0-9a-fA-F]{3,8}|[A-Za-z]+)\s*(.*)$")
MAX_STEPS = 20_000


def _statements(src: Source) -> list[Line]:
    """Return the source's statements: lines split at `;` (not the `;` of `#59;`)."""
    out: list[Line] = []
    for line in src.lines:
        guarded = re.sub(r"#(\w+);", "#\\1\x00", line.text)
        for part in guarded.split(";"):
            part = part.replace("\x00", ";").strip()
            if part:
                out.append(Line(line.number, part))
    return out


def _text(raw: str) -> str:
    return clean_label(_LINK.sub(r"\1", raw.strip()))


class _Reader:
    def __init__(self, src: Source) -> None:
        self.src = src
        self.participants: dict[str, SeqParticipant] = {}
        self.steps: list[SeqStep] = []
        self.blocks: list[tuple[str, int]] = []  # open blocks: (kind, line)
        self.box: tuple[str | None, str | None, int] | None = None
        self.active: dict[str, int] = {}
        self.number: float | None = None
        self.increment = 1.0
        self.pending_create: tuple[str, int] | None = None
        self.pending_destroy: dict[str, int] = {}

    def error(self, line: Line, message: str, hint: str = "") -> Exception:
        return self.src.error(line.number, message, hint)

    def actor(self, name: str, line: Line) -> str:
        name = name.strip()
        if not name:
            raise self.error(line, "a participant needs a name")
        if name not in self.participants:
            self.participants[name] = SeqParticipant(name, clean_label(name))
        return name

    def add(self, step: SeqStep, line: Line) -> None:
        if len(self.steps) >= MAX_STEPS:
            raise self.error(line, f"more than {MAX_STEPS} steps in one sequence diagram")
        self.steps.append(step)

    def declare(self, m: re.Match[str], line: Line) -> None:
        ident = m.group("id").strip()
        label = ident
        kind, ptype = m.group("kind"), ""
        if m.group("config") is not None:
            try:
                config = yaml.safe_load("{" + m.group("config") + "}")
            except yaml.YAMLError:
                raise self.error(line, "cannot read the participant's @{…} settings") from None
            if not isinstance(config, dict):
                raise self.error(line, "the participant's @{…} settings must be a mapping")
            ptype = str(config.get("type", "") or "")
            if ptype and ptype not in _TYPES:
                raise self.error(line, f"unknown participant type {ptype!r}",
                                 hint="types: " + ", ".join(_TYPES))
            if config.get("alias"):
                label = str(config["alias"])
        if m.group("alias"):
            label = m.group("alias")
        box, colour = (self.box[0], self.box[1]) if self.box else (None, None)
        if m.group("create"):
            if ident in self.participants:
                raise self.error(line, f"participant {ident!r} already exists and cannot be "
                                 "created")
            self.pending_create = (ident, line.number)
            self.add(SeqStep("create", source=ident), line)
        self.participants[ident] = SeqParticipant(ident, clean_label(label), kind, ptype, box,
                                                  colour)

    def message(self, m: re.Match[str], line: Line) -> None:
        source, target = self.actor(m.group("src"), line), self.actor(m.group("dst"), line)
        if self.pending_create and self.pending_create[0] != target:
            raise self.error(line, f"the message after 'create' must go to "
                             f"{self.pending_create[0]!r}", hint="only a recipient is created")
        self.pending_create = None
        for name in (source, target):
            self.pending_destroy.pop(name, None)
        style, head = _ARROWS[m.group("arrow")]
        number = None
        if self.number is not None:
            number = trim(self.number, 2)
            self.number += self.increment
        self.add(SeqStep("message", _text(m.group("text")), source, target, style, head,
                         number=number), line)
        if m.group("mod") == "+":
            self.activate(target, line)
        elif m.group("mod") == "-":
            self.deactivate(source, line)

    def activate(self, name: str, line: Line) -> None:
        self.active[name] = self.active.get(name, 0) + 1
        self.add(SeqStep("activate", source=name), line)

    def deactivate(self, name: str, line: Line) -> None:
        if not self.active.get(name):
            raise self.error(line, f"{name!r} is not active", hint="activate it first")
        self.active[name] -= 1
        self.add(SeqStep("deactivate", source=name), line)

    def statement(self, line: Line) -> None:
        text = line.text
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        if self.box is not None and word not in ("participant", "actor", "end", "create"):
            raise self.error(line, f"a box holds participants only, not {text!r}")
        if (found := title_line(self.src, line)) is not None:
            self.title = found
        elif (m := _DECLARE.fullmatch(text)):
            self.declare(m, line)
        elif (m := _NOTE.fullmatch(text)):
            names = [self.actor(a, line) for a in m.group("actors").split(",")]
            if len(names) > 2:
                raise self.error(line, "a note stands over one or two participants")
            place = m.group("place").lower().split()[0]
            self.add(SeqStep("note", _text(m.group("text")), place=place,
                             actors=tuple(names)), line)
        elif word in ("activate", "deactivate") and rest:
            name = self.actor(rest, line)
            (self.activate if word == "activate" else self.deactivate)(name, line)
        elif word == "destroy" and rest:
            name = self.actor(rest, line)
            self.pending_destroy[name] = line.number
            self.add(SeqStep("destroy", source=name), line)
        elif word == "box":
            if self.blocks or self.box is not None:
                raise self.error(line, "a box cannot stand inside a block or another box")
            self.box = (*self._box(rest), line.number)
        elif word in _BLOCKS:
            self.blocks.append((word, line.number))
            place = "par" if word == "par_over" else word
            self.add(SeqStep("start", _text(rest), place=place), line)
        elif word in _BRANCHES:
            if not self.blocks or self.blocks[-1][0].replace("_over", "") != _BRANCHES[word]:
                raise self.error(line, f"'{word}' outside a {_BRANCHES[word]} block")
            self.add(SeqStep("branch", _text(rest), place=word), line)
        elif text == "end":
            if self.box is not None:
                self.box = None
            elif not self.blocks:
                raise self.error(line, "'end' without a block to close")
            else:
                self.blocks.pop()
                self.add(SeqStep("end"), line)
        elif word == "autonumber":
            self.autonumber(rest, line)
        elif word in ("link", "links", "properties", "details"):
            return
        elif (m := _MESSAGE.fullmatch(text)):
            self.message(m, line)
        else:
            raise self.error(line, f"cannot read sequence line {text!r}",
                             hint="write A->>B: text, Note over A: text, loop … end")

    def _box(self, rest: str) -> tuple[str | None, str | None]:
        m = _COLOUR_WORD.match(rest)
        if m and (m.group(1).lower() in _CSS_COLOURS or not m.group(1).isalpha()):
            colour = None if m.group(1).lower() == "transparent" else m.group(1)
            return (clean_label(m.group(2)) or None), colour
        return (clean_label(rest) or None), None

    def autonumber(self, rest: str, line: Line) -> None:
        if rest == "off":
            self.number = None
            return
        parts = rest.split()
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise self.error(line, f"cannot read autonumber {rest!r}",
                             hint="autonumber [start [step]] or autonumber off") from None
        if len(values) > 2 or any(not 0 <= v < 1e9 for v in values):
            raise self.error(line, f"cannot read autonumber {rest!r}",
                             hint="autonumber [start [step]] or autonumber off")
        self.number = values[0] if values else 1.0
        self.increment = values[1] if len(values) > 1 else 1.0

    title: str | None = None


def read_sequence(src: Source) -> SequenceSpec:
    """Read `sequenceDiagram` and its statements."""
    head = src.lines[0]
    if head.text != "sequenceDiagram":
        raise src.error(head.number, f"cannot read sequenceDiagram header {head.text!r}")
    reader = _Reader(src)
    reader.title = src.title
    statements = _statements(src)
    for line in statements[1:]:
        reader.statement(line)
    if reader.box is not None:
        raise src.error(reader.box[2], "box is not closed by 'end'")
    if reader.blocks:
        kind, number = reader.blocks[-1]
        raise src.error(number, f"{kind} block is not closed by 'end'")
    if reader.pending_create:
        raise src.error(reader.pending_create[1], f"{reader.pending_create[0]!r} is created "
                        "but no message goes to it")
    if reader.pending_destroy:
        name, number = next(iter(reader.pending_destroy.items()))
        raise src.error(number, f"{name!r} is destroyed but no message follows from or to it")
    if not reader.participants:
        raise src.error(head.number, "sequence diagram has no participants")
    return SequenceSpec(reader.title, tuple(reader.participants.values()), tuple(reader.steps))
