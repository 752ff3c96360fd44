/* Small helpers shared by the wall's scripts (wall-map.js, wall-ticker.js, wall.js): text
   templates, colours made readable on the dark wall, DOM elements. No inline styles: colours
   are set through the CSSOM, which the Content Security Policy allows. */
(function () {
  "use strict";
  var DARK_INK = "#08131c";

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, name) {
      var value = values[name];
      return value === undefined || value === null ? "" : String(value);
    });
  }
  function rgb(hex) {
    var h = String(hex || "#5b6b7a").replace("#", "");
    if (h.length === 3) { h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2]; }
    var n = parseInt(h, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  // Colours chosen for light pages, lifted a little to stand out on the dark wall.
  function lift(hex, share) {
    var c = rgb(hex), k = share === undefined ? 0.22 : share;
    return "rgb(" + c.map(function (v) { return Math.round(v + (255 - v) * k); }).join(",") + ")";
  }
  function luminance(c) {
    var lum = c.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
  }
  // A background in the data's colour with readable text (WCAG AA, 4.5:1): dark ink when it
  // reads better, else white on the colour darkened just enough.
  function paint(el, hex) {
    var c = rgb(hex), dark = luminance(rgb(DARK_INK));
    for (var step = 0; step < 8; step += 1) {
      var l = luminance(c), white = 1.05 / (l + 0.05), ink = (l + 0.05) / (dark + 0.05);
      if (ink >= 4.5 && ink >= white) {
        el.style.backgroundColor = "rgb(" + c.join(",") + ")";
        el.style.color = DARK_INK;
        return;
      }
      if (white >= 4.5) { break; }
      c = c.map(function (v) { return Math.round(v * 0.88); });
    }
    el.style.backgroundColor = "rgb(" + c.join(",") + ")";
    el.style.color = "#ffffff";
  }
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }
  function mark(name) {
    if (window.performance && window.performance.mark) { window.performance.mark(name); }
  }

  window.PontiveWall = window.PontiveWall || {};
  window.PontiveWall.kit = { fill: fill, rgb: rgb, lift: lift, paint: paint, element: element, mark: mark };
})();
