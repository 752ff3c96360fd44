/* The situation page's map layer of complaint hotspots: the significant kelurahan of the last
   7 days (data-hotspots: the public hotspot GeoJSON) outlined in purple over the alert areas,
   redrawn whenever the page's live update redraws the map ("pontive:highlight"). Loaded after
   Leaflet and before js/map.js: a Leaflet init hook meets the map map.js makes. */
(function () {
  "use strict";
  if (!window.L || !window.fetch) { return; }
  var STYLE = { color: "#6a1b9a", weight: 4, opacity: 0.95, fillColor: "#6a1b9a", fillOpacity: 0.12 };

  function tooltip(element, properties) {
    var ratio = String(properties.ratio).replace(".", element.dataset.lang === "en" ? "." : ",");
    return element.dataset.tHotspot + ": " + properties.name + " · " + properties.count + " · " + ratio + "×";
  }

  function attach(map) {
    var element = map.getContainer();
    var url = element.dataset.hotspots;
    if (!url) { return; }
    var group = L.layerGroup().addTo(map);

    function draw() {
      fetch(url, { headers: { Accept: "application/geo+json, application/json" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : { features: [] }; })
        .then(function (collection) {
          group.clearLayers();
          var hot = collection.features.filter(function (f) { return f.properties.significant; });
          L.geoJSON({ type: "FeatureCollection", features: hot }, {
            style: function () { return STYLE; },
            pointToLayer: function (f, latlng) { return L.circleMarker(latlng, L.extend({ radius: 12 }, STYLE)); },
            onEachFeature: function (f, layer) {
              layer.bindTooltip(tooltip(element, f.properties), { sticky: true });
            }
          }).eachLayer(function (layer) { group.addLayer(layer); });
          element.dataset.hotspotsReady = String(hot.length);
        })
        .catch(function () { element.dataset.hotspotsReady = "error"; });
    }

    // Over the kelurahan layer map.js adds once its GeoJSON has loaded.
    map.on("layeradd", function (event) {
      if (event.layer instanceof L.GeoJSON && !group.hasLayer(event.layer)) {
        group.eachLayer(function (layer) { layer.bringToFront(); });
      }
    });
    element.addEventListener("pontive:highlight", draw);
    draw();
  }

  L.Map.addInitHook(function () {
    var map = this;
    if (map.getContainer().dataset.hotspots) { attach(map); }
  });
})();
