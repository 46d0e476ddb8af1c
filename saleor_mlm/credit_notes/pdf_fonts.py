"""The fonts of the credit notes' PDFs, parsed once per process, embedded per document quickly.

PDF/A needs every font embedded; fpdf2 embeds a TrueType font as a subset of the glyphs a
document uses, made with fontTools' subsetter for every document. Both the parsing and the
subsetting were most of the time a PDF took (docs/benchmarks.md, credit notes), so:

- each process parses each font once (`FPDF.add_font` on a throwaway document) and every
  document gets a copy of that parsed font with its own glyph subset map;
- a document is a `DocumentPDF`, whose output embeds each font as a `pdf_subset.FontProgram`
  subset: the glyphs the document uses at their glyph ids, put together from outlines read
  once per process (no fontTools subsetting per document). The PDF objects are the ones
  fpdf2 writes for a TrueType font (Type0 font, CIDFontType2 with widths and a
  CIDToGIDMap, ToUnicode, font descriptor with FontFile2), so text extraction and PDF/A
  are as before.

Two sets of DejaVu Sans, both subsets of the released fonts (`fonts/LICENSE` says how they
were made): `latin` (Latin scripts, punctuation, currency signs) for nearly every document,
and `extended` (with Greek and Cyrillic) for a document whose texts need more; a larger
font makes every document larger, so it is taken only where needed.

This leans on fpdf2's font objects (`TTFFont`, `SubsetMap`) and on the way its
`OutputProducer` writes a TrueType font (`_add_fonts`, `_tt_font_widths`,
`_build_cmap_blocks`), hence the pinned minor version of fpdf2 in pyproject.toml; the PDF
tests read the text and the embedded fonts back.
"""

from __future__ import annotations

import copy
import logging
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.output import CIDSystemInfo, OutputProducer, PDFFont, PDFFontStream, _build_cmap_blocks, _tt_font_widths
from fpdf.syntax import Name, PDFArray, PDFContentStream

from .pdf_subset import FontProgram

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
LATIN = "latin"
EXTENDED = "extended"
SUBSET_TAG = "MPDFAA"  # the subset prefix of the font's name, as fpdf2 writes it
logger = logging.getLogger(__name__)


@cache
def _parsed(variant: str) -> tuple[tuple[str, TTFFont, FontProgram], ...]:
    # (fontkey, fpdf2's parsed font, the font program) per style, once per process
    pdf = FPDF()
    programs = {}
    for style, name in STYLES.items():
        path = FONTS / variant / name
        pdf.add_font(FAMILY, style, str(path))
        programs[f"{FAMILY.lower()}{style}"] = FontProgram(path.read_bytes())
    return tuple((key, font, programs[key]) for key, font in pdf.fonts.items())


@cache
def _characters(variant: str) -> frozenset[str]:
    (_, font, _), *_ = _parsed(variant)
    return frozenset(chr(code) for code in font.cmap)


def variant_for(texts) -> str:
    """`latin` if it has a glyph for every character of the texts, else `extended`."""
    latin = _characters(LATIN)
    return LATIN if all(set(text) <= latin for text in texts) else EXTENDED


class DocumentPDF(FPDF):
    """An FPDF document whose fonts (from `add_fonts`) are embedded by `_FontOutput`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.font_programs: dict[str, FontProgram] = {}

    def output(self, *args, **kwargs):
        kwargs.setdefault("output_producer_class", _FontOutput)
        return super().output(*args, **kwargs)


def add_fonts(pdf: DocumentPDF, variant: str) -> None:
    """Gives `pdf` the family `FAMILY` (regular and bold) of the font variant."""
    for key, parsed, program in _parsed(variant):
        font = copy.copy(parsed)
        # what fpdf2 changes while it lays out and writes a document: fresh for each (the
        # parsed TTFont is shared: neither the layout nor `_FontOutput` reads or closes it)
        font.i = len(pdf.fonts) + 1
        font.glyph_ids = dict(parsed.glyph_ids)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font.desc = copy.copy(parsed.desc)
        font.subset = SubsetMap(font)
        pdf.fonts[key] = font
        pdf.font_programs[key] = program


class _FontOutput(OutputProducer):
    """fpdf2's output, with the fonts of `add_fonts` embedded from their `FontProgram`."""

    def _add_fonts(self, image_objects_per_index, gfxstate_objs_per_name, pattern_objs_per_name):
        fonts = sorted(self.fpdf.fonts.values(), key=lambda font: font.i)
        programs = getattr(self.fpdf, "font_programs", {})
        compliance = self.fpdf._compliance
        if not all(font.fontkey in programs for font in fonts) or (compliance and compliance.profile == "PDFA" and compliance.part == 1):
            # other fonts, or PDF/A-1 (which wants a CIDSet): fpdf2's own way
            return super()._add_fonts(image_objects_per_index, gfxstate_objs_per_name, pattern_objs_per_name)
        objects = {}
        for font in fonts:
            objects[font.i] = self._add_font(font, programs[font.fontkey])
            font.subset.pick.cache_clear()
            font.subset.get_glyph.cache_clear()
        return objects

    def _add_font(self, font: TTFFont, program: FontProgram) -> PDFFont:
        # the objects and their order as fpdf2 2.8's `_add_fonts` writes a TrueType font
        fontname = f"{SUBSET_TAG}+{font.name}"
        if font.missing_glyphs:
            logger.warning("Font %s is missing the glyphs of %s", fontname, ", ".join(repr(chr(code)) for code in font.missing_glyphs[:10]))
        code_to_glyph = {code: glyph.glyph_id for glyph, code in font.subset.items() if glyph is not None}

        composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(subtype="CIDFontType2", base_font=fontname, d_w=font.desc.missing_width, w=_tt_font_widths(font))
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])

        # which characters each code stands for: text extraction and search
        bf_char = [
            f"<{code:04X}> <{''.join(_utf16(unicode) for unicode in glyph.unicode)}>\n"
            for glyph, code in font.subset.items()
            if glyph is not None and isinstance(glyph.unicode, tuple) and glyph.unicode
        ]
        to_unicode = PDFContentStream(
            (
                "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
                "<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
                "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
                f"{_build_cmap_blocks(bf_char, 'bfchar')}"
                "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
            ).encode("latin-1")
        )
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode

        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info

        descriptor = font.desc
        descriptor.font_name = Name(fontname)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor

        # code -> glyph id of the font program (which keeps the font's glyph ids); codes
        # past the last one map to glyph 0, so the map ends there
        cid_to_gid = bytearray(2 * (max(code_to_glyph, default=0) + 1))
        for code, gid in code_to_glyph.items():
            cid_to_gid[2 * code] = gid >> 8
            cid_to_gid[2 * code + 1] = gid & 0xFF
        cid_to_gid_map = PDFContentStream(contents=bytes(cid_to_gid), compress=True)
        self._add_pdf_obj(cid_to_gid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_to_gid_map

        font_file = PDFFontStream(contents=program.subset(code_to_glyph.values()))
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file
        return composite


def _utf16(unicode: int) -> str:
    if unicode > 0xFFFF:  # a surrogate pair
        return f"{0xD800 | (unicode - 0x10000) >> 10:04X}{0xDC00 | (unicode & 0x3FF):04X}"
    return f"{unicode:04X}"
