"""A real headless browser for the console tests: Debian's chromium driven by Playwright.

Playwright's own browser download cannot be reached here, so it drives the
system's `chromium` (`apt-get install chromium`), with `--no-sandbox` as the
machines run as root. Without either, the tests skip with a message saying
what to install; on CI (`CI` set) they fail instead, so a broken set-up is
never mistaken for a pass.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("PHALANX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
IMAGES_VARIABLE = "PHALANX_CONSOLE_IMAGES"
"""Where screenshots go: `make console-images` sets it to docs/images."""
VIEWPORT = {"width": 1280, "height": 860}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the console tests must run)")
    pytest.skip(reason)


def browser_page() -> Iterator[Any]:
    """A fresh page in headless chromium; skips (fails on CI) when there is none."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed: pip install playwright (the dev extra has it)")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"no chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=VIEWPORT)
            yield page
        finally:
            browser.close()


def images_folder(tmp_path: Path) -> Path:
    """docs/images when asked for (`make console-images`), else the test's own folder."""
    chosen = os.environ.get(IMAGES_VARIABLE)
    return Path(chosen) if chosen else tmp_path


# Every element with text of its own, outside the SVG graph (tests/graph measure its
# colours): its text colour against the first opaque background behind it.
CONTRASTS = """
() => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length < 4 || colour[3] === 1) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("svg")) continue;
    const own = [...element.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== "");
    const box = element.getBoundingClientRect();
    if (!own || box.width === 0 || box.left < 0) continue;
    const fore = luminance(rgb(getComputedStyle(element).color));
    const back = luminance(background(element));
    const ratio = (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
    found.push({text: element.textContent.trim().slice(0, 40), tag: element.tagName, ratio});
  }
  return found;
}
"""

# Form controls a person types into or picks, and whether something names them.
UNLABELLED = """
() => [...document.querySelectorAll("input, textarea, select")]
  .filter((e) => e.type !== "hidden")
  .filter((e) => e.labels.length === 0 && !e.getAttribute("aria-label"))
  .map((e) => e.outerHTML)
"""

LANDMARKS = """
() => ["header", "nav", "main"].filter((tag) => document.querySelector(tag) === null)
"""


def accessibility_problems(page: Any) -> list[str]:
    """What this page gets wrong: unlabelled fields, missing landmarks, text under 4.5:1."""
    problems = [f"no label: {html}" for html in page.evaluate(UNLABELLED)]
    problems += [f"no <{tag}> landmark" for tag in page.evaluate(LANDMARKS)]
    problems += [
        f"contrast {item['ratio']:.2f}:1 < 4.5:1 for <{item['tag']}> {item['text']!r}"
        for item in page.evaluate(CONTRASTS)
        if item["ratio"] < 4.5
    ]
    return problems
