"""TrueType font programs for one document: the glyphs it uses, at their glyph ids.

PDF/A wants every glyph a document shows embedded; fpdf2 makes that subset with fontTools'
subsetter for every document, which decompiles, prunes and recompiles the whole font each
time: about half of the CPU a credit note took (docs/benchmarks.md, credit notes). A
document's font program here is put together from parts prepared once per process:

- every glyph's outline as the font file has it (with the glyphs a composite glyph is
  made of), taken where the document uses the glyph and left empty where not, so each
  glyph keeps its glyph id ("retained glyph ids", as fontTools' `retain_gids` does): the
  PDF's CIDToGIDMap points at the original ids and the font's other tables (metrics,
  character map, names) stay valid as they are;
- those other tables, copied once: `OS/2`, `cmap`, `gasp`, `hhea`, `hmtx`, `maxp`, `name`;
  `head` with 32-bit glyph offsets and `post` without glyph names (format 3, as fpdf2's
  subsets have it); the tables fpdf2 drops (layout, `MATH`) are not there.

Checksums follow the OpenType specification (each table's, and the head's
checkSumAdjustment for the whole file), so a font tool reads the program as any other.
"""

from __future__ import annotations

import struct
from io import BytesIO

import numpy as np
from fontTools import ttLib
from fontTools.ttLib.ttFont import getSearchRange

COPIED = ("OS/2", "cmap", "gasp", "hhea", "hmtx", "maxp", "name")
HEAD_ADJUSTMENT = 8  # offset of checkSumAdjustment in the head table
MAGIC = 0xB1B0AFBA


def checksum(data: bytes) -> int:
    """The OpenType checksum of a table: the sum of its big-endian 32-bit words, mod 2^32."""
    if len(data) % 4:
        data += b"\0" * (4 - len(data) % 4)
    return int(np.frombuffer(data, dtype=">u4").sum(dtype=np.uint64)) & 0xFFFFFFFF


class FontProgram:
    """A TrueType font (glyf outlines), ready to give each document its subset quickly."""

    def __init__(self, data: bytes):
        font = ttLib.TTFont(BytesIO(data), recalcTimestamp=False, recalcBBoxes=False)
        if "glyf" not in font:
            raise ValueError("not a TrueType font with glyf outlines")
        order = font.getGlyphOrder()
        raw = font.reader["glyf"]
        offsets = font["loca"].locations
        glyphs = []
        for gid in range(len(order)):
            outline = raw[offsets[gid] : offsets[gid + 1]]
            if len(outline) % 4:  # 32-bit offsets: each outline starts at a multiple of 4
                outline += b"\0" * (4 - len(outline) % 4)
            glyphs.append(outline)
        self.glyphs = glyphs
        self.lengths = np.array([len(outline) for outline in glyphs], dtype=np.uint32)

        table = font["glyf"]
        parts: dict[int, tuple[int, ...]] = {}
        for gid, name in enumerate(order):
            glyph = table[name]
            if glyph.isComposite():
                parts[gid] = tuple(font.getGlyphID(component.glyphName) for component in glyph.components)

        def closure(gid: int, seen: set[int]) -> set[int]:
            for part in parts.get(gid, ()):
                if part not in seen:
                    seen.add(part)
                    closure(part, seen)
            return seen

        self.parts = {gid: frozenset(closure(gid, set())) for gid in parts}

        head = font["head"]
        head.indexToLocFormat = 1
        head.checkSumAdjustment = 0
        post = font["post"]
        post.formatType = 3.0
        self.tables = {tag: font.reader[tag] for tag in COPIED if tag in font.reader}
        self.tables["head"] = head.compile(font)
        self.tables["post"] = post.compile(font)
        self.sums = {tag: checksum(data) for tag, data in self.tables.items()}

    def subset(self, gids) -> bytes:
        """The font file with the outlines of `gids` (and .notdef, and the parts of composite
        glyphs); every other glyph is empty."""
        used = {0}
        for gid in gids:
            used.add(gid)
            used.update(self.parts.get(gid, ()))
        mask = np.zeros(len(self.glyphs), dtype=np.uint32)
        mask[list(used)] = 1
        loca = np.zeros(len(self.glyphs) + 1, dtype=np.uint32)
        np.cumsum(self.lengths * mask, out=loca[1:])
        glyf = b"".join(self.glyphs[gid] for gid in sorted(used))
        tables = dict(self.tables)
        tables["glyf"] = glyf
        tables["loca"] = loca.astype(">u4").tobytes()
        sums = dict(self.sums)
        sums["glyf"] = checksum(glyf)
        sums["loca"] = checksum(tables["loca"])
        return _sfnt(tables, sums)


def _sfnt(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    tags = sorted(tables)
    search_range, entry_selector, range_shift = getSearchRange(len(tags), 16)
    header = struct.pack(">IHHHH", 0x00010000, len(tags), search_range, entry_selector, range_shift)
    offset = len(header) + 16 * len(tags)
    directory, body = [], []
    head_offset = 0
    for tag in tags:
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag.encode("latin-1"), sums[tag], offset, len(data)))
        if tag == "head":
            head_offset = offset
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    start = header + b"".join(directory)
    total = (checksum(start) + sum(sums.values())) & 0xFFFFFFFF
    font = bytearray(start + b"".join(body))
    struct.pack_into(">I", font, head_offset + HEAD_ADJUSTMENT, (MAGIC - total) & 0xFFFFFFFF)
    return bytes(font)
