"""The mindmap: the root in the middle, its topics branching out to the right and the left.

The first-level topics are split between the two sides so that each holds about half of the
leaves (the first ones go right, as one reads). Each side is a tidy tree: one column per level,
every leaf a row, a parent centred on its children, curved connectors in the branch's colour.
The root is a filled box, first-level topics tinted boxes in their branch colour, deeper
topics plain text over a rule in that colour; a shape given in mermaid (circle, hexagon, …)
is drawn as such. Labels wrap to their column, level. Registered in `kinds.KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing
from builder.model.charts import MindmapNode, MindmapSpec
from builder.readers.chart_yaml import Node, SpecReader

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from builder.charts.style import Style, legible, points_axes, tint
from builder.charts.text import LINE_SPACING, measure, wrap

SPEC = MindmapSpec

MARGIN = 4.0
PAD = 5.0
LEVEL_GAP = 18.0   # between columns
ROW_GAP = 7.0      # between leaves
_SHAPES = ("default", "square", "rounded", "circle", "bang", "cloud", "hexagon")
MAX_DEPTH = 12


def read(r: SpecReader, root: Node) -> MindmapSpec:
    """Read `kind: mindmap`: a `root` topic with nested `children`."""
    f = root.mapping("mindmap", allowed=("kind", "title", "root"), required=("root",))

    def topic(node: Node, depth: int) -> MindmapNode:
        if depth > MAX_DEPTH:
            raise node.error(f"a mindmap goes at most {MAX_DEPTH} levels deep")
        if not node.is_mapping():
            return MindmapNode(r.text(node, "topic"))
        if set(node.mapping("topic")) <= {"zh", "en"}:  # {zh: …, en: …}: a topic's text
            return MindmapNode(r.text(node, "topic"))
        fields = node.mapping("topic", allowed=("label", "shape", "children"),
                              required=("label",))
        kids = tuple(topic(c, depth + 1) for c in fields["children"].items("children")) \
            if "children" in fields else ()
        shape = fields["shape"].word("shape", _SHAPES) if "shape" in fields else "default"
        return MindmapNode(r.text(fields["label"], "topic"), shape, kids)

    return MindmapSpec(r.optional_text(f, "title", "title"), topic(f["root"], 0))


def describe(spec: MindmapSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: each first-level topic with its subtopics."""
    def words(node: MindmapNode) -> list[str]:
        return [flat(node.label)] + [w for c in node.children for w in words(c)]

    items = [f"{flat(c.label)}{'（' if zh else ' ('}"
             + ("、" if zh else ", ").join(w for k in c.children for w in words(k))
             + ("）" if zh else ")") if c.children else flat(c.label)
             for c in spec.root.children]
    head = flat(spec.root.label)
    return ("思维导图" if zh else "Mind map"), \
        (f"{head}{'：' if zh else ': '}" + listing(items, zh) if items else head)


@dataclass
class _Placed:
    node: MindmapNode
    depth: int
    text: str = ""
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0   # the side of the box nearest the root
    y: float = 0.0   # centre
    children: list[_Placed] = field(default_factory=list)


def _depth(node: MindmapNode) -> int:
    return 1 + max((_depth(c) for c in node.children), default=0)


def _leaves(node: MindmapNode) -> int:
    return max(1, sum(_leaves(c) for c in node.children))


