"""Themes: `templates/themes/<name>/theme.yaml` read into one typed `Theme` that every engine uses.

A theme fixes the page, colours, fonts and type scale. Engines and chart renderers take their
look from here only, so a second theme restyles every output at once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import BuildError
from builder.resources import bundled

THEMES_DIR = bundled("templates") / "themes"
I18N_DIR = bundled("templates") / "i18n"
FONTS_DIR = bundled("assets") / "fonts"
ASSETS_DIR = bundled("assets")

PAGE_SIZES_PT: dict[str, tuple[float, float]] = {
    "A4": (595.2756, 841.8898),
    "Letter": (612.0, 792.0),
}


@dataclass(frozen=True)
class FontFace:
    """The four styles of one family as TrueType files; `italic` may repeat `regular` for CJK."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Colors:
    """The palette; every value is `#RRGGBB`. `series` colours data series in charts in order."""

    primary: str
    accent: str
    text: str
    muted: str
    rule: str
    callout_background: str
    table_header_text: str
    zebra: str
    link: str
    series: tuple[str, ...]


@dataclass(frozen=True)
class TypeScale:
    """Font sizes in points; `leading` is the line height as a multiple of the body size."""

    body_pt: float
    leading: float
    title_pt: float
    subtitle_pt: float
    h1_pt: float
    h2_pt: float
    h3_pt: float
    caption_pt: float
    small_pt: float
    kpi_pt: float


@dataclass(frozen=True)
class Page:
    """Page size and margins."""

    size: str
    width_pt: float
    height_pt: float
    margin_top_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    margin_right_mm: float

    @property
    def text_width_pt(self) -> float:
        """Return the width between the left and right margins."""
        return self.width_pt - (self.margin_left_mm + self.margin_right_mm) * 72 / 25.4


@dataclass(frozen=True)
class Layout:
    """Page-flow and typesetting rules: how far a figure may shrink to stay on the page of the
    text before it (`figure_min_scale`, a share of its natural size) before it floats to the
    next page; whether punctuation is set by the rules (`punctuation`: full-width brackets and
    curly quotes by Han characters, en-dash ranges, curly quotes in English); whether justified
    English text is hyphenated (`hyphenation`); the space between Han and Latin letters or
    digits in Chinese text (`han_latin_space`, in em) and whether two full-width punctuation
    marks in a row are compressed (`compress_punctuation`), as W3C clreq describes."""

    figure_min_scale: float = 0.75
    punctuation: bool = True
    hyphenation: bool = True
    han_latin_space: float = 0.25
    compress_punctuation: bool = True


@dataclass(frozen=True)
class Theme:
    """A complete look: page, colours, fonts, type scale and an optional logo."""

    name: str
    path: Path
    page: Page
    colors: Colors
    latin: FontFace
    cjk: FontFace
    type: TypeScale
    logo: Path | None
    #: Faces tried, in order, for a character neither `latin` nor `cjk` has (symbols, arrows,
    #: math, emoji): the theme's own `fonts.fallback` list, then the bundled chain.
    fallbacks: tuple[Path, ...] = ()
    layout: Layout = Layout()
    #: The monospaced face of code (`fonts.mono`, else the bundled Noto Sans Mono); Han and
    #: what it lacks come from `cjk` and the fallbacks.
    mono: FontFace | None = None


#: The bundled fallback faces, after any a theme lists: monochrome emoji, symbols and
#: dingbats, arrows and mathematics, older symbols (all Noto, OFL; see assets/fonts/README.md).
BUNDLED_FALLBACKS = ("NotoEmoji-Regular.ttf", "NotoSansSymbols2-Regular.ttf",
                     "NotoSansMath-Regular.ttf", "NotoSansSymbols-Regular.ttf")

#: Extra font folders, separated like PATH (`:` or `;` on Windows), searched after the theme's
#: own folder and `--font-path`, before the bundled fonts.
FONT_PATH_VAR = "REPORT_BUILDER_FONT_PATH"


