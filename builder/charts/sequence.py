"""The sequence diagram: participants side by side, the messages between them top to bottom.

Every participant has a column of the same width and a dashed lifeline; message texts wrap to
the span of their arrow, self-messages loop out to the right. Notes are pale yellow cards;
`loop`/`alt`/`opt`/`par`/`critical`/`break` blocks are frames around the participants they
involve, labelled with their keyword (in Chinese for a Chinese edition: 循环, 条件, …) and
divided by their `else`/`and`/`option` branches; `rect` blocks tint the background.
Activations are narrow bars on the lifeline; `create` draws a participant where its first
message reaches it, `destroy` ends a lifeline with a cross. All text is level. Registered in
`kinds.KINDS`; `read()` reads the YAML spec.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing
from builder.model.charts import SeqParticipant, SeqStep, SequenceSpec
from builder.readers.chart_yaml import Node, SpecReader

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from builder.charts.style import Style, legible, points_axes, tint
from builder.charts.text import LINE_SPACING, line_height, measure, wrap

SPEC = SequenceSpec

MARGIN = 4.0
PAD = 5.0
GAP = 9.0            # below each step
ACT = 3.5            # half the width of an activation bar
NOTE_FILL, NOTE_EDGE = "#FFF6CC", "#E0C96A"
KEYWORDS = {"loop": ("循环", "loop"), "alt": ("条件", "alt"), "opt": ("可选", "opt"),
            "par": ("并行", "par"), "critical": ("关键", "critical"), "break": ("中断", "break")}
GROUND = {"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none"}  # under block labels
_HEADS = ("arrow", "open", "cross", "both", "none")
#: mermaid's participant types, each drawn as its UML symbol above the name
TYPES = ("boundary", "control", "entity", "database", "collections", "queue")
ICON_H = 18.0        # the height of an actor's figure or a type's symbol
_BLOCK_KEYS = ("loop", "opt", "break", "critical", "rect")


# -- reading -------------------------------------------------------------------------------------

def read(r: SpecReader, root: Node) -> SequenceSpec:
    """Read `kind: sequence`: declared participants and nested steps."""
    f = root.mapping("sequence", allowed=("kind", "title", "participants", "steps",
                                          "autonumber"), required=("participants", "steps"))
    participants: dict[str, SeqParticipant] = {}
    for item in f["participants"].items("participants"):
        p = item.mapping("participant", allowed=("id", "label", "actor", "type", "box"),
                         required=("id",))
        ident = p["id"].word("participant id")
        if ident in participants:
            raise p["id"].error(f"duplicate participant {ident!r}")
        actor = p["actor"].boolean("actor") if "actor" in p else False
        kind = p["type"].word("participant type", TYPES) if "type" in p else ""
        participants[ident] = SeqParticipant(
            ident, r.text(p["label"], "participant label") if "label" in p else ident,
            "actor" if actor else "participant", kind, r.optional_text(p, "box", "box"))
    if not participants:
        raise f["participants"].error("a sequence needs at least one participant")
    numbered = f["autonumber"].boolean("autonumber") if "autonumber" in f else False
    steps: list[SeqStep] = []
    counter = [1]

    def who(node: Node, what: str) -> str:
        name = node.word(what)
        if name not in participants:
            raise node.error(f"unknown participant {name!r}",
                             hint="known: " + ", ".join(participants))
        return name

    def walk(node: Node) -> None:
        for item in node.items("steps"):
            s = item.mapping("step")
            if "from" in s:
                _message(s, item)
            elif "note" in s:
                place = next((k for k in ("over", "left_of", "right_of") if k in s), None)
                if place is None:
                    raise item.error("a note needs 'over', 'left_of' or 'right_of'")
                item.mapping("note", allowed=("note", place))
                target = s[place]
                names = [who(n, place) for n in target.items(place)] \
                    if not target.is_mapping() and _is_list(target) else [who(target, place)]
                if len(names) > 2:
                    raise target.error("a note stands over one or two participants")
                steps.append(SeqStep("note", r.text(s["note"], "note"),
                                     place=place.split("_")[0], actors=tuple(names)))
            elif "activate" in s or "deactivate" in s:
                key = "activate" if "activate" in s else "deactivate"
                item.mapping(key, allowed=(key,))
                steps.append(SeqStep(key, source=who(s[key], key)))
            elif any(k in s for k in _BLOCK_KEYS):
                key = next(k for k in _BLOCK_KEYS if k in s)
                item.mapping(key, allowed=(key, "steps"), required=("steps",))
                label = s[key].word("rect colour") if key == "rect" else r.text(s[key], key)
                steps.append(SeqStep("start", label, place=key))
                walk(s["steps"])
                steps.append(SeqStep("end"))
            elif "alt" in s or "par" in s:
                key = "alt" if "alt" in s else "par"
                item.mapping(key, allowed=(key,))
                branches = s[key].items(key)
                if not branches:
                    raise s[key].error(f"{key} needs at least one branch")
                for i, branch in enumerate(branches):
                    b = branch.mapping("branch", allowed=("label", "steps"),
                                       required=("steps",))
                    text = r.optional_text(b, "label", "branch label") or ""
                    steps.append(SeqStep("start", text, place=key) if i == 0 else
                                 SeqStep("branch", text, place="else" if key == "alt"
                                         else "and"))
                    walk(b["steps"])
                steps.append(SeqStep("end"))
            else:
                raise item.error("a step is a message (from, to), a note, activate, "
                                 "deactivate or a block (loop, alt, opt, par, critical, "
                                 "break, rect)")

    def _message(s: dict[str, Node], item: Node) -> None:
        item.mapping("message", allowed=("from", "to", "text", "line", "head", "activate",
                                         "deactivate"), required=("from", "to"))
        source, target = who(s["from"], "from"), who(s["to"], "to")
        number = None
        if numbered:
            number = str(counter[0])
            counter[0] += 1
        steps.append(SeqStep(
            "message", r.text(s["text"], "message text") if "text" in s else "", source,
            target, s["line"].word("line", ("solid", "dotted")) if "line" in s else "solid",
            s["head"].word("head", _HEADS) if "head" in s else "arrow", number=number))
        if "activate" in s and s["activate"].boolean("activate"):
            steps.append(SeqStep("activate", source=target))
        if "deactivate" in s and s["deactivate"].boolean("deactivate"):
            steps.append(SeqStep("deactivate", source=source))

    walk(f["steps"])
    return SequenceSpec(r.optional_text(f, "title", "title"), tuple(participants.values()),
                        tuple(steps))


def _is_list(node: Node) -> bool:
    import yaml

    return isinstance(node.node, yaml.SequenceNode)


def describe(spec: SequenceSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: every message in order."""
    names = {p.id: flat(p.label) for p in spec.participants}
    items = [f"{names.get(s.source or '', s.source)} → {names.get(s.target or '', s.target)}"
             + (f"{'：' if zh else ': '}{flat(s.text)}" if s.text else "")
             for s in spec.steps if s.kind == "message"]
    return ("时序图" if zh else "Sequence diagram"), \
        listing(items or list(names.values()), zh)


