"""The fonts of the credit notes' PDFs, parsed once per process.

PDF/A needs every font embedded; fpdf2 embeds a TrueType font as a subset of the glyphs a
document uses. Parsing the font file for every document was most of the time a PDF took
(docs/benchmarks.md, credit notes), so each process parses each font once
(`FPDF.add_font` on a throwaway document) and every document gets a copy of that parsed
font with its own glyph subset and its own lazily loaded `TTFont`, which fpdf2's subsetting
changes in place (a cheap load: the tables are read only when the subsetter asks).

Two sets of DejaVu Sans, both subsets of the released fonts (`fonts/LICENSE` says how they
were made): `latin` (Latin scripts, punctuation, currency signs) for nearly every document,
and `extended` (with Greek and Cyrillic) for a document whose texts need more; a larger
font makes every document slower, so it is taken only where needed.

This leans on fpdf2's font objects (`TTFFont`, `SubsetMap`), hence the pinned minor version
of fpdf2 in pyproject.toml; the PDF tests read the text and the embedded fonts back.
"""

from __future__ import annotations

import copy
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
LATIN = "latin"
EXTENDED = "extended"


@cache
def _parsed(variant: str) -> tuple[tuple[str, object, bytes], ...]:
    # (fontkey, fpdf2's parsed font, the file's bytes) per style, once per process
    pdf = FPDF()
    files = {}
    for style, name in STYLES.items():
        path = FONTS / variant / name
        pdf.add_font(FAMILY, style, str(path))
        files[f"{FAMILY.lower()}{style}"] = path.read_bytes()
    return tuple((key, font, files[key]) for key, font in pdf.fonts.items())


@cache
def _characters(variant: str) -> frozenset[str]:
    (_, font, _), *_ = _parsed(variant)
    return frozenset(chr(code) for code in font.cmap)


def variant_for(texts) -> str:
    """`latin` if it has a glyph for every character of the texts, else `extended`."""
    latin = _characters(LATIN)
    return LATIN if all(set(text) <= latin for text in texts) else EXTENDED


def add_fonts(pdf: FPDF, variant: str) -> None:
    """Gives `pdf` the family `FAMILY` (regular and bold) of the font variant."""
    for key, parsed, data in _parsed(variant):
        font = copy.copy(parsed)
        # what fpdf2 changes while it lays out and writes a document: fresh for each
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
        font.glyph_ids = dict(parsed.glyph_ids)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.desc = copy.copy(parsed.desc)
        font.subset = SubsetMap(font)
        pdf.fonts[key] = font