def font_dirs(theme_dir: Path, font_paths: Sequence[Path] = ()) -> list[Path]:
    """Return the folders a theme's font files are looked up in, first match wins."""
    from_env = [Path(p) for p in os.environ.get(FONT_PATH_VAR, "").split(os.pathsep) if p]
    return [theme_dir, *font_paths, *from_env, FONTS_DIR]


def _font_file(name: str, what: str, where: Path, dirs: Sequence[Path]) -> Path:
    """Return the first file called `name` in `dirs` (never one outside its folder)."""
    _plain_name(name, where, what)
    for folder in dirs:
        path = folder / name
        if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
            return path
    raise BuildError.at(where, 1, f"font file not found: {name}",
                        hint="looked in " + ", ".join(str(d) for d in dirs))


def _fallbacks(raw: Any, where: Path, dirs: Sequence[Path]) -> tuple[Path, ...]:
    """Return the theme's `fonts.fallback` files followed by the bundled fallback chain."""
    if raw is None:
        raw = []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        raise BuildError.at(where, 1, "fonts.fallback must be a list of font file names")
    own = [_font_file(name, "fonts.fallback", where, dirs) for name in raw]
    chain = [*own, *(FONTS_DIR / name for name in BUNDLED_FALLBACKS)]
    return tuple(dict.fromkeys(chain))


#: The monospaced face a theme gets when it names none (bundled, OFL).
DEFAULT_MONO = {"regular": "NotoSansMono-Regular.ttf", "bold": "NotoSansMono-Bold.ttf"}


def _face(raw: dict[str, Any], family: str, where: Path, dirs: Sequence[Path]) -> FontFace:
    """Return a FontFace from a `fonts.<family>` mapping; missing italics fall back to upright."""
    def file(key: str, fallback: str | None = None) -> Path:
        name = raw.get(key) or (raw.get(fallback) if fallback else None)
        if not name:
            raise BuildError.at(where, 1, f"fonts.{family}.{key} is missing")
        return _font_file(str(name), f"fonts.{family}.{key}", where, dirs)

    regular = file("regular")
    bold = file("bold", "regular")
    return FontFace(
        family=family,
        regular=regular,
        bold=bold,
        italic=file("italic", "regular"),
        bold_italic=file("bold_italic", "bold"),
    )


def available_themes() -> list[str]:
    """Return the names of the themes shipped in `templates/themes`."""
    return sorted(p.parent.name for p in THEMES_DIR.glob("*/theme.yaml"))


def theme_file(name: str, base: Path | None = None) -> Path | None:
    """Return the theme.yaml of `name`: a bundled theme, or a folder (relative to `base`)
    holding theme.yaml; None when there is neither."""
    bundled_theme = THEMES_DIR / name / "theme.yaml"
    if "/" not in name and "\\" not in name and bundled_theme.is_file():
        return bundled_theme
    folder = Path(name)
    if base is not None and not folder.is_absolute():
        folder = base / folder
    candidate = folder if folder.name == "theme.yaml" else folder / "theme.yaml"
    return candidate if candidate.is_file() else None


def load_theme(name: str = "default", base: Path | None = None,
               font_paths: Sequence[Path] = ()) -> Theme:
    """Return the theme `name` (a bundled name or a theme folder, relative to `base`); raise
    BuildError when it is missing or malformed. Its fonts and logo are looked up in the theme
    folder first, then `font_paths`, REPORT_BUILDER_FONT_PATH and the bundled assets."""
    path = theme_file(name, base)
    if path is None:
        raise BuildError.at(THEMES_DIR / name, 0, f"unknown theme {name!r}",
                            hint="a theme folder holding theme.yaml, or one of: "
                                 + ", ".join(available_themes()))
    dirs = font_dirs(path.parent, font_paths)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        page = raw["page"]
        size = str(page.get("size", "A4"))
        if size not in PAGE_SIZES_PT:
            raise BuildError.at(path, 1, f"page.size must be A4 or Letter, not {size!r}")
        width, height = PAGE_SIZES_PT[size]
        colors = dict(raw["colors"])
        colors["series"] = tuple(colors["series"])
        logo = raw.get("logo")
        return Theme(
            name=str(raw.get("name", name)),
            path=path,
            page=Page(size=size, width_pt=width, height_pt=height,
                      **{k: float(v) for k, v in page.items() if k != "size"}),
            colors=Colors(**colors),
            latin=_face(raw["fonts"]["latin"], "latin", path, dirs),
            cjk=_face(raw["fonts"]["cjk"], "cjk", path, dirs),
            type=TypeScale(**{k: float(v) for k, v in raw["type"].items()}),
            logo=_logo(str(logo), path.parent) if logo else None,
            fallbacks=_fallbacks(raw["fonts"].get("fallback"), path, dirs),
            layout=_layout(raw.get("layout"), path),
            mono=_face(raw["fonts"].get("mono") or DEFAULT_MONO, "mono", path, dirs),
        )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise BuildError.at(path, 1, f"malformed theme: {exc}") from None


