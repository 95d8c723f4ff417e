"""Chart rendering: a ChartSpec drawn by its kind's renderer, recorded, and saved as files.

This is the only place that creates figures and calls `savefig`. Every chart is first recorded
as a drawing (`vector.py`): the vector form the PDF engine replays onto its pages. The drawing
pass also runs the figure's layout once and freezes it, so the files saved afterwards (PNG for
Word; PDF and SVG for `diagram`) share one layout and each is the same bytes whichever of them
were asked for, in whatever order. Only the files asked for are saved.

Files are named by a content hash of everything that changes the picture (spec, theme colours
and fonts, language, renderer version), so a rebuild reuses unchanged charts; bytes are
deterministic (no dates, fixed SVG hash salt) and every file is written to a temporary name and
renamed into place. matplotlib is imported only when a chart is drawn, so a build whose charts
are all cached never pays for it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import zlib
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from builder.charts.kinds import KINDS, kind_module
from builder.model.charts import ChartSpec
from builder.model.document import ChartImage
from builder.output import naming_failures
from builder.themes import Theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from builder.charts.style import Style

#: Bump when a renderer changes its drawing in a way its code does not show (a font's
#: metrics, say): cached charts are redrawn. A change to the drawing code redraws them anyway
#: (`drawing_code`).
RENDERER_VERSION = "2"
#: The packages whose code draws a chart: the kinds, their style, and the numbers and units
#: of their labels.
_DRAWING_PACKAGES = ("charts", "locale")


@lru_cache(maxsize=1)
def drawing_code() -> str:
    """Return a hash of the source that draws charts, so a cached chart drawn by other code
    (an upgrade, an edit of a kind) is drawn again. Once per process."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in _DRAWING_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
PNG_DPI = 220

#: Every file format a chart can be saved in besides its drawing, which is always recorded.
FORMATS: tuple[str, ...] = ("pdf", "png", "svg")

