"""Generate the bundled static TrueType fonts from the OFL variable fonts published on PyPI.

Run once by a maintainer (the results are committed next to this script):

    pip download --no-deps -d /tmp/fonts justmytype-intl-cjk==0.1.0 justmytype-western-core==0.1.0
    (cd /tmp/fonts && npm pack @fontsource/noto-emoji@5.3.2 @fontsource/noto-sans-math@5.3.0 \
        @fontsource/noto-sans-symbols@5.3.0 @fontsource/noto-sans-mono@5.3.0)
    python assets/fonts/build_fonts.py /tmp/fonts

reportlab embeds TrueType (glyf) outlines only, so CFF-flavoured CJK fonts cannot be used. The
variable Noto Sans SC is instanced to static Regular and Bold with its whole repertoire (about
27,900 Han characters: all of 通用规范汉字表, GB 18030's Han, CJK Extension A, names such as
喆 珺 䶮); the PDF embeds only the glyphs a report uses. The Latin faces are instanced to
Regular, Bold, Italic and Bold Italic.

The fallback faces (symbols, arrows, math, monochrome emoji) are copied whole as TrueType:
Noto Sans Symbols 2 from the same wheel, and Noto Emoji, Noto Sans Math and Noto Sans Symbols
from the Fontsource npm packages (OFL; their WOFF files are zlib-compressed TrueType). Noto
Emoji comes as one file of single characters; its ZWJ sequences (families, flags) are left out.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from io import BytesIO
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

HERE = Path(__file__).resolve().parent

# Unicode blocks kept in the Latin faces (the CJK faces keep their whole repertoire).
LATIN_RANGES: list[tuple[int, int]] = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A
    (0x0192, 0x0192),
    (0x02C6, 0x02DD),  # modifier letters used in typography
    (0x0391, 0x03C9),  # Greek (for units and symbols)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20BF),  # Currency symbols
    (0x2100, 0x215F),  # Letterlike symbols, number forms
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators
    (0x2460, 0x24FF),  # Enclosed alphanumerics
    (0x2500, 0x25FF),  # Box drawing, geometric shapes
    (0xFB00, 0xFB06),  # ligatures
]
def expand(ranges: list[tuple[int, int]]) -> set[int]:
    """Return the code points of the inclusive ranges."""
    return {cp for lo, hi in ranges for cp in range(lo, hi + 1)}


def make_static(data: bytes, axes: dict[str, float], codepoints: set[int], family: str,
                style: str, out: Path) -> None:
    """Instance a variable font at `axes`, subset it to `codepoints` and save it as TrueType."""
    font = TTFont(BytesIO(data))
    static = instancer.instantiateVariableFont(font, axes, updateFontNames=False)
    options = subset.Options()
    options.layout_features = ["kern", "liga", "locl", "vert", "vrt2", "halt", "palt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    cmap = static.getBestCmap()
    subsetter.populate(unicodes=[cp for cp in codepoints if cp in cmap])
    subsetter.subset(static)
    name = static["name"]
    full = f"{family} {style}" if style != "Regular" else family
    ps = f"{family.replace(' ', '')}-{style.replace(' ', '')}"
    for rec in list(name.names):
        if rec.nameID in (1, 4, 6, 16, 17, 25):
            name.removeNames(nameID=rec.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName(style, 2, 3, 1, 0x409)
    name.setName(full, 4, 3, 1, 0x409)
    name.setName(ps, 6, 3, 1, 0x409)
    static.save(out)
    print(f"{out.name}: {out.stat().st_size / 1e6:.2f} MB, {len(static.getBestCmap())} characters")


def read_member(wheels: Path, suffix: str) -> bytes:
    """Return the bytes of the first wheel member whose name ends with `suffix`."""
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            for member in zf.namelist():
                if member.endswith(suffix):
                    return zf.read(member)
    raise SystemExit(f"error: no {suffix} in the wheels under {wheels}")


def make_fallback(data: bytes, family: str, out: Path) -> None:
    """Save a fallback face whole (every mapped character) as TrueType named `family`."""
    font = TTFont(BytesIO(data))
    font.flavor = None
    options = subset.Options()
    options.layout_features = ["kern", "mark", "mkmk"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=list(font.getBestCmap()))
    subsetter.subset(font)
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 2, 4, 6, 16, 17, 25):
            name.removeNames(nameID=rec.nameID)
    name.setName(family, 1, 3, 1, 0x409)
    name.setName("Regular", 2, 3, 1, 0x409)
    name.setName(family, 4, 3, 1, 0x409)
    name.setName(family.replace(" ", "") + "-Regular", 6, 3, 1, 0x409)
    font.save(out)
    print(f"{out.name}: {out.stat().st_size / 1e6:.2f} MB, {len(font.getBestCmap())} characters")


def make_mono(packages: Path, weight: int, style: str, out: Path) -> None:
    """Save Noto Sans Mono at `weight` as TrueType: Fontsource's latin and latin-ext subsets
    (WOFF files, zlib-compressed TrueType) merged into one face."""
    from fontTools.merge import Merger

    parts = []
    for subset_name in ("latin", "latin-ext"):
        font = TTFont(BytesIO(read_npm(packages, "noto-sans-mono",
                                       f"files/noto-sans-mono-{subset_name}-{weight}-normal.woff")))
        font.flavor = None
        part = out.with_suffix(f".{subset_name}.tmp.ttf")
        font.save(part)
        parts.append(part)
    try:
        merged = Merger().merge([str(p) for p in parts])
    finally:
        for part in parts:
            part.unlink()
    name = merged["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 2, 4, 6, 16, 17, 25):
            name.removeNames(nameID=rec.nameID)
    name.setName("Noto Sans Mono", 1, 3, 1, 0x409)
    name.setName(style, 2, 3, 1, 0x409)
    name.setName(f"Noto Sans Mono {style}".replace(" Regular", ""), 4, 3, 1, 0x409)
    name.setName(f"NotoSansMono-{style}", 6, 3, 1, 0x409)
    merged.save(out)
    print(f"{out.name}: {out.stat().st_size / 1e6:.2f} MB, {len(merged.getBestCmap())} characters")


def read_npm(packages: Path, package: str, member: str) -> bytes:
    """Return the bytes of `member` (a path inside the package) of an npm tarball."""
    for tarball in sorted(packages.glob(f"fontsource-{package}-*.tgz")):
        with tarfile.open(tarball) as tf:
            extracted = tf.extractfile(f"package/{member}")
            if extracted is not None:
                return extracted.read()
    raise SystemExit(f"error: no {member} in an npm package {package} under {packages}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    wheels = Path(argv[1])
    latin = expand(LATIN_RANGES)
    sc = read_member(wheels, "notosanssc/NotoSansSC[wght].ttf")
    cjk = set(TTFont(BytesIO(sc)).getBestCmap())  # the whole repertoire
    make_static(sc, {"wght": 400}, cjk, "Noto Sans SC", "Regular", HERE / "NotoSansSC-Regular.ttf")
    make_static(sc, {"wght": 700}, cjk, "Noto Sans SC", "Bold", HERE / "NotoSansSC-Bold.ttf")
    for family, stem in (("Noto Sans", "notosans/NotoSans"), ("Noto Serif", "notoserif/NotoSerif")):
        upright = read_member(wheels, f"{stem}[wdth,wght].ttf")
        italic = read_member(wheels, f"{stem}-Italic[wdth,wght].ttf")
        file_stem = family.replace(" ", "")
        for style, data, weight in (("Regular", upright, 400), ("Bold", upright, 700),
                                    ("Italic", italic, 400), ("Bold Italic", italic, 700)):
            out = HERE / f"{file_stem}-{style.replace(' ', '')}.ttf"
            make_static(data, {"wght": weight, "wdth": 100}, latin, family, style, out)
    for stem in ("notosanssc", "notosans", "notoserif", "notosanssymbols2"):
        (HERE / f"OFL-{stem}.txt").write_bytes(read_member(wheels, f"{stem}/OFL.txt"))
    make_fallback(read_member(wheels, "notosanssymbols2/NotoSansSymbols2-Regular.ttf"),
                  "Noto Sans Symbols 2", HERE / "NotoSansSymbols2-Regular.ttf")
    for family, package, subset_name in (("Noto Emoji", "noto-emoji", "emoji"),
                                         ("Noto Sans Math", "noto-sans-math", "latin"),
                                         ("Noto Sans Symbols", "noto-sans-symbols", "symbols")):
        stem = family.replace(" ", "")
        data = read_npm(wheels, package, f"files/{package}-{subset_name}-400-normal.woff")
        make_fallback(data, family, HERE / f"{stem}-Regular.ttf")
        (HERE / f"OFL-{stem.lower()}.txt").write_bytes(read_npm(wheels, package, "LICENSE"))
    for weight, style in ((400, "Regular"), (700, "Bold")):
        make_mono(wheels, weight, style, HERE / f"NotoSansMono-{style}.ttf")
    (HERE / "OFL-notosansmono.txt").write_bytes(read_npm(wheels, "noto-sans-mono", "LICENSE"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
