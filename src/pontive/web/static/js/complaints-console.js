/* Complaints console: the report's location on a small map, and the status form showing
   only the fields the chosen state needs. Everything works without this script. */
(function () {
  "use strict";

  function drawMap(element) {
    if (typeof L === "undefined") { return; }
    var lat = parseFloat(element.dataset.lat), lon = parseFloat(element.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    var map = L.map(element, { scrollWheelZoom: false, attributionControl: !!element.dataset.tiles })
      .setView([lat, lon], 15);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (collection) {
        if (!collection) { return; }
        L.geoJSON(collection, {
          style: function () { return { color: "#0b4f6c", weight: 1, fillColor: "#e3f1f8", fillOpacity: 0.6 }; },
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 3, color: "#0b4f6c" }); }
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the marker alone still answers "where" */ });
    L.circleMarker([lat, lon], { radius: 10, color: "#ffffff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
  }

  function statusForm(form) {
    var needsReason = (form.dataset.needsReason || "").split(" ");
    var message = form.querySelector("textarea[name=message]");
    function update() {
      var chosen = form.querySelector("input[name=to]:checked");
      var value = chosen ? chosen.value : "";
      form.querySelectorAll("[data-for]").forEach(function (field) {
        field.hidden = field.dataset.for !== value;
      });
      if (message) { message.required = needsReason.indexOf(value) !== -1; }
    }
    form.addEventListener("change", update);
    update();
  }

  var map = document.getElementById("cc-map");
  if (map) { drawMap(map); }
  var form = document.getElementById("status-form");
  if (form) { statusForm(form); }
})();