# -- drawing -------------------------------------------------------------------------------------

def _rgb(text: str) -> str | None:
    """Return a `rect`/`box` colour (`rgb(…)`, `rgba(…)`, `#hex`) as `#RRGGBB`, else None."""
    m = re.fullmatch(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*[\d.]+\s*)?\)",
                     text.strip())
    if m:
        return "#" + "".join(f"{min(255, int(v)):02X}" for v in m.groups())
    m = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", text.strip())
    if m:
        digits = m.group(1) if len(m.group(1)) == 6 else "".join(c * 2 for c in m.group(1))
        return "#" + digits.upper()
    return None


def _involved(spec: SequenceSpec) -> dict[int, set[str]]:
    """Return, for each block's `start` step, the participants its steps involve."""
    found: dict[int, set[str]] = {}
    open_: list[int] = []
    for i, step in enumerate(spec.steps):
        if step.kind == "start":
            open_.append(i)
            found[i] = set()
        elif step.kind == "end" and open_:
            done = open_.pop()
            if open_:
                found[open_[-1]] |= found[done]
        else:
            names = {n for n in (step.source, step.target, *step.actors) if n}
            for j in open_:
                found[j] |= names
    return found


def _iconic(p: SeqParticipant) -> bool:
    """Whether a symbol stands above the participant's name: an actor, or a typed one."""
    return p.kind == "actor" or p.type in TYPES


