"""Text sizes, estimated without a font file, so the layout is the same for every format.

Widths are Helvetica/Arial advance widths (per 1000 units of the em) scaled up
to cover DejaVu Sans, the widest common fallback of the SVG's font stack: a
box sized from these holds its text in any of the fonts the SVG names. The
PNG renderer measures with its real font and shrinks a text that would not
fit (png.py).
"""

from __future__ import annotations

FONT_FAMILY = "Helvetica, Arial, 'DejaVu Sans', sans-serif"
NAME_SIZE = 13.0
"""A state's name, drawn bold."""
TEXT_SIZE = 11.0
"""Type lines, badges, edge labels and lane titles."""
LINE_HEIGHT = 1.4
"""Line height as a multiple of the font size."""

_WIDER_FONTS = 1.15
_BOLD = 1.18
_DEFAULT = 556
_WIDE = 1000
_ADVANCES: dict[str, int] = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191,
    "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278,
    ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722,
    "I": 278, "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667,
    "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667,
    "Y": 667, "Z": 611, "[": 278, "\\": 278, "]": 278, "^": 469, "_": 556, "`": 333,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556,
    "i": 260, "j": 260, "k": 500, "l": 260, "m": 833, "n": 556, "o": 556, "p": 556,
    "q": 556, "r": 333, "s": 500, "t": 278, "u": 556, "v": 500, "w": 722, "x": 500,
    "y": 500, "z": 500, "{": 334, "|": 260, "}": 334, "~": 584, "×": 584, "·": 278,
    "…": 1000,
}  # fmt: skip


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width `text` takes at font `size` (px), on the generous side."""
    units = 0
    for char in text:
        found = _ADVANCES.get(char)
        if found is None:
            found = _DEFAULT if char.isascii() or ord(char) < 0x2E80 else _WIDE
        units += found
    return units / 1000 * size * _WIDER_FONTS * (_BOLD if bold else 1.0)


def line_height(size: float) -> float:
    """The height of one line of text at font `size`."""
    return size * LINE_HEIGHT
