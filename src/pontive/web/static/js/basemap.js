/* The base of the city's small maps (stations, cameras, reports, cared-for facilities,
   infrastructure and Wi-Fi): Leaflet centred on Pontianak, the city's own tiles only when it
   has a tile server (data-tiles; otherwise nothing is fetched from outside), and the kelurahan
   outlines from data-geojson drawn faintly under the page's own markers. Pages load it after
   Leaflet and before their own map script, which calls PontiveBaseMap(element[, look]) and gets
   {map, outlines}: outlines is a promise of the outline layer. look may change the zoom
   (12), the outlines' fill opacity (0.08) and the radius of kelurahan drawn as points (2). */
(function () {
  "use strict";
  var PONTIANAK = [-0.0263, 109.3425];

  window.PontiveBaseMap = function (element, look) {
    var outline = Object.assign({ zoom: 12, fillOpacity: 0.08, pointRadius: 2 }, look || {});
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles })
      .setView(PONTIANAK, outline.zoom);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    var outlines = fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (collection) {
        return L.geoJSON(collection, {
          interactive: false,
          style: function () {
            return { color: "#1577a0", weight: 1, fillColor: "#4fb3d9", fillOpacity: outline.fillOpacity };
          },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: outline.pointRadius, color: "#1577a0", weight: 1, interactive: false });
          }
        }).addTo(map);
      });
    return { map: map, outlines: outlines };
  };
}());
