/* Sensor console forms: units offered for the chosen quantity, the new-sensor and
   new-property fields shown only when asked for, and a map to pick a device's place (the
   latitude and longitude fields stay the source of truth and work without this script). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function limitUnits(form) {
    var quantity = form.querySelector("select[name=ds_quantity]");
    var unit = form.querySelector("select[name=ds_unit]");
    if (!quantity || !unit) { return; }
    var map = JSON.parse(quantity.dataset.unitMap || "{}");
    function apply() {
      var allowed = map[quantity.value] || [];
      Array.prototype.forEach.call(unit.options, function (option) {
        var ok = allowed.indexOf(option.value) !== -1;
        option.hidden = !ok;
        option.disabled = !ok;
      });
      if (allowed.indexOf(unit.value) === -1 && allowed.length) { unit.value = allowed[0]; }
    }
    quantity.addEventListener("change", apply);
    apply();
  }

  function toggles(form) {
    form.querySelectorAll("select[data-toggles]").forEach(function (select) {
      var target = form.querySelector("#" + select.dataset.toggles);
      if (!target) { return; }
      function apply() { target.hidden = select.value !== "baru"; }
      select.addEventListener("change", apply);
      apply();
    });
  }

  function pickMap(element) {
    if (typeof L === "undefined") { return; }
    var form = element.closest("form");
    var lat = form.querySelector("input[name=lat]"), lon = form.querySelector("input[name=lon]");
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles })
      .setView([-0.0263, 109.3425], 12);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function () { return { color: "#1577a0", weight: 1, fillColor: "#4fb3d9", fillOpacity: 0.1 }; },
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 2, color: "#1577a0", weight: 1 }); },
          onEachFeature: function (f, lyr) { lyr.bindTooltip(f.properties.nama, { sticky: true }); }
        }).addTo(map);
        if (!lat.value && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
    var marker = null;
    function place(latlng, pan) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map); }
      if (pan) { map.setView(latlng, Math.max(map.getZoom(), 14)); }
    }
    function fromFields() {
      var y = parseFloat(lat.value.replace(",", ".")), x = parseFloat(lon.value.replace(",", "."));
      if (isFinite(x) && isFinite(y)) { place([y, x], true); }
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(5);
      lon.value = event.latlng.lng.toFixed(5);
      place(event.latlng, false);
      element.dataset.picked = "true";
    });
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    fromFields();
  }

  document.querySelectorAll("form.sc-form").forEach(function (form) {
    limitUnits(form);
    toggles(form);
  });
  document.querySelectorAll(".pick-map").forEach(pickMap);
})();