def draw(fig: Figure, spec: MindmapSpec, style: Style) -> None:
    """Draw `spec` on `fig`."""
    fam, size, small = style.families, style.label_pt, style.small_pt
    colors = style.colors
    width = style.width_in * 72
    root = spec.root
    branches = list(root.children)
    # Split the branches: the first ones right, until about half the leaves are there.
    total = sum(_leaves(b) for b in branches)
    right: list[MindmapNode] = []
    count = 0
    for branch in branches:
        if not right or count + _leaves(branch) / 2 <= total / 2 or len(branches) == 1:
            right.append(branch)
            count += _leaves(branch)
        else:
            break
    left = branches[len(right):]
    root_text = wrap(root.label, 110, fam, size + 1, True)
    root_w, root_h = measure(root_text, fam, size + 1, True)
    root_w, root_h = root_w + 2 * PAD + 4, root_h + 2 * PAD

    # Each level of each side gets a column as wide as its widest label (at most 160 pt),
    # narrowed in proportion when the sides do not fit beside the root, but never below its
    # longest word; what still does not fit widens the figure (the page scales it down).
    def natural(nodes: list[MindmapNode], depth: int, found: dict[int, list[float]]) -> None:
        for node in nodes:
            text_size = size if depth == 1 else small
            w = measure(node.label, fam, text_size, depth == 1)[0] + 2 * PAD
            word = max(measure(part, fam, text_size, depth == 1)[0]
                       for part in node.label.split()) + 2 * PAD if node.label.split() else w
            most, least = found.get(depth, [0.0, 0.0])
            found[depth] = [max(most, min(w, 160.0)), max(least, min(word, w))]
            natural(list(node.children), depth + 1, found)

    wanted: dict[str, dict[int, list[float]]] = {"right": {}, "left": {}}
    natural(right, 1, wanted["right"])
    natural(left, 1, wanted["left"])
    count_cols = len(wanted["right"]) + len(wanted["left"])
    room = width - 2 * MARGIN - root_w - LEVEL_GAP * count_cols
    most = sum(v[0] for cols in wanted.values() for v in cols.values())
    least = sum(max(v[1], 24.0) for cols in wanted.values() for v in cols.values())
    share = 1.0 if most <= room else max(0.0, (room - least) / (most - least)) \
        if most > least else 0.0
    widths = {side: {d: max(v[1], 24.0) + (v[0] - max(v[1], 24.0)) * share
                     for d, v in cols.items()} for side, cols in wanted.items()}
    width = max(width, 2 * MARGIN + root_w + LEVEL_GAP * count_cols
                + sum(sum(c.values()) for c in widths.values()))

    def place(node: MindmapNode, depth: int, side: str) -> _Placed:
        bold = depth == 1
        column = widths[side][depth]
        text = wrap(node.label, column - (2 * PAD if depth == 1 else 2), fam,
                    size if depth == 1 else small, bold)
        w, h = measure(text, fam, size if depth == 1 else small, bold)
        boxed = depth == 1 or node.shape != "default"
        return _Placed(node, depth, text, w + (2 * PAD if boxed else 2),
                       h + (2 * PAD - 2 if boxed else 4),
                       children=[place(c, depth + 1, side) for c in node.children])

    trees = {"right": [place(b, 1, "right") for b in right],
             "left": [place(b, 1, "left") for b in left]}

    def stack(items: list[_Placed], top: float) -> float:
        """Give each subtree its rows from `top`; return the bottom."""
        cursor = top
        for item in items:
            if item.children:
                bottom = stack(item.children, cursor)
                item.y = (item.children[0].y + item.children[-1].y) / 2
                cursor = max(bottom, item.y + item.h / 2 + ROW_GAP)
                if item.y - item.h / 2 < top:  # a tall parent over short children
                    shift = top - (item.y - item.h / 2)
                    _shift(item, shift)
                    cursor += shift
            else:
                item.y = cursor + item.h / 2
                cursor += item.h + ROW_GAP
            top = cursor
        return cursor

    top = MARGIN
    title = ""
    if spec.title:
        title = wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True)
        top += measure(title, fam, style.title_pt, True)[1] + 8
    bottoms = [stack(trees[s], top) for s in ("right", "left")]
    body_h = max(max(bottoms) - top - ROW_GAP, root_h)
    # Centre each side on the root.
    mid = top + body_h / 2
    for side, bottom in zip(("right", "left"), bottoms, strict=True):
        if trees[side]:
            used = bottom - ROW_GAP - top
            for item in trees[side]:
                _shift(item, (body_h - used) / 2)
    left_w = sum(widths["left"].values()) + LEVEL_GAP * len(widths["left"])
    right_w = sum(widths["right"].values()) + LEVEL_GAP * len(widths["right"])
    spare = max(0.0, width - 2 * MARGIN - left_w - right_w - root_w)
    centre_x = MARGIN + left_w + spare / 2 + root_w / 2

    def columns(items: list[_Placed], start: float, sign: int, side: str) -> None:
        for item in items:
            item.x = start
            step = widths[side][item.depth] + LEVEL_GAP
            columns(item.children, start + sign * step, sign, side)

    columns(trees["right"], centre_x + root_w / 2 + LEVEL_GAP, 1, "right")
    columns(trees["left"], centre_x - root_w / 2 - LEVEL_GAP, -1, "left")
    height = top + body_h + MARGIN
    ax = points_axes(fig, width, height)
    if title:
        ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=style.title_pt,
                fontweight="bold", color=colors.primary, linespacing=LINE_SPACING)
    _box(ax, centre_x - root_w / 2, mid - root_h / 2, root_w, root_h, root.shape,
         colors.primary, colors.primary, lw=0)
    ax.text(centre_x, mid, root_text, ha="center", va="center", fontsize=size + 1,
            fontweight="bold", color="white", linespacing=LINE_SPACING, zorder=5)
    index = 0
    for side, sign in (("right", 1), ("left", -1)):
        for item in trees[side]:
            colour = style.series(index + 1)
            index += 1
            _connect(ax, (centre_x + sign * root_w / 2, mid), item, sign, colour, 1.6)
            _draw(ax, item, sign, colour, style)