def _layout(raw: Any, where: Path) -> Layout:
    """Return the `layout:` settings (all optional)."""
    if raw is None:
        return Layout()
    if not isinstance(raw, dict):
        raise BuildError.at(where, 1, "layout must be a mapping")
    known = ("figure_min_scale", "punctuation", "hyphenation", "han_latin_space",
             "compress_punctuation")
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise BuildError.at(where, 1, f"unknown layout setting {unknown[0]!r}",
                            hint="known: " + ", ".join(known))
    scale = float(raw.get("figure_min_scale", Layout.figure_min_scale))
    if not 0.3 <= scale <= 1.0:
        raise BuildError.at(where, 1, f"layout.figure_min_scale must be between 0.3 and 1, "
                                      f"not {scale}")
    switches: dict[str, Any] = {}
    for key in ("punctuation", "hyphenation", "compress_punctuation"):
        switches[key] = raw.get(key, getattr(Layout, key))
        if not isinstance(switches[key], bool):
            raise BuildError.at(where, 1, f"layout.{key} must be true or false")
    space = float(raw.get("han_latin_space", Layout.han_latin_space))
    if not 0.0 <= space <= 0.5:
        raise BuildError.at(where, 1, f"layout.han_latin_space must be between 0 and 0.5 (em), "
                                      f"not {space}")
    return Layout(figure_min_scale=scale, han_latin_space=space, **switches)


def _plain_name(name: str, where: Path, what: str) -> None:
    """Refuse a file name that could leave its folder (a theme may come with the content)."""
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts:
        raise BuildError.at(where, 1, f"{what} must name a file inside the theme or font "
                                      f"folders, not {name!r}")


def _logo(name: str, theme_dir: Path) -> Path:
    """Return the logo file: in the theme folder, else in the bundled assets."""
    _plain_name(name, theme_dir / "theme.yaml", "logo")
    own = theme_dir / name
    if own.is_file() and own.resolve().is_relative_to(theme_dir.resolve()):
        return own
    return ASSETS_DIR / name


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _legible(colour: str, background: str, ratio: float = 4.5) -> str:
    """Return `colour`, darkened in steps until it reads at `ratio`:1 on `background` (WCAG)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    for _ in range(40):
        shade = f"#{r:02X}{g:02X}{b:02X}"
        high, low = sorted((_luminance(shade), _luminance(background)), reverse=True)
        if (high + 0.05) / (low + 0.05) >= ratio:
            return shade
        r, g, b = (int(v * 0.92) for v in (r, g, b))
    return "#000000"


def code_colors(theme: Theme) -> dict[str, str]:
    """Return the colour of each class of highlighted code, from the theme's palette, each at
    least 4.5:1 against the code background (`colors.zebra`); `background` is that colour."""
    c = theme.colors
    series = c.series + (c.accent,) * 4
    background = c.zebra
    wanted = {"text": c.text, "operator": c.text, "keyword": c.primary, "function": c.link,
              "name": c.accent, "string": series[2], "number": series[3], "comment": c.muted}
    colours = {kind: _legible(colour, background) for kind, colour in wanted.items()}
    colours["background"] = background
    return colours
