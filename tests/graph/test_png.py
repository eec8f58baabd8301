"""PNG output: a valid file, as big as the layout at the chosen scale, with the drawing on it."""

from __future__ import annotations

import struct

import pytest

from phalanx.graph import diagram, layout, render
from phalanx.graph.png import DEFAULT_SCALE, png
from tests.graph.drawings import machine, realworld
from tests.graph.test_svg import roll_die

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which must come first."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_has_a_valid_header_and_the_layouts_size() -> None:
    pytest.importorskip("PIL", reason="PNG output needs Pillow (pip install 'phalanx[graph]')")
    placed = layout(diagram(roll_die()))
    data = png(placed)
    width, height = _size(data)
    assert width == round(placed.width * DEFAULT_SCALE)
    assert height == round(placed.height * DEFAULT_SCALE)
    assert 200 < width < 2000 and 300 < height < 3000


def test_png_draws_the_states_in_their_boxes() -> None:
    image_module = pytest.importorskip("PIL.Image", reason="PNG output needs Pillow")
    import io

    placed = layout(diagram(roll_die()))
    image = image_module.open(io.BytesIO(png(placed, scale=1.0))).convert("RGB")
    image.load()
    for node in placed.nodes():
        box = node.box
        inside = image.crop(
            (round(box.x) + 3, round(box.y) + 3, round(box.right) - 3, round(box.bottom) - 3)
        )
        colours = inside.getcolors(maxcolors=100_000)
        assert colours is not None and len(colours) > 2, f"{node.node.name} has no text drawn"
    corner = image.getpixel((1, 1))
    assert corner == (255, 255, 255)


@pytest.mark.parametrize("stem", realworld()[:40])
def test_realworld_machines_render_as_png(stem: str) -> None:
    pytest.importorskip("PIL", reason="PNG output needs Pillow (pip install 'phalanx[graph]')")
    data = render(machine(stem), "png")
    assert isinstance(data, bytes)
    width, height = _size(data)
    assert width > 0 and height > 0


def test_without_pillow_png_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "PIL", None)
    from phalanx import PhalanxError

    with pytest.raises(PhalanxError, match=r"phalanx\[graph\]"):
        render(roll_die(), "png")
