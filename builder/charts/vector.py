"""Chart drawings: a matplotlib figure recorded once as vector operations the PDF engine replays.

The PDF engine used to place each chart as a page of its own matplotlib PDF, so every chart
carried its own subsets of the report's fonts and had to be written out (font subsetting and
all) and parsed back. Now a chart is drawn once through `_Recorder`, a matplotlib renderer that
writes down what it is asked to draw: paths as PDF path operators (made by the same C helper as
matplotlib's PDF backend, at 1/1000 pt), with their line and fill state and clip, and text as
runs of characters with the font file and the position matplotlib's own text layout gave each
character. `engines/pdf/drawing.py` replays the list onto the page with the fonts the document
already embeds. Recording also runs the figure's layout engine (constrained layout) once and
then freezes it, so the PNG and any other file saved afterwards share that layout and come out
the same whatever order they are saved in.

Measuring is done like matplotlib's PDF backend: points at 72 dpi, unhinted glyph metrics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matplotlib import _path, _text_helpers, cbook
from matplotlib.backend_bases import FigureCanvasBase, RendererBase

if TYPE_CHECKING:
    from matplotlib.backend_bases import GraphicsContextBase
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Transform

#: Bump when the recorded format changes (it is part of the chart cache key).
DRAWING_VERSION = "1"
_PRECISION = 3  # decimals of a point in path coordinates
_PATH_CODES = [b"m", b"l", b"", b"c", b"h"]  # an empty code makes quadratic curves cubic
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


def _path_ops(path: MplPath, transform: Transform, clip: tuple[float, ...] | None,
              simplify: bool | None) -> str:
    data = _path.convert_to_string(path, transform, clip, simplify, None, _PRECISION,
                                   _PATH_CODES, True)
    return data.decode("ascii")


def _round(value: float) -> float:
    return round(float(value), _PRECISION)


def _rgba(rgb: Any, alpha: float) -> list[float] | None:
    if rgb is None or alpha <= 0:
        return None
    return [_round(rgb[0]), _round(rgb[1]), _round(rgb[2]), _round(alpha)]


class _Recorder(RendererBase):
    """A matplotlib renderer whose output is a list of drawing operations (see module note).

    Text is measured by `RendererBase` itself: unhinted, at 72 dpi, as the PDF backend does.
    (Not the PDF backend's base class: importing it imports fontTools' subsetter.)
    """

    def __init__(self, width_in: float, height_in: float) -> None:
        super().__init__()
        self.width_pt, self.height_pt = width_in * 72, height_in * 72
        self.ops: list[list[Any]] = []
        self.states: list[dict[str, Any]] = []
        self._state_ids: dict[str, int] = {}
        self.fonts: dict[str, str] = {}  # font file stem -> path

    def _state(self, gc: GraphicsContextBase, fill: Any, stroke: bool) -> int:
        """Return the index of the graphics state of `gc` (shared by every op that uses it)."""
        if gc.get_hatch() is not None:
            raise ValueError("chart drawings do not support hatching")
        forced = gc.get_forced_alpha()
        rgb = gc.get_rgb()
        stroke_alpha = gc.get_alpha() if forced else (rgb[3] if len(rgb) > 3 else 1.0)
        fill_alpha = 0.0
        if fill is not None:
            fill_alpha = gc.get_alpha() if forced else (fill[3] if len(fill) > 3 else 1.0)
        state: dict[str, Any] = {}
        if stroke:
            offset, dashes = gc.get_dashes()
            state.update(stroke=_rgba(rgb, stroke_alpha), width=_round(gc.get_linewidth()),
                         cap=_CAPS[gc.get_capstyle()], join=_JOINS[gc.get_joinstyle()])
            if dashes is not None and any(dashes):
                state["dash"] = [[_round(d) for d in dashes], _round(offset or 0)]
        if fill is not None:
            state["fill"] = _rgba(fill, fill_alpha)
        box = gc.get_clip_rectangle()
        if box is not None:
            state["clip"] = [_round(v) for v in box.bounds]
        clip_path, clip_transform = gc.get_clip_path()
        if clip_path is not None:
            state["clip_path"] = _path_ops(clip_path, clip_transform, None, None)
        key = repr(sorted(state.items()))
        if key not in self._state_ids:
            self._state_ids[key] = len(self.states)
            self.states.append(state)
        return self._state_ids[key]

    def flipy(self) -> bool:
        """Return False: y grows upwards, as on a PDF page."""
        return False

    def option_scale_image(self) -> bool:
        """Return True: images could be scaled freely (the PDF backend says the same)."""
        return True

    def get_canvas_width_height(self) -> tuple[float, float]:
        """Return the figure size in points."""
        return self.width_pt, self.height_pt

    def draw_path(self, gc: GraphicsContextBase, path: MplPath, transform: Transform,
                  rgbFace: Any = None) -> None:  # noqa: N803 - matplotlib's name
        """Record a path with its stroke and fill (as matplotlib's PDF backend paints it)."""
        rgb = gc.get_rgb()
        stroke = (gc.get_linewidth() > 0 and gc.get_alpha() > 0
                  and (len(rgb) <= 3 or rgb[3] != 0.0))
        fill = rgbFace if rgbFace is not None and (len(rgbFace) <= 3 or rgbFace[3] != 0) else None
        if not stroke and fill is None:
            return
        width, height = self.get_canvas_width_height()
        clip = (0.0, 0.0, width, height) if fill is None else None
        ops = _path_ops(path, transform, clip, path.should_simplify if fill is None else False)
        if ops:
            self.ops.append(["p", self._state(gc, fill, stroke), ops,
                             int(stroke) + 2 * int(fill is not None)])

    def draw_text(self, gc: GraphicsContextBase, x: float, y: float, s: str,
                  prop: FontProperties, angle: float, ismath: bool | str = False,
                  mtext: Any = None) -> None:
        """Record a line of text as font runs of positioned characters."""
        if ismath:
            self._draw_text_as_path(gc, x, y, s, prop, angle, ismath)
            return
        font = self._text2path._get_font(prop)
        font.set_size(prop.get_size_in_points(), 72)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        runs: list[list[Any]] = []
        current: Any = None
        for item in _text_helpers.layout(s, font, features=features, language=language):
            path = item.ft_object.fname
            stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            self.fonts.setdefault(stem, path)
            rise = _round(item.y)
            if current is None or current[0] != stem or current[1] != rise:
                current = [stem, rise, []]
                runs.append(current)
            current[2].append([_round(item.x), item.char])
        if runs:
            fill = gc.get_rgb()
            self.ops.append(["t", self._state(gc, fill, False), _round(x), _round(y),
                             _round(angle % 360), _round(prop.get_size_in_points()), runs])


class _RecordingCanvas(FigureCanvasBase):
    """A canvas whose renderer is the recorder, so layout measures text as the drawing does."""

    def __init__(self, figure: Figure, renderer: _Recorder) -> None:
        super().__init__(figure)
        self._renderer = renderer

    def get_renderer(self) -> _Recorder:
        """Return the recorder (constrained layout asks the canvas for a renderer)."""
        return self._renderer


def record(fig: Figure) -> dict[str, Any]:
    """Return `fig` recorded as a drawing, and freeze its layout for every later save.

    The result is JSON-ready: `width_pt`, `height_pt`, `fonts` (file stem -> path), `states`
    (line, fill and clip settings) and `ops`, each `["p", state, path_ops, paint]` (paint: 1
    stroke, 2 fill, 3 both) or `["t", state, x, y, angle, size_pt, runs]` with runs of
    `[font_stem, rise, [[x, chars], ...]]` in the text's own rotated frame.
    """
    previous = fig.canvas
    width_in, height_in = (float(v) for v in fig.get_size_inches())
    recorder = _Recorder(width_in, height_in)
    with cbook._setattr_cm(fig, dpi=72):
        _RecordingCanvas(fig, recorder)
        try:
            fig.draw(recorder)
        finally:
            fig.set_canvas(previous)
    # Keep the layout just computed for the PNG and every other save. `None`, not "none": a
    # placeholder engine would still make each `savefig` lay the figure out in a dry run first.
    fig.set_layout_engine(None)
    return {"version": DRAWING_VERSION, "width_pt": _round(width_in * 72),
            "height_pt": _round(height_in * 72), "fonts": recorder.fonts,
            "states": recorder.states, "ops": recorder.ops}
