/* City maps: kelurahan boundaries (or centroids before boundaries are loaded) on Leaflet.
   No base tiles unless the city configures its own tile server (PONTIVE_MAP_TILE_URL):
   nothing is fetched from the internet. A map with data-highlight="kode,kode" (alert
   areas) shows those kelurahan in red and the rest in grey, data-official="kode,…" (official
   alerts from BMKG and others) in dashed amber; a "pontive:highlight" event whose detail is
   {alerts: [codes], official: [codes]} redraws it (the situation page's live updates). */
(function () {
  "use strict";
  var PONTIANAK = [-0.0263, 109.3425];
  var COLOURS = {
    "61.71.01": "#1d4e89", "61.71.02": "#c2185b", "61.71.03": "#ef6c00",
    "61.71.04": "#2e7d32", "61.71.05": "#6a1b9a", "61.71.06": "#00838f"
  };
  var TEXT = {
    id: { kecamatan: "Kecamatan", legend: "Kecamatan", noBoundaries: "Batas kelurahan belum dimuat; titik menandai pusat kelurahan.", failed: "Peta tidak dapat dimuat." },
    en: { kecamatan: "Kecamatan", legend: "Districts", noBoundaries: "Kelurahan boundaries not loaded yet; dots mark each kelurahan's centre.", failed: "The map could not be loaded." }
  };

  function colourOf(feature) {
    return COLOURS[feature.properties.kecamatan_kode] || "#1577a0";
  }

  function highlightStyle(codes, official) {
    return function (f) {
      if (codes.indexOf(f.properties.kode) >= 0) {
        return { color: "#7b1010", weight: 2, fillColor: "#b3261e", fillOpacity: 0.6 };
      }
      if (official.indexOf(f.properties.kode) >= 0) {
        return { color: "#8a4b00", weight: 2, dashArray: "5 4", fillColor: "#f2b705", fillOpacity: 0.45 };
      }
      return { color: "#ffffff", weight: 1.2, fillColor: "#8a99a5", fillOpacity: 0.35 };
    };
  }

  // Stations (data-points: a JSON of {items: [...]}, e.g. /sensor/peta.json) as dots in
  // their status colour, each naming its reading and linking to its page.
  function drawPoints(map, url, group) {
    return fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        group.clearLayers();
        data.items.forEach(function (item) {
          var dot = L.circleMarker([item.lat, item.lon], {
            radius: 7, color: "#ffffff", weight: 2, fillColor: item.colour, fillOpacity: 1
          });
          var body = document.createElement("div");
          var link = document.createElement("a");
          link.href = item.url;
          link.textContent = item.name;
          body.appendChild(link);
          body.appendChild(document.createElement("br"));
          body.appendChild(document.createTextNode(item.status_label + " · " + item.headline));
          dot.bindPopup(body);
          dot.bindTooltip(item.name + ": " + item.status_label);
          group.addLayer(dot);
        });
        return data.items.length;
      });
  }

  function codesOf(value) {
    return (value || "").split(",").filter(Boolean);
  }

  function legend(map, features, text) {
    var seen = {};
    features.forEach(function (f) { seen[f.properties.kecamatan_kode] = f.properties.kecamatan; });
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      var title = L.DomUtil.create("p", "map-legend-title", div);
      title.textContent = text.legend;
      Object.keys(seen).sort().forEach(function (kode) {
        var row = L.DomUtil.create("div", "", div);
        var swatch = L.DomUtil.create("span", "swatch swatch-" + kode.replace(/\./g, "-"), row);
        swatch.setAttribute("aria-hidden", "true");
        row.appendChild(document.createTextNode(seen[kode]));
      });
      return div;
    };
    control.addTo(map);
    return control.getContainer();
  }

  // Keep the city clear of the legend when the map is wide enough to sit beside it.
  function fitCity(map, layer, legendBox) {
    var right = 12;
    if (legendBox && map.getSize().x >= 480) { right += legendBox.offsetWidth + 10; }
    map.fitBounds(layer.getBounds(), { paddingTopLeft: [48, 12], paddingBottomRight: [right, 12] });
  }

  function note(map, message) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.textContent = message;
      return div;
    };
    control.addTo(map);
  }

  function draw(element) {
    var text = TEXT[element.dataset.lang] || TEXT.id;
    var highlighting = element.dataset.highlight !== undefined;
    var codes = codesOf(element.dataset.highlight);
    var official = codesOf(element.dataset.official);
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles })
      .setView(PONTIANAK, 12);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        var hasPolygons = collection.features.some(function (f) { return f.geometry.type !== "Point"; });
        var layer = L.geoJSON(collection, {
          style: highlighting ? highlightStyle(codes, official) : function (f) {
            return { color: "#ffffff", weight: 1.5, fillColor: colourOf(f), fillOpacity: 0.65 };
          },
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: colourOf(f), fillOpacity: 0.9 });
          },
          onEachFeature: function (f, lyr) {
            var body = document.createElement("div");
            var strong = document.createElement("strong");
            strong.textContent = f.properties.nama;
            body.appendChild(strong);
            body.appendChild(document.createElement("br"));
            body.appendChild(document.createTextNode(text.kecamatan + " " + f.properties.kecamatan));
            body.appendChild(document.createElement("br"));
            var code = document.createElement("code");
            code.textContent = f.properties.kode;
            body.appendChild(code);
            lyr.bindPopup(body);
            lyr.bindTooltip(f.properties.nama, { sticky: true });
          }
        }).addTo(map);
        var legendBox = highlighting ? null : legend(map, collection.features, text);
        if (collection.features.length) { fitCity(map, layer, legendBox); }
        var points = element.dataset.points ? L.layerGroup().addTo(map) : null;
        if (points) {
          drawPoints(map, element.dataset.points, points).then(function (count) {
            element.dataset.pointsReady = String(count);
          });
        }
        if (highlighting) {
          element.addEventListener("pontive:highlight", function (event) {
            if (points) { drawPoints(map, element.dataset.points, points); }
            var detail = event.detail || {};
            codes = detail.alerts || [];
            official = detail.official || [];
            element.dataset.highlight = codes.join(",");
            element.dataset.official = official.join(",");
            layer.setStyle(highlightStyle(codes, official));
          });
        }
        if (!hasPolygons) { note(map, text.noBoundaries); }
        element.dataset.ready = "true";
        element.dataset.features = String(collection.features.length);
      })
      .catch(function () {
        note(map, text.failed);
        element.dataset.ready = "error";
      });
  }

  document.querySelectorAll(".city-map").forEach(draw);
})();
