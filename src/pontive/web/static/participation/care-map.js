/* Facility care (/adopsi-fasilitas): the adopted facilities on the map, and a pin that fills
   the application form's coordinates (typed coordinates work without JavaScript). Kelurahan
   outlines as the base; tiles only when the city has its own tile server. Texts of data are
   set with textContent, never as markup. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  if (typeof L === "undefined") { return; }
  var TEXT = {
    id: { by: "Dirawat oleh", latest: "Kondisi terakhir", until: "Sampai", located: "Lokasi ditandai", denied: "Lokasi tidak dapat dibaca" },
    en: { by: "Cared for by", latest: "Latest condition", until: "Until", located: "Location marked", denied: "Location unavailable" }
  };

  var base = window.PontiveBaseMap;

  function line(parent, tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    parent.appendChild(node);
    return node;
  }

  function popup(item, text) {
    var body = document.createElement("div");
    line(body, "strong", item.facility_name);
    line(body, "div", item.kind_label + (item.kelurahan ? " · " + item.kelurahan : ""));
    if (item.group_name) { line(body, "div", text.by + ": " + item.group_name); }
    if (item.condition_label) { line(body, "div", text.latest + ": " + item.condition_label + " (" + item.reported_label + ")"); }
    if (item.ends_on) { line(body, "div", text.until + " " + item.ends_label); }
    return body;
  }

  function drawAdoptions(element) {
    var text = TEXT[element.dataset.lang] || TEXT.id;
    var made = base(element);
    Promise.all([made.outlines, fetch(element.dataset.points, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })])
      .then(function (results) {
        var items = results[1].items.filter(function (item) { return item.lat !== null && item.lon !== null; });
        var group = L.featureGroup(items.map(function (item) {
          var icon = L.divIcon({ className: "care-pin care-pin-" + (item.condition || "none"), iconSize: [18, 18] });
          return L.marker([item.lat, item.lon], { icon: icon, title: item.facility_name, alt: item.facility_name, keyboard: true })
            .bindPopup(popup(item, text));
        })).addTo(made.map);
        var bounds = items.length ? group.getBounds() : results[0].getBounds();
        if (bounds.isValid()) { made.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 }); }
        element.dataset.markers = String(items.length);
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
  }

  function pinPicker(element) {
    var text = TEXT[element.dataset.lang] || TEXT.id;
    var lat = document.getElementById("lat");
    var lon = document.getElementById("lon");
    var hint = document.getElementById("coords-hint");
    var made = base(element);
    var marker = null;
    function place(latlng, pan) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: true }).addTo(made.map); }
      if (pan) { made.map.setView(latlng, Math.max(made.map.getZoom(), 16)); }
    }
    function fill(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      hint.textContent = text.located + ": " + lat.value + ", " + lon.value;
    }
    made.map.on("click", function (event) { place(event.latlng, false); fill(event.latlng); });
    function fromInputs() {
      var y = parseFloat((lat.value || "").replace(",", "."));
      var x = parseFloat((lon.value || "").replace(",", "."));
      if (isFinite(y) && isFinite(x) && Math.abs(y) <= 90 && Math.abs(x) <= 180) { place(L.latLng(y, x), true); }
    }
    lat.addEventListener("change", fromInputs);
    lon.addEventListener("change", fromInputs);
    fromInputs();
    var button = document.getElementById("use-location");
    if (button && navigator.geolocation) {
      button.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          var latlng = L.latLng(position.coords.latitude, position.coords.longitude);
          place(latlng, true);
          fill(latlng);
        }, function () { hint.textContent = text.denied; }, { enableHighAccuracy: true, timeout: 10000 });
      });
    } else if (button) {
      button.hidden = true;
    }
  }

  var adoptions = document.getElementById("care-map");
  if (adoptions) { drawAdoptions(adoptions); }
  var picker = document.getElementById("pin-map");
  if (picker) { pinPicker(picker); }
}());