#: Layout tables a PDF viewer never reads: glyph positions are already fixed in the content
#: stream, and the subsetter spends much of its time closing glyph sets over them.
_LAYOUT_TABLES = frozenset({"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "STAT", "MATH"})


@lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    """Return the installed matplotlib version without importing matplotlib."""
    import importlib.util
    import re

    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:  # `_version.py` is what `matplotlib.__version__` reads
        try:
            text = (Path(spec.origin).parent / "_version.py").read_text(encoding="utf-8")
            match = re.search(r"""^__version__ = version = ['"]([^'"]+)['"]""", text, re.M)
            if match:
                return match.group(1)
        except OSError:
            pass
    from importlib import metadata

    return metadata.version("matplotlib")


def load_renderers() -> None:
    """Import now what drawing a chart needs (matplotlib, its Agg backend, the recorder and
    every drawer): done ahead by a process that will draw charts, or fork workers that will."""
    import matplotlib.backends.backend_agg  # noqa: F401

    import builder.charts.vector  # noqa: F401

    for kind in KINDS:
        kind_module(kind)


def drawer(kind: str) -> Callable[[Figure, Any, Style], None]:
    """Return the function that draws charts of `kind`."""
    return kind_module(kind).draw  # type: ignore[no-any-return]


def cache_key(spec: ChartSpec, theme: Theme, lang: str) -> str:
    """Return the content hash that names a chart's files in the cache."""
    faces = (theme.latin.regular, theme.latin.bold, theme.cjk.regular, theme.cjk.bold,
             *theme.fallbacks)
    fonts = tuple((p.name, p.stat().st_size) for p in faces)
    try:
        return _cache_key(spec, theme.colors, fonts, lang)
    except TypeError:  # a spec with an unhashable field: computed every time
        return _cache_key.__wrapped__(spec, theme.colors, fonts, lang)


@lru_cache(maxsize=1024)
def _cache_key(spec: ChartSpec, colors: Any, fonts: tuple[tuple[str, int], ...],
               lang: str) -> str:
    payload = {
        "kind": spec.kind,
        "spec": asdict(spec),
        "colors": asdict(colors),
        "fonts": [list(f) for f in fonts],
        "lang": lang,
        "renderer": RENDERER_VERSION,
        "code": drawing_code(),
        "matplotlib": _matplotlib_version(),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def draw_figure(spec: ChartSpec, style: Style) -> Figure:
    """Return a new figure with `spec` drawn on it (call inside `matplotlib.rc_context`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(style.width_in, 3.5), layout="constrained")
    FigureCanvasAgg(fig)
    drawer(spec.kind)(fig, spec, style)
    return fig


@contextmanager
def _replacing(path: Path) -> Iterator[BinaryIO]:
    """Yield a file that becomes `path` once written: a temporary name, renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with naming_failures(path), open(tmp, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write(path: Path, fig: Figure, fmt: str, **kwargs: Any) -> None:
    with _replacing(path) as handle:
        fig.savefig(handle, format=fmt, **kwargs)


class _CachedFonts:
    """Stands in for `fontTools.subset` inside matplotlib's PDF backend while a chart is saved.

    matplotlib embeds each TrueType font as a subset made with fontTools, and loads the font
    file afresh for every subset. For the 2.4 MB CJK face that load (cmap, glyph names, glyf,
    hmtx) and the closure over its GSUB/GPOS tables took most of the time of a Chinese chart,
    and pruning the GPOS kerning of the small Latin face most of an English one. Here each font
    is parsed once per process, without the layout tables a PDF never uses (glyphs are already
    positioned in the content stream), and every subset starts from a copy of it. The subset
    has the same glyphs, widths and ToUnicode map, and is smaller.
    """

    def __init__(self, module: Any) -> None:
        self.module = module
        self._parsed: dict[tuple[Any, ...], bytes] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.module, name)

    def load_font(self, fontFile: Any, options: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N803
        """Return a fresh copy of the parsed font (fontTools' own load for unusual requests)."""
        path = Path(str(fontFile))
        try:
            size, mtime = path.stat().st_size, path.stat().st_mtime_ns
        except OSError:
            size, mtime = 0, 0
        if not size or args or kwargs or getattr(options, "font_number", 0) not in (0, -1):
            return self.module.load_font(fontFile, options, *args, **kwargs)
        key = (str(path.resolve()), size, mtime, options.recalc_bounds, options.recalc_timestamp)
        if key not in self._parsed:
            font = self.module.load_font(str(path), options)
            for tag in _LAYOUT_TABLES & set(font.keys()):
                del font[tag]
            for tag in font.keys():
                font[tag]  # decompile every table now, once, instead of in every copy
            font.getGlyphOrder()
            font.close()  # everything is read; a pickled font keeps no file
            self._parsed[key] = pickle.dumps(font, protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(self._parsed[key])  # noqa: S301 - bytes pickled above, in-process


_FONTS: _CachedFonts | None = None


@contextmanager
def _fast_font_subsetting() -> Iterator[None]:
    """While saving a PDF, let matplotlib subset big fonts from a copy parsed once.

    Falls back to matplotlib's stock behaviour when its internals differ from what this expects
    (the PDF is then only slower to write, never different in what it shows).
    """
    global _FONTS
    try:
        from matplotlib.backends import _backend_pdf_ps as pdf_ps
    except ImportError:
        yield
        return
    module = getattr(pdf_ps, "subset", None)
    if module is None or not hasattr(module, "load_font"):
        yield
        return
    if isinstance(module, _CachedFonts):  # re-entered: already in place
        yield
        return
    if _FONTS is None or _FONTS.module is not module:
        _FONTS = _CachedFonts(module)
    pdf_ps.subset = _FONTS
    try:
        yield
    finally:
        pdf_ps.subset = module


def _paths(cache_dir: Path, spec: ChartSpec, theme: Theme, lang: str) -> dict[str, Path]:
    stem = cache_dir / f"{spec.kind}-{cache_key(spec, theme, lang)}"
    paths = {fmt: stem.with_suffix(f".{fmt}") for fmt in (*FORMATS, "json")}
    paths["drawing"] = stem.with_name(f"{stem.name}.drawing.json")
    return paths


def _image(paths: dict[str, Path], size: dict[str, float]) -> ChartImage:
    svg = paths["svg"] if paths["svg"].is_file() else None
    return ChartImage(paths["pdf"], paths["png"], svg, float(size["width_pt"]),
                      float(size["height_pt"]), paths["drawing"])


def _check_formats(formats: Collection[str]) -> None:
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown chart formats: {sorted(unknown)}")


def cached(spec: ChartSpec, theme: Theme, lang: str, cache_dir: Path,
           formats: Collection[str] = FORMATS) -> bool:
    """Return True when `cache_dir` holds the chart's drawing and every one of `formats`."""
    paths = _paths(cache_dir, spec, theme, lang)
    return (paths["json"].is_file() and paths["drawing"].is_file()
            and all(paths[fmt].is_file() for fmt in formats))


def render_chart(spec: ChartSpec, theme: Theme, lang: str, cache_dir: Path,
                 formats: Collection[str] = FORMATS) -> ChartImage:
    """Return the rendered chart with its drawing and `formats`, drawing it unless cached.

    `formats` is any of "pdf", "png", "svg" (default: all three; empty: the drawing only). The
    image's `pdf_path` and `png_path` name where those files are (or would be) cached, so a
    file not asked for may be missing; `svg_path` is None when no SVG is cached.
    """
    _check_formats(formats)
    paths = _paths(cache_dir, spec, theme, lang)
    meta = paths["json"]
    if cached(spec, theme, lang, cache_dir, formats):
        return _image(paths, json.loads(meta.read_text(encoding="utf-8")))
    cache_dir.mkdir(parents=True, exist_ok=True)
    size = _save(spec, theme, lang, paths, tuple(f for f in FORMATS if f in formats))
    with _replacing(meta) as handle:  # written last: its presence marks a usable cache entry
        handle.write(json.dumps(size).encode("utf-8"))
    return _image(paths, size)


def _write_png(path: Path, fig: Figure) -> None:
    """Save `fig` as a PNG at `PNG_DPI`: RGB when every pixel is opaque (smaller and faster to
    compress than matplotlib's RGBA; the same pixels), RGBA otherwise."""
    import numpy as np
    from matplotlib import cbook
    from PIL import Image

    with cbook._setattr_cm(fig, dpi=PNG_DPI):
        fig.canvas.draw()
        image = Image.fromarray(np.asarray(fig.canvas.buffer_rgba()), "RGBA")  # type: ignore[attr-defined]
    if image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")
    with _replacing(path) as handle:
        # Run-length matching suits charts (long runs of one colour): a third faster to
        # compress than the default strategy, ~9 % larger, still lossless.
        image.save(handle, format="png", dpi=(PNG_DPI, PNG_DPI), compress_type=zlib.Z_RLE)


def _save(spec: ChartSpec, theme: Theme, lang: str, paths: dict[str, Path],
          formats: tuple[str, ...]) -> dict[str, float]:
    """Draw `spec`, record its drawing, save `formats`; return its size in points."""
    import matplotlib

    from builder.charts.style import chart_style
    from builder.charts.vector import record

    style = chart_style(theme, lang)
    with matplotlib.rc_context(style.rc()):
        fig = draw_figure(spec, style)
        drawing = json.dumps(record(fig), ensure_ascii=False, separators=(",", ":"))
        with _replacing(paths["drawing"]) as handle:
            handle.write(drawing.encode("utf-8"))
        if "pdf" in formats:
            # matplotlib sizes its PDF font subsets by `ps.fonttype`: with the default (3) every
            # character past U+00FF opens a second subset, so each CJK face was subset and
            # embedded twice. 42 keeps one subset per face (the Basic Multilingual Plane).
            with _fast_font_subsetting(), matplotlib.rc_context({"ps.fonttype": 42}):
                _write(paths["pdf"], fig, "pdf",
                       metadata={"CreationDate": None, "ModDate": None})
        if "png" in formats:
            _write_png(paths["png"], fig)
        if "svg" in formats:
            _write(paths["svg"], fig, "svg", metadata={"Date": None, "Creator": None})
    width_in, height_in = fig.get_size_inches()
    return {"width_pt": round(float(width_in) * 72, 3),
            "height_pt": round(float(height_in) * 72, 3)}
