/* CCTV maps: every public camera as a dot in its health colour with a wedge showing where it
   looks (/cctv, markers from data-points), or one camera's place (/cctv/<code>). Kelurahan
   outlines as the base; no tiles unless the city has its own tile server. Texts come from
   the page (data-* attributes) and the JSON, never from markup built out of data. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  if (typeof L === "undefined") { return; }
  var SVG = "http://www.w3.org/2000/svg";

  var base = window.PontiveBaseMap;

  function cameraGlyph() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var body = document.createElementNS(SVG, "path");
    body.setAttribute("d", "M3 8a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2zM17 11l4-2.5v7L17 13z");
    body.setAttribute("fill", "currentColor");
    svg.appendChild(body);
    return svg;
  }

  // The pin: a wedge (conic gradient, turned to the view direction) under a coloured dot.
  function pin(latlng, colour, direction, title) {
    var wrap = document.createElement("span");
    wrap.className = "cctv-pin";
    if (direction !== null && direction !== undefined && direction !== "") {
      var cone = document.createElement("span");
      cone.className = "cctv-cone";
      cone.style.background = "conic-gradient(from -30deg, " + colour + " 0deg 60deg, transparent 60deg 360deg)";
      cone.style.transform = "rotate(" + Number(direction) + "deg)";
      wrap.appendChild(cone);
    }
    var dot = document.createElement("span");
    dot.className = "cctv-dot";
    dot.style.background = colour;
    dot.appendChild(cameraGlyph());
    wrap.appendChild(dot);
    var icon = L.divIcon({ className: "", html: wrap, iconSize: [44, 44], iconAnchor: [22, 22], popupAnchor: [0, -12] });
    return L.marker(latlng, { icon: icon, title: title, alt: title, riseOnHover: true, keyboard: true });
  }

  function line(parent, tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  function popup(item, openText) {
    var body = document.createElement("div");
    line(body, "strong", item.name);
    line(body, "div", item.purpose_label + (item.place ? " · " + item.place : ""), "popup-place");
    var badges = line(body, "div", "", "popup-badges");
    var badge = line(badges, "span", "", "cctv-badge h-" + item.health);
    line(badge, "span", "", "dot");
    line(badge, "span", item.health_label);
    line(body, "div", item.checked, "small");
    var link = line(body, "a", openText + " →");
    link.href = item.url;
    return body;
  }

  function drawMany(element) {
    var made = base(element);
    var openText = element.dataset.open || "";
    Promise.all([made.outlines, fetch(element.dataset.points, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })])
      .then(function (results) {
        var outlines = results[0], data = results[1];
        var group = L.featureGroup(data.items.map(function (item) {
          var title = item.name + ": " + item.health_label;
          return pin([item.lat, item.lon], item.colour, item.direction, title).bindPopup(popup(item, openText));
        })).addTo(made.map);
        var bounds = data.items.length ? group.getBounds() : outlines.getBounds();
        if (bounds.isValid()) { made.map.fitBounds(bounds, { padding: [36, 36], maxZoom: 15 }); }
        element.dataset.markers = String(data.items.length);
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
  }

  function drawOne(element) {
    var made = base(element);
    var latlng = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    pin(latlng, element.dataset.colour, element.dataset.direction, element.dataset.name).addTo(made.map);
    made.map.setView(latlng, 15);
    made.outlines.then(function () { element.dataset.ready = "true"; })
      .catch(function () { element.dataset.ready = "error"; });
  }

  document.querySelectorAll(".cctv-map").forEach(drawMany);
  document.querySelectorAll(".cctv-spot").forEach(drawOne);
})();
