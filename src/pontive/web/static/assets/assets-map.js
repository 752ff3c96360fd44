/* The ICT infrastructure map (/console/aset/peta): sites as squares coloured by kind, assets
   as dots and fibre routes as lines coloured by status, each layer switchable (Leaflet's
   layer control). Kelurahan outlines as the base; tiles only when the city has its own tile
   server. The data is /api/v1/assets/map.geojson (staff only); texts come from the page's
   data-* attributes and are set as text, never as markup. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  if (typeof L === "undefined") { return; }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  // Names are data: always set as text, never as markup (Leaflet puts strings in innerHTML).
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function line(parent, tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  function square(colour) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 18 18");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    var rect = document.createElementNS(SVG, "rect");
    [["x", "1.5"], ["y", "1.5"], ["width", "15"], ["height", "15"], ["rx", "3"],
      ["fill", colour], ["stroke", "#ffffff"], ["stroke-width", "2"]].forEach(function (a) { rect.setAttribute(a[0], a[1]); });
    svg.appendChild(rect);
    return svg;
  }

  function popup(p, el) {
    var body = document.createElement("div");
    line(body, "strong", p.name);
    line(body, "div", p.code + " · " + p.kind_label, "small");
    if (p.status_label) { line(body, "div", p.status_label, "small"); }
    if (p.layer === "site") {
      if (p.address) { line(body, "div", p.address, "small"); }
      line(body, "div", p.assets + " " + el.dataset.atSite, "small");
    }
    if (p.reachable === true) { line(body, "div", el.dataset.reachable, "small"); }
    if (p.reachable === false) { line(body, "div", el.dataset.unreachable, "small"); }
    var link = line(body, "a", el.dataset.open + " →");
    link.href = p.url;
    return body;
  }

  function draw(el) {
    var made = window.PontiveBaseMap(el, { zoom: 13, fillOpacity: 0.06 });
    var map = made.map;
    var outlines = made.outlines.catch(function () { return null; });
    var layers = { site: L.featureGroup(), asset: L.featureGroup(), route: L.featureGroup() };
    getJson(el.dataset.features).then(function (data) {
      var counts = { site: 0, asset: 0, route: 0 };
      data.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates, layer;
        var title = p.name + " (" + (p.status_label || p.kind_label) + ")";
        if (f.geometry.type === "LineString") {
          layer = L.polyline(c.map(function (xy) { return [xy[1], xy[0]]; }),
            { color: p.colour, weight: 5, opacity: 0.9, dashArray: p.status === "direncanakan" ? "8 6" : null });
          layer.bindTooltip(text(title), { sticky: true });
        } else if (p.layer === "site") {
          layer = L.marker([c[1], c[0]], {
            title: title, alt: title, keyboard: true, riseOnHover: true,
            icon: L.divIcon({ className: "ast-site-pin", html: square(p.colour), iconSize: [18, 18], popupAnchor: [0, -8] })
          });
        } else {
          layer = L.circleMarker([c[1], c[0]], { radius: 7, color: "#ffffff", weight: 2, fillColor: p.colour, fillOpacity: 1 });
          layer.bindTooltip(text(title));
        }
        layer.bindPopup(popup(p, el));
        layers[p.layer].addLayer(layer);
        counts[p.layer] += 1;
      });
      layers.route.addTo(map); layers.asset.addTo(map); layers.site.addTo(map);
      var overlays = {};
      overlays[el.dataset.layerSites + " (" + counts.site + ")"] = layers.site;
      overlays[el.dataset.layerAssets + " (" + counts.asset + ")"] = layers.asset;
      overlays[el.dataset.layerRoutes + " (" + counts.route + ")"] = layers.route;
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
      var all = L.featureGroup([layers.site, layers.asset, layers.route]);
      var bounds = all.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 }); }
      el.dataset.sites = String(counts.site);
      el.dataset.assets = String(counts.asset);
      el.dataset.routes = String(counts.route);
      return outlines;
    }).then(function () { el.dataset.ready = "true"; })
      .catch(function () { el.dataset.ready = "error"; });
  }

  document.querySelectorAll(".ast-map").forEach(draw);
})();