def _icon(ax: Axes, kind: str, cx: float, top: float, colour: str) -> None:
    """Draw the symbol of an actor or a participant type in the `ICON_H` above its name
    (y grows downwards): a stick figure, UML's boundary, control and entity circles, a
    cylinder for a database, stacked cards for collections, a lying cylinder for a queue."""
    from matplotlib.patches import Arc, Circle, Ellipse, Polygon, Rectangle

    line = {"color": colour, "lw": 1.1, "zorder": 4}
    shape = {"fc": "white", "ec": colour, "lw": 1.1, "zorder": 4}
    t = top
    if kind == "actor":
        ax.add_patch(Circle((cx, t + 4), 3.6, **shape))
        for xs, ys in (([cx, cx], [t + 7.6, t + 13]), ([cx - 5, cx + 5], [t + 9.5] * 2),
                       ([cx - 4, cx, cx + 4], [t + 17.5, t + 13, t + 17.5])):
            ax.plot(xs, ys, **line)
    elif kind in ("boundary", "control", "entity"):
        r, cy = 6.0, t + 8.5
        ax.add_patch(Circle((cx, cy), r, **shape))
        if kind == "boundary":  # |–O
            ax.plot([cx - r - 5, cx - r - 5], [cy - r, cy + r], **line)
            ax.plot([cx - r - 5, cx - r], [cy, cy], **line)
        elif kind == "control":  # an arrowhead on the circle's top, pointing left
            ax.add_patch(Polygon([(cx - 2.2, cy - r), (cx + 1.8, cy - r - 2.8),
                                  (cx + 1.8, cy - r + 2.8)], closed=True, fc=colour,
                                 ec=colour, lw=0.6, zorder=5))
        else:  # entity: a line under the circle
            ax.plot([cx - r, cx + r], [cy + r + 1.5, cy + r + 1.5], **line)
    elif kind == "database":
        w, h, e = 16.0, 15.0, 4.5  # width, body height, ellipse height
        x0, y0 = cx - w / 2, t + 1.5 + e / 2
        ax.add_patch(Rectangle((x0, y0), w, h - e, fc="white", ec="none", zorder=4))
        ax.plot([x0, x0], [y0, y0 + h - e], **line)
        ax.plot([x0 + w, x0 + w], [y0, y0 + h - e], **line)
        ax.add_patch(Arc((cx, y0 + h - e), w, e, theta1=0, theta2=180, **line))
        ax.add_patch(Ellipse((cx, y0), w, e, **shape))
    elif kind == "collections":
        w, h = 16.0, 11.0
        ax.add_patch(Rectangle((cx - w / 2 + 3, t + 2), w, h, **shape))
        ax.add_patch(Rectangle((cx - w / 2, t + 5), w, h, **shape))
    elif kind == "queue":
        w, h, e = 22.0, 11.0, 5.0  # length, height, width of the ends' ellipses
        y0, x0 = t + 3.5, cx - w / 2
        ax.add_patch(Rectangle((x0, y0), w, h, fc="white", ec="none", zorder=4))
        ax.plot([x0, x0 + w], [y0, y0], **line)
        ax.plot([x0, x0 + w], [y0 + h, y0 + h], **line)
        ax.add_patch(Arc((x0, y0 + h / 2), e, h, theta1=90, theta2=270, **line))
        ax.add_patch(Ellipse((x0 + w, y0 + h / 2), e, h, **shape))


