/* The map of a datastore table with longitude and latitude: kelurahan outlines as the base
   (no tiles unless the city has its own tile server), one dot per row of the filtered table
   (up to the endpoint's limit), each naming its row. Texts come from data-* attributes. */
(function () {
  "use strict";
  var element = document.getElementById("od-map");
  if (!element || typeof L === "undefined") { return; }
  var PONTIANAK = [-0.0263, 109.3425];
  var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles })
    .setView(PONTIANAK, 12);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  }

  function note(message) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.textContent = message;
      return div;
    };
    control.addTo(map);
  }

  function json(url) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  var outlines = json(element.dataset.geojson).then(function (collection) {
    return L.geoJSON(collection, {
      interactive: false,
      style: function () { return { color: "#1577a0", weight: 1, fillColor: "#4fb3d9", fillOpacity: 0.08 }; },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 2, color: "#1577a0", weight: 1, interactive: false }); }
    }).addTo(map);
  }).catch(function () { return null; });

  Promise.all([outlines, json(element.dataset.points)]).then(function (results) {
    var data = results[1];
    var group = L.featureGroup();
    data.items.forEach(function (item) {
      var dot = L.circleMarker([item.lat, item.lon], { radius: 7, color: "#ffffff", weight: 2, fillColor: "#0b4f6c", fillOpacity: 0.9, className: "od-point" });
      if (item.label) {
        var body = document.createElement("div");
        body.textContent = item.label;
        dot.bindPopup(body);
        dot.bindTooltip(item.label);
      }
      group.addLayer(dot);
    });
    group.addTo(map);
    if (data.items.length) {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 15 });
    } else {
      note(element.dataset.textNone);
    }
    element.dataset.ready = "true";
    element.dataset.markers = String(data.items.length);
  }).catch(function () {
    note(element.dataset.textFailed);
    element.dataset.ready = "error";
  });
})();
