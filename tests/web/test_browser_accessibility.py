"""Accessibility checks a browser can make: text contrast (WCAG 2.2 AA) on every page."""

from __future__ import annotations

import pytest

from tests.web.conftest import Web

pytestmark = pytest.mark.browser

# For every element with its own visible text: its colour against the first opaque background
# behind it (for gradients, the worst of their colour stops). Third-party widgets (Leaflet
# controls, Swagger UI) are not ours to restyle and are skipped.
_LOW_CONTRAST = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (fg, bg) => {
    const a = fg.length > 3 ? fg[3] : 1;
    return [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a));
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const backgrounds = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      const stops = (style.backgroundImage.match(/rgba?\\([^)]*\\)/g) || []).map(parse);
      if (stops.length) { return stops; }
      const colour = parse(style.backgroundColor);
      if (colour.length === 3 || colour[3] === 1) { return [colour]; }
    }
    return [[255, 255, 255]];
  };
  const SKIP = ".leaflet-container, .swagger-ui, .visually-hidden, .skip-link, script, style";
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(SKIP)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || Number(style.opacity) === 0) continue;
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    for (const bg of backgrounds(el)) {
      const fg = blend(parse(style.color), bg);
      const r = ratio(fg, bg);
      if (r < needed) {
        const text = el.textContent.trim().slice(0, 40);
        const name = `${el.tagName.toLowerCase()}.${el.className}`;
        failures.push(`${name} "${text}" ${r.toFixed(2)} < ${needed}`);
        break;
      }
    }
  }
  return failures;
}
"""

PUBLIC = ["/", "/wilayah", "/masuk", "/api/docs", "/?lang=en", "/peringatan", "/peringatan?lang=en"]
CONSOLE = ["/console/", "/console/audit?verify=true", "/console/pengguna", "/console/referensi"]


def _assert_readable(web: Web, path: str) -> None:
    failures = web.page.evaluate(_LOW_CONTRAST)
    assert failures == [], f"{path}: text below WCAG AA contrast:\n" + "\n".join(failures)


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_text_meets_contrast_minimum(web: Web, path: str) -> None:
    web.goto(path)
    _assert_readable(web, path)


def test_error_page_text_meets_contrast_minimum(web: Web) -> None:
    web.goto("/tidak-ada", status=404)
    _assert_readable(web, "/tidak-ada")


def test_console_text_meets_contrast_minimum(web: Web) -> None:
    web.login("admin")
    for path in CONSOLE:
        web.goto(path)
        _assert_readable(web, path)


def test_wrong_password_alert_meets_contrast_minimum(web: Web) -> None:
    web.expect_error_status("/masuk")
    web.login("walikota", "salah-sekali")
    _assert_readable(web, "/masuk (error)")
