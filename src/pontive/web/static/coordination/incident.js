/* Coordination console maps: the incident list's map (open incidents coloured by severity),
   the place picker of the incident form (a click fills latitude and longitude in; typing them
   moves the pin), and an incident's mini map (the incident, what is linked to it, what is
   suggested near it, the search radius). Kelurahan boundaries come from our own API; tiles
   only when PONTIVE_MAP_TILE_URL is set. Everything but the maps works without this script. */
(function () {
  "use strict";
  var PONTIANAK = [-0.0263, 109.3425];
  var SEVERITY = { rendah: "#2e7d32", sedang: "#b26a00", tinggi: "#c43e00", kritis: "#b3261e" };

  function baseMap(element, options) {
    var map = L.map(element, Object.assign({ scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles }, options || {}))
      .setView(PONTIANAK, 12);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    return map;
  }

  function kelurahan(map, url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function () { return { color: "#6b7f8c", weight: 1, fillColor: "#dbe6ec", fillOpacity: 0.45 }; },
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 2, color: "#6b7f8c", weight: 1 }); },
          onEachFeature: function (f, lyr) { lyr.bindTooltip(f.properties.nama, { sticky: true }); }
        }).addTo(map);
        layer.bringToBack();
        return layer;
      });
  }

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function ready(element, promise) {
    promise
      .then(function () { element.dataset.ready = "true"; })
      .catch(function () { element.dataset.ready = "error"; });
  }

  // --- the list: open incidents coloured by severity ---------------------------------------

  function incidentPin(item) {
    var icon = L.divIcon({ className: "co-pin co-pin-" + item.severity, iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -11] });
    var marker = L.marker([item.lat, item.lon], { icon: icon, title: item.code + " — " + item.title, keyboard: true });
    var body = document.createElement("div");
    var link = text("a", item.title);
    link.href = item.url;
    body.appendChild(link);
    body.appendChild(document.createElement("br"));
    body.appendChild(text("code", item.code));
    body.appendChild(document.createTextNode(" · " + item.label));
    marker.bindPopup(body);
    marker.on("add", function () {
      var element = marker.getElement();
      element.dataset.code = item.code;
      element.dataset.severity = item.severity;
      element.setAttribute("aria-label", item.code + " — " + item.title + " — " + item.label);
    });
    return marker;
  }

  function listMap(element) {
    var items = JSON.parse(element.dataset.incidents || "[]");
    var map = baseMap(element);
    var pins = L.featureGroup(items.map(incidentPin)).addTo(map);
    // Not animated: a zoom still running when the city's outline comes in would undo its fit.
    if (items.length) { map.fitBounds(pins.getBounds(), { padding: [40, 40], maxZoom: 14, animate: false }); }
    element.dataset.pins = String(items.length);
    // The whole city once its boundaries are in: where the open incidents are, at a glance.
    ready(element, kelurahan(map, element.dataset.geojson).then(function (layer) {
      var city = layer.getBounds();
      if (city.isValid()) {
        map.fitBounds(items.length ? city.extend(pins.getBounds()) : city, { padding: [8, 8], animate: false });
      }
    }));
  }

  // --- the form: a click on the map fills the coordinates in -------------------------------

  function pickMap(element) {
    var form = element.closest("form");
    var lat = form.querySelector("input[name=lat]"), lon = form.querySelector("input[name=lon]");
    var map = baseMap(element);
    var marker = null;
    function place(latlng, pan) {
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 9, color: "#fff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
      }
      if (pan) { map.setView(latlng, Math.max(map.getZoom(), 15)); }
    }
    function fromFields(event) {
      // While typing only the pin moves; a finished value (change) brings it into view.
      var y = parseFloat(lat.value.replace(",", ".")), x = parseFloat(lon.value.replace(",", "."));
      if (isFinite(x) && isFinite(y)) { place([y, x], !event || event.type === "change"); return true; }
      return false;
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng, false);
      element.dataset.picked = "true";
    });
    ["input", "change"].forEach(function (type) {
      lat.addEventListener(type, fromFields);
      lon.addEventListener(type, fromFields);
    });
    var placed = fromFields();
    // A map inside a closed <details> has no size until it opens.
    var details = element.closest("details");
    if (details) {
      details.addEventListener("toggle", function () {
        if (details.open) { map.invalidateSize(); if (!fromFields()) { map.setView(PONTIANAK, 12); } }
      });
    }
    ready(element, kelurahan(map, element.dataset.geojson).then(function (layer) {
      if (!placed && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [12, 12], animate: false }); }
    }));
  }

  // --- one incident: its place, what is linked, what is near -------------------------------

  function dot(item, style) {
    var marker = L.circleMarker([item.lat, item.lon], style);
    var body = document.createElement("div");
    body.appendChild(text("strong", item.label));
    body.appendChild(document.createElement("br"));
    body.appendChild(document.createTextNode(item.kind));
    marker.bindPopup(body);
    marker.bindTooltip(item.label);
    return marker;
  }

  function incidentMap(element) {
    var data = JSON.parse(element.dataset.map || "{}");
    var here = data.here;
    var map = baseMap(element);
    var group = L.featureGroup().addTo(map);
    if (data.radius) {
      L.circle([here.lat, here.lon], { radius: data.radius, color: "#995c00", weight: 1.5, dashArray: "5 5", fill: false, interactive: false }).addTo(group);
    }
    (data.suggested || []).forEach(function (item) {
      dot(item, { radius: 6, color: item.colour || "#5b6b7a", weight: 3, fillColor: "#fff", fillOpacity: 1 }).addTo(group);
    });
    (data.linked || []).forEach(function (item) {
      dot(item, { radius: 7, color: "#fff", weight: 2, fillColor: "#1d4e89", fillOpacity: 1 }).addTo(group);
    });
    var icon = L.divIcon({ className: "co-pin co-pin-here", iconSize: [24, 24], iconAnchor: [12, 12] });
    L.marker([here.lat, here.lon], { icon: icon, title: here.title, keyboard: false, zIndexOffset: 1000 })
      .bindTooltip(here.title).addTo(group);
    element.dataset.linked = String((data.linked || []).length);
    element.dataset.suggested = String((data.suggested || []).length);
    map.fitBounds(group.getBounds().pad(0.15), { maxZoom: 16 });
    ready(element, kelurahan(map, element.dataset.geojson));
  }

  document.querySelectorAll("#co-map[data-incidents]").forEach(listMap);
  document.querySelectorAll(".co-pick-map").forEach(pickMap);
  document.querySelectorAll("#co-incident-map[data-map]").forEach(incidentMap);
}());