def _shift(item: _Placed, dy: float) -> None:
    item.y += dy
    for child in item.children:
        _shift(child, dy)


def _near(item: _Placed, sign: int) -> float:
    return item.x


def _far(item: _Placed, sign: int) -> float:
    return item.x + sign * item.w


def _connect(ax: Axes, start: tuple[float, float], item: _Placed, sign: int, colour: str,
             lw: float) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    (x0, y0), x1, y1 = start, _near(item, sign), item.y + (0 if item.depth == 1 or
                                                            item.node.shape != "default"
                                                            else item.h / 2 - 1)
    bend = (x1 - x0) / 2
    path = MplPath([(x0, y0), (x0 + bend, y0), (x1 - bend, y1), (x1, y1)],
                   [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4])
    ax.add_artist(PathPatch(path, fc="none", ec=colour, lw=lw, capstyle="round", zorder=1))


def _draw(ax: Axes, item: _Placed, sign: int, colour: str, style: Style) -> None:
    size, small = style.label_pt, style.small_pt
    boxed = item.depth == 1 or item.node.shape != "default"
    left = item.x if sign > 0 else item.x - item.w
    if boxed:
        fill = tint(colour, 0.22)
        _box(ax, left, item.y - item.h / 2, item.w, item.h, item.node.shape, fill, colour, 1.0)
        ax.text(left + item.w / 2, item.y, item.text, ha="center", va="center",
                fontsize=size if item.depth == 1 else small,
                fontweight="bold" if item.depth == 1 else "normal",
                color=legible(style.colors.text, fill), linespacing=LINE_SPACING, zorder=5)
        out_y = item.y
    else:
        base = item.y + item.h / 2 - 1
        ax.plot([left, left + item.w], [base, base], color=colour, lw=1.2,
                solid_capstyle="round", zorder=2)
        ax.text(left + 1 if sign > 0 else left + item.w - 1, base - 2, item.text,
                ha="left" if sign > 0 else "right", va="bottom", fontsize=small,
                color=style.colors.text, linespacing=LINE_SPACING, zorder=5)
        out_y = base
    for child in item.children:
        _connect(ax, (_far(item, sign), out_y), child, sign, colour, 1.1)
        _draw(ax, child, sign, colour, style)


def _box(ax: Axes, x: float, y: float, w: float, h: float, shape: str, fill: str, edge: str,
         lw: float) -> None:
    from matplotlib.patches import Ellipse, FancyBboxPatch, Polygon

    if shape == "circle":
        ax.add_artist(Ellipse((x + w / 2, y + h / 2), w * 1.15, h * 1.3, fc=fill, ec=edge,
                              lw=lw, zorder=3))
    elif shape == "hexagon":
        d = min(h / 2, 8.0)
        ax.add_artist(Polygon([(x - d, y + h / 2), (x, y), (x + w, y), (x + w + d, y + h / 2),
                               (x + w, y + h), (x, y + h)], closed=True, fc=fill, ec=edge,
                              lw=lw, zorder=3))
    else:
        style = {"square": "square,pad=0", "rounded": "round,pad=0,rounding_size=4",
                 "bang": "round4,pad=0,rounding_size=6", "cloud": "round,pad=0,rounding_size=9",
                 "default": "round,pad=0,rounding_size=5"}[shape]
        ax.add_artist(FancyBboxPatch((x, y), w, h, boxstyle=style, fc=fill, ec=edge, lw=lw,
                                     ls="--" if shape == "bang" else "-", zorder=3))
