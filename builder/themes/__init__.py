"""Themes: `templates/themes/<name>/theme.yaml` read into one typed `Theme` that every engine uses.

A theme fixes the page, colours, fonts and type scale. Engines and chart renderers take their
look from here only, so a second theme restyles every output at once.
"""

from __future__ import annotations

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


def _face(raw: dict[str, Any], family: str, where: Path) -> FontFace:
    """Return a FontFace from a `fonts.<family>` mapping; missing italics fall back to upright."""
    def file(key: str, fallback: str | None = None) -> Path:
        name = raw.get(key) or (raw.get(fallback) if fallback else None)
        if not name:
            raise BuildError.at(where, 1, f"fonts.{family}.{key} is missing")
        path = FONTS_DIR / str(name)
        if not path.is_file():
            raise BuildError.at(where, 1, f"font file not found: {path.name}",
                                hint="fonts live in assets/fonts")
        return path

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


def load_theme(name: str = "default") -> Theme:
    """Return the theme called `name`; raise BuildError when it is missing or malformed."""
    path = THEMES_DIR / name / "theme.yaml"
    if not path.is_file():
        raise BuildError.at(path, 0, f"unknown theme {name!r}",
                            hint="available: " + ", ".join(available_themes()))
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
            latin=_face(raw["fonts"]["latin"], "latin", path),
            cjk=_face(raw["fonts"]["cjk"], "cjk", path),
            type=TypeScale(**{k: float(v) for k, v in raw["type"].items()}),
            logo=(ASSETS_DIR / str(logo)) if logo else None,
        )
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise BuildError.at(path, 1, f"malformed theme: {exc}") from None
