/* A registry form's place: a small map under the longitude/latitude inputs. Clicking the map
   (or dragging the pin) fills the inputs; typing in them moves the pin. Kelurahan outlines
   are the base; tiles only when the city has its own tile server. Without JavaScript the
   inputs alone work. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var PONTIANAK = [-0.0263, 109.3425];

  function setUp(fieldset) {
    var lon = fieldset.querySelector("input[name=lon]");
    var lat = fieldset.querySelector("input[name=lat]");
    if (!lon || !lat) { return; }
    var holder = document.createElement("div");
    holder.className = "reg-point-map";
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", fieldset.dataset.label || "");
    fieldset.appendChild(holder);
    var map = L.map(holder, { scrollWheelZoom: false, attributionControl: !!fieldset.dataset.tiles })
      .setView(PONTIANAK, 12);
    if (fieldset.dataset.tiles) {
      L.tileLayer(fieldset.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    fetch(fieldset.dataset.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (collection) {
        if (!collection) { return; }
        L.geoJSON(collection, {
          interactive: false,
          style: function () { return { color: "#1577a0", weight: 1, fillColor: "#4fb3d9", fillOpacity: 0.08 }; },
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 2, color: "#1577a0", weight: 1, interactive: false }); }
        }).addTo(map);
      })
      .catch(function () { /* the inputs still work */ });
    var marker = null;

    function place(latlng, pan) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      }
      if (pan) { map.setView(latlng, Math.max(map.getZoom(), 15)); }
    }
    function write(latlng) {
      lon.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
    }
    function read() {
      var x = parseFloat(String(lon.value).replace(",", "."));
      var y = parseFloat(String(lat.value).replace(",", "."));
      if (isFinite(x) && isFinite(y) && Math.abs(y) <= 90 && Math.abs(x) <= 180) { place([y, x], true); }
    }
    map.on("click", function (event) { place(event.latlng, false); write(event.latlng); });
    lon.addEventListener("change", read);
    lat.addEventListener("change", read);
    read();
  }

  document.querySelectorAll("[data-point-picker]").forEach(setUp);
}());