def draw(fig: Figure, spec: SequenceSpec, style: Style) -> None:
    """Draw `spec` on `fig`."""
    from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

    fam, size, small = style.families, style.label_pt, style.small_pt
    colors = style.colors
    ink = colors.text
    width = style.width_in * 72
    count = len(spec.participants)
    column = (width - 2 * MARGIN) / count
    centre = {p.id: MARGIN + column * (i + 0.5) for i, p in enumerate(spec.participants)}
    index = {p.id: i for i, p in enumerate(spec.participants)}
    box_w = min(column - 8, 130.0)
    ops: list[Callable[[Axes], None]] = []
    back: list[Callable[[Axes], None]] = []  # drawn first: rect tints, frames
    y = MARGIN
    title = ""
    if spec.title:
        title = wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True)
        y += measure(title, fam, style.title_pt, True)[1] + 8
    has_boxes = any(p.box for p in spec.participants)
    box_title_h = line_height(fam, small) + 6 if has_boxes else 0.0
    boxes_top = y
    y += box_title_h
    labels = {p.id: wrap(p.label, box_w - 2 * PAD, fam, size, True) for p in spec.participants}
    head_h = max(measure(t, fam, size, True)[1] for t in labels.values()) + 2 * PAD
    created = {s.source for s in spec.steps if s.kind == "create"}
    figure_h = ICON_H if any(_iconic(p) and p.id not in created
                             for p in spec.participants) else 0.0
    top = y
    lifeline_top: dict[str, float] = {}

    def header(p: SeqParticipant, cy_top: float) -> float:
        """Queue the participant's head with its top at `cy_top`; return its bottom."""
        cx = centre[p.id]
        if _iconic(p):
            if p.id in created:
                cy_top -= ICON_H  # its box, not its symbol, stands at the message
            ops.append(lambda ax, cx=cx, t=cy_top, kind=p.type or p.kind: _icon(
                ax, kind, cx, t, colors.primary))
            cy_top += ICON_H
        w = min(box_w, measure(labels[p.id], fam, size, True)[0] + 2 * PAD + 6)

        def head(ax: Axes, cx: float = cx, t: float = cy_top, w: float = w) -> None:
            filled = not _iconic(p)
            ax.add_patch(FancyBboxPatch((cx - w / 2, t), w, head_h,
                                        boxstyle="round,pad=0,rounding_size=3",
                                        fc=colors.primary if filled else "white",
                                        ec=colors.primary, lw=1.0, zorder=4))
            one_line = "\n" not in labels[p.id]  # on a baseline, so names line up
            ax.text(cx, t + head_h / 2 + (0.36 * size if one_line else 0), labels[p.id],
                    ha="center", va="baseline" if one_line else "center",
                    fontsize=size, fontweight="bold", color="white" if filled else ink,
                    linespacing=LINE_SPACING, zorder=5)
        ops.append(head)
        return cy_top + head_h

    for p in spec.participants:
        if p.id not in created:
            lifeline_top[p.id] = header(p, top + (0 if _iconic(p) else figure_h))
    y = top + figure_h + head_h + 10
    involved = _involved(spec)
    frames: list[tuple[int, float, int]] = []  # (start index, top y, depth)
    active: dict[str, list[float]] = {}
    ended: dict[str, float] = {}
    last_arrow: dict[str, float] = {}
    pending_destroy: set[str] = set()

    def x_at(name: str, toward: float) -> float:
        """Where an arrow meets `name`'s lifeline, at the edge of an activation bar."""
        x = centre[name]
        depth = len(active.get(name, []))
        if depth:
            return x + (ACT + 2 * (depth - 1)) * (1 if toward > x else -1)
        return x

    def extent(start: int, depth: int) -> tuple[float, float]:
        names = involved.get(start) or {p.id for p in spec.participants}
        lo = min(index[n] for n in names)
        hi = max(index[n] for n in names)
        inset = 4.0 * depth
        return (MARGIN + column * lo + 3 + inset, MARGIN + column * (hi + 1) - 3 - inset)

    for i, step in enumerate(spec.steps):
        if step.kind == "message":
            src, dst = step.source or "", step.target or ""
            xs, xd = centre[src], centre[dst]
            if src == dst:
                text = wrap(step.text, max(column / 2 - 28, 40), fam, small)  # in its column
                th = measure(text, fam, small)[1] if step.text else 0.0
                loop_h = max(14.0, th + 4)
                x0 = x_at(src, xs + 1)
                ops.append(lambda ax, x0=x0, y0=y, h=loop_h, st=step, t=text: (
                    ax.plot([x0, x0 + 18, x0 + 18, x0 + 2], [y0, y0, y0 + h, y0 + h],
                            color=ink, lw=0.9, ls=(0, (3, 2)) if st.line == "dotted"
                            else "-", zorder=3),
                    _head(ax, (x0 + 18, y0 + h), (x0, y0 + h), st.head, ink),
                    ax.text(x0 + 22, y0 + h / 2, t, ha="left", va="center", fontsize=small,
                            color=ink, linespacing=LINE_SPACING, zorder=5)))
                arrow_y = y
                y += loop_h + GAP
            else:
                span = abs(xd - xs)
                text = wrap(step.text, max(span - 12, 40), fam, small)
                th = measure(text, fam, small)[1] if step.text else 0.0
                arrow_y = y + th + 3
                if dst in created and dst not in lifeline_top:
                    # the participant is drawn where this message reaches it
                    p = next(q for q in spec.participants if q.id == dst)
                    bottom = header(p, arrow_y - head_h / 2)
                    lifeline_top[dst] = bottom
                    arrow_y_end = arrow_y
                    w = min(box_w, measure(labels[dst], fam, size, True)[0] + 2 * PAD + 6)
                    end_x = xd - w / 2 if xd > xs else xd + w / 2
                    y = max(y, bottom - th - 3)
                else:
                    arrow_y_end = arrow_y
                    end_x = x_at(dst, xs)
                start_x = x_at(src, xd)
                mid = (xs + xd) / 2
                # a text over the lifelines between the two stands on a white ground
                ground = GROUND if abs(index[src] - index[dst]) > 1 else None
                ops.append(lambda ax, a=start_x, b=end_x, yy=arrow_y_end, st=step, t=text,
                           m=mid, ty=arrow_y - 3, g=ground: (
                    ax.plot([a, b], [yy, yy], color=ink, lw=0.9,
                            ls=(0, (3, 2)) if st.line == "dotted" else "-", zorder=3),
                    _head(ax, (a, yy), (b, yy), st.head, ink),
                    ax.text(m, ty, t, ha="center", va="bottom", fontsize=small, color=ink,
                            linespacing=LINE_SPACING, zorder=5, bbox=g) if t else None))
                y = arrow_y + GAP
            if step.number is not None:
                bx = x_at(src, xd if src != dst else xs + 1)
                ops.append(lambda ax, bx=bx, by=arrow_y, n=step.number: (
                    ax.add_patch(Circle((bx, by), 5.2, fc=colors.primary, ec="white", lw=0.6,
                                        zorder=6)),
                    ax.text(bx, by, n, ha="center", va="center_baseline", fontsize=6,
                            color="white", zorder=7)))
            last_arrow[src] = last_arrow[dst] = arrow_y
            for name in (src, dst):
                if name in pending_destroy:
                    pending_destroy.discard(name)
                    ended[name] = arrow_y + 4
                    cx = centre[name]
                    ops.append(lambda ax, cx=cx, cy=arrow_y + 10: ax.plot(
                        [cx - 4, cx + 4, cx, cx - 4, cx + 4], [cy - 4, cy + 4, cy, cy + 4,
                                                               cy - 4],
                        color=ink, lw=1.2, zorder=6))
        elif step.kind == "note":
            names = list(step.actors)
            xs_ = [centre[n] for n in names]
            text_w = column * 0.8 if step.place != "over" or len(names) == 1 else \
                abs(xs_[-1] - xs_[0]) + column * 0.6
            text = wrap(step.text, text_w - 2 * PAD, fam, small)
            w, h = measure(text, fam, small)
            w, h = max(w, 20) + 2 * PAD, h + 2 * PAD
            if step.place == "over":
                cx = (min(xs_) + max(xs_)) / 2
                w = max(w, abs(xs_[-1] - xs_[0]) + 24)
                x0 = cx - w / 2
            elif step.place == "right":
                x0 = centre[names[0]] + 6
            else:
                x0 = centre[names[0]] - 6 - w
            x0 = min(max(x0, MARGIN), width - MARGIN - w)
            ops.append(lambda ax, x0=x0, y0=y, w=w, h=h, t=text: (
                ax.add_patch(FancyBboxPatch((x0, y0), w, h,
                                            boxstyle="round,pad=0,rounding_size=2",
                                            fc=NOTE_FILL, ec=NOTE_EDGE, lw=0.8, zorder=4)),
                ax.text(x0 + w / 2, y0 + h / 2, t, ha="center", va="center", fontsize=small,
                        color=legible(ink, NOTE_FILL), linespacing=LINE_SPACING, zorder=5)))
            y += h + GAP
        elif step.kind == "activate":
            name = step.source or ""
            started = last_arrow.get(name, y - GAP)
            active.setdefault(name, []).append(max(started, lifeline_top.get(name, top)))
        elif step.kind == "deactivate":
            name = step.source or ""
            if active.get(name):
                started = active[name].pop()
                depth = len(active[name])
                end_y = max(last_arrow.get(name, y), started + 6)
                ops.insert(0, _bar(centre[name] + 2 * depth, started, end_y, colors))
        elif step.kind == "destroy":
            pending_destroy.add(step.source or "")
        elif step.kind == "start":
            depth = sum(1 for _ in frames)
            frames.append((i, y, depth))
            y += 6 if step.place == "rect" else line_height(fam, small) + 10
        elif step.kind == "branch" and frames:
            start, _, depth = frames[-1]
            x0, x1 = extent(start, depth)
            text = f"[{step.text}]" if step.text else ""
            ops.append(lambda ax, x0=x0, x1=x1, yy=y, t=text: (
                ax.plot([x0, x1], [yy, yy], color=colors.muted, lw=0.8, ls=(0, (4, 3)),
                        zorder=2),
                ax.text((x0 + x1) / 2, yy + 3, t, ha="center", va="top", fontsize=small,
                        color=ink, zorder=6, bbox=GROUND) if t else None))
            y += line_height(fam, small) + 8
        elif step.kind == "end" and frames:
            start, y0, depth = frames.pop()
            first = spec.steps[start]
            x0, x1 = extent(start, depth)
            y1 = y
            if first.place == "rect":
                shade = _rgb(first.text) or tint(colors.primary, 0.3)
                back.append(lambda ax, x0=x0, y0=y0, x1=x1, y1=y1, c=shade, d=depth: ax.add_patch(
                    Rectangle((x0, y0), x1 - x0, y1 - y0, fc=tint(c, 0.35), ec="none",
                              zorder=0.1 + 0.01 * d)))  # nested tints over their parents
            else:
                word = KEYWORDS.get(first.place, (first.place, first.place))[
                    0 if style.zh else 1]
                label = f"[{first.text}]" if first.text else ""
                back.append(lambda ax, x0=x0, y0=y0, x1=x1, y1=y1, w=word, t=label: _frame(
                    ax, x0, y0, x1, y1, w, t, style))
            y += GAP / 2
    bottom = y + 2
    for name, stack in active.items():  # activations never closed run to the end
        for depth, started in enumerate(stack):
            ops.insert(0, _bar(centre[name] + 2 * depth, started, bottom - 4, colors))
    if has_boxes:
        groups: list[tuple[str, str | None, int, int]] = []
        for i, p in enumerate(spec.participants):
            if p.box and groups and groups[-1][0] == p.box and groups[-1][3] == i - 1:
                groups[-1] = (p.box, p.box_color, groups[-1][2], i)
            elif p.box:
                groups.append((p.box, p.box_color, i, i))
        for label, colour, lo, hi in groups:
            shade = tint(_rgb(colour or "") or colors.primary, 0.12)
            x0, x1 = MARGIN + column * lo + 1, MARGIN + column * (hi + 1) - 1
            back.insert(0, lambda ax, x0=x0, x1=x1, t=label, c=shade: (
                ax.add_patch(Rectangle((x0, boxes_top), x1 - x0, bottom - boxes_top, fc=c,
                                       ec="none", zorder=0)),
                ax.text((x0 + x1) / 2, boxes_top + 3, t, ha="center", va="top",
                        fontsize=small, fontweight="bold", color=legible(ink, c), zorder=5)))
    height = bottom + MARGIN
    ax = points_axes(fig, width, height)
    if title:
        ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=style.title_pt,
                fontweight="bold", color=colors.primary, linespacing=LINE_SPACING)
    for p in spec.participants:
        start = lifeline_top.get(p.id)
        if start is None:
            continue
        end = ended.get(p.id, bottom) + (6 if p.id in ended else 0)
        ax.plot([centre[p.id]] * 2, [start, end], color=colors.muted, lw=0.8,
                ls=(0, (3, 3)), zorder=1)
    for op in back + ops:
        op(ax)


