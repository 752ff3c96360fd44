/* Station charts: the read-out under the pointer or the arrow keys (time in WIB, value, the
   bucket's min-max), and switching 24 h / 7 days / 30 days without reloading the page. The
   charts themselves are SVG drawn by the server; without this script they still show, and the
   range links load the page again. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var ZONE = "Asia/Pontianak";

  function locale(lang) { return lang === "en" ? "en-GB" : "id-ID"; }

  function number(value, digits, lang) {
    return value.toLocaleString(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function when(seconds, lang) {
    return new Date(seconds * 1000).toLocaleString(locale(lang), {
      timeZone: ZONE, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
    }) + " WIB";
  }

  function nearest(points, t) {
    var low = 0, high = points.length - 1;
    while (high - low > 1) {
      var middle = (low + high) >> 1;
      if (points[middle][0] < t) { low = middle; } else { high = middle; }
    }
    return Math.abs(points[low][0] - t) <= Math.abs(points[high][0] - t) ? low : high;
  }

  function setup(figure, panel) {
    var frame = figure.querySelector(".chart-frame");
    var points = JSON.parse(figure.dataset.points || "[]");
    if (!frame || !points.length) { return; }
    var tip = frame.querySelector(".chart-tip");
    var lang = figure.dataset.lang, digits = +figure.dataset.digits, unit = figure.dataset.unit;
    var index = points.length - 1;

    function visible() {  // the narrow or the wide drawing, whichever the screen shows
      var all = frame.querySelectorAll("svg");
      for (var i = 0; i < all.length; i++) { if (all[i].getBoundingClientRect().width > 0) { return all[i]; } }
      return all[0];
    }

    function geometry(svg) {
      return { x0: +svg.dataset.x0, x1: +svg.dataset.x1, t0: +svg.dataset.t0, t1: +svg.dataset.t1, width: svg.viewBox.baseVal.width };
    }

    function show(i) {
      var svg = visible(), g = geometry(svg), guide = svg.querySelector(".guide");
      index = Math.max(0, Math.min(points.length - 1, i));
      var p = points[index], x = g.x0 + (p[0] - g.t0) / (g.t1 - g.t0) * (g.x1 - g.x0);
      guide.setAttribute("x1", x);
      guide.setAttribute("x2", x);
      guide.setAttribute("visibility", "visible");
      var text = when(p[0], lang) + " · " + number(p[1], digits, lang) + (unit ? " " + unit : "");
      if (!figure.dataset.total && p[2] !== null && p[3] !== null && p[2] !== p[3]) {
        text += " (" + panel.dataset.textMin + " " + number(p[2], digits, lang) + ", " + panel.dataset.textMax + " " + number(p[3], digits, lang) + ")";
      }
      tip.textContent = text;
      tip.hidden = false;
      var left = x / g.width * frame.clientWidth - tip.offsetWidth / 2;
      tip.style.left = Math.max(0, Math.min(frame.clientWidth - tip.offsetWidth, left)) + "px";
    }

    function hide() {
      frame.querySelectorAll(".guide").forEach(function (guide) { guide.setAttribute("visibility", "hidden"); });
      tip.hidden = true;
    }

    frame.querySelectorAll("svg").forEach(function (svg) {
      svg.addEventListener("pointermove", function (event) {
        var g = geometry(svg), point = svg.createSVGPoint();
        point.x = event.clientX;
        point.y = event.clientY;
        var local = point.matrixTransform(svg.getScreenCTM().inverse());
        show(nearest(points, g.t0 + (local.x - g.x0) / (g.x1 - g.x0) * (g.t1 - g.t0)));
      });
      svg.addEventListener("pointerleave", hide);
    });
    frame.addEventListener("focus", function () { show(index); });
    frame.addEventListener("blur", hide);
    frame.addEventListener("keydown", function (event) {
      var moves = { ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10 };
      if (event.key in moves) { show(index + moves[event.key]); }
      else if (event.key === "Home") { show(0); }
      else if (event.key === "End") { show(points.length - 1); }
      else if (event.key === "Escape") { hide(); return; }
      else { return; }
      event.preventDefault();
    });
  }

  function init(panel) {
    panel.querySelectorAll(".sensor-figure").forEach(function (figure) { setup(figure, panel); });
    panel.querySelectorAll(".span-switch a[data-fragment]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        panel.setAttribute("aria-busy", "true");
        fetch(link.dataset.fragment, { headers: { Accept: "text/html" } })
          .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.text(); })
          .then(function (html) {
            var holder = document.createElement("div");
            holder.innerHTML = html;
            var fresh = holder.querySelector(".chart-panel");
            panel.replaceWith(fresh);
            init(fresh);
            history.replaceState(null, "", link.getAttribute("href"));
            var current = fresh.querySelector(".span-switch [aria-current]");
            if (current) { current.focus(); }
          })
          .catch(function () { window.location.href = link.href; });
      });
    });
  }

  document.querySelectorAll(".chart-panel").forEach(init);
})();
