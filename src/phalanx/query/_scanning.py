"""A cursor over a text: what the hand-written parsers of `query` share.

Each parser (`_jsonpath_syntax`, `_intrinsic_syntax`) words its own errors;
moving through the text is the same for both.
"""

from __future__ import annotations

from collections.abc import Container, Iterator

DIGITS = "0123456789"
SPACES = " \t\r\n"


class Scanner:
    """`text` and a position `pos` in it."""

    def __init__(self, text: str, pos: int = 0) -> None:
        self.text = text
        self.pos = pos

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, offset: int = 0) -> str:
        """The character `offset` past the position; "" past the end."""
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def skip(self, chars: Container[str]) -> int:
        """Move past the characters in `chars`; returns how many there were."""
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1
        return self.pos - start

    def skip_integer(self) -> int:
        """Move past an optional `-` and digits; returns how many digits there were."""
        if self.peek() == "-":
            self.pos += 1
        return self.skip(DIGITS)

    def outside_quotes(self) -> Iterator[tuple[str, int]]:
        """Walk on from the position: each character outside quotes, with the depth of
        `(`/`[` nesting before it.

        Text in `'` or `"` quotes (with backslash escapes) is passed over. The
        caller ends the walk by leaving the loop: `pos` is then at the last
        character yielded.
        """
        depth = 0
        quote = ""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if quote:
                if char == "\\":
                    self.pos += 1
                elif char == quote:
                    quote = ""
            elif char in ("'", '"'):
                quote = char
            else:
                yield char, depth
                if char in "([":
                    depth += 1
                elif char in ")]":
                    depth -= 1
            self.pos += 1

    def skip_spaces(self) -> None:
        self.skip(SPACES)