def _bar(x: float, y0: float, y1: float, colors: object) -> Callable[[Axes], None]:
    def bar(ax: Axes) -> None:
        from matplotlib.patches import Rectangle

        ax.add_patch(Rectangle((x - ACT, y0), 2 * ACT, y1 - y0,
                               fc=tint(colors.primary, 0.18),  # type: ignore[attr-defined]
                               ec=colors.primary, lw=0.7, zorder=2))  # type: ignore[attr-defined]
    return bar


def _frame(ax: Axes, x0: float, y0: float, x1: float, y1: float, word: str, label: str,
           style: Style) -> None:
    from matplotlib.patches import Polygon, Rectangle

    fam, small = style.families, style.small_pt
    colors = style.colors
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fc="none", ec=colors.muted, lw=0.8,
                           zorder=2))
    w = measure(word, fam, small, True)[0] + 10
    h = line_height(fam, small) + 4
    ax.add_patch(Polygon([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h - 4), (x0 + w - 4, y0 + h),
                          (x0, y0 + h)], closed=True, fc=tint(colors.primary, 0.12),
                         ec=colors.muted, lw=0.8, zorder=2))
    ax.text(x0 + 5, y0 + h / 2, word, ha="left", va="center", fontsize=small,
            fontweight="bold", color=colors.primary, zorder=5)
    if label:
        ax.text(x0 + w + 6, y0 + h / 2, label, ha="left", va="center", fontsize=small,
                color=colors.text, zorder=6, bbox=GROUND)


def _head(ax: Axes, start: tuple[float, float], end: tuple[float, float], head: str,
          colour: str) -> None:
    """Draw the end of a message from `start` to `end`: a filled arrow, an open (async)
    arrow, a cross, arrows at both ends, or nothing."""
    from matplotlib.patches import Polygon

    def tip(a: tuple[float, float], b: tuple[float, float], filled: bool) -> None:
        (ax_, ay), (bx, by) = a, b
        length = max(((bx - ax_) ** 2 + (by - ay) ** 2) ** 0.5, 1e-6)
        ux, uy = (bx - ax_) / length, (by - ay) / length
        back_x, back_y = bx - ux * 6, by - uy * 6
        left = (back_x - uy * 2.6, back_y + ux * 2.6)
        right = (back_x + uy * 2.6, back_y - ux * 2.6)
        if filled:
            ax.add_patch(Polygon([(bx, by), left, right], closed=True, fc=colour, ec="none",
                                 zorder=4))
        else:
            ax.plot([left[0], bx, right[0]], [left[1], by, right[1]], color=colour, lw=0.9,
                    zorder=4)

    if head in ("arrow", "both"):
        tip(start, end, True)
    if head == "both":
        tip(end, start, True)
    elif head == "open":
        tip(start, end, False)
    elif head == "cross":
        bx, by = end
        ax.plot([bx - 3.5, bx + 3.5], [by - 3.5, by + 3.5], color=colour, lw=1.1, zorder=4)
        ax.plot([bx - 3.5, bx + 3.5], [by + 3.5, by - 3.5], color=colour, lw=1.1, zorder=4)
