/* The enrolment form (/cctv/daftar): a map pin or the phone's location fills in the
   longitude and latitude (which stay visible and editable), the pin shows the chosen view
   direction, and the business name is asked only of businesses. The form works without this
   script; it only makes it quicker. Texts come from the form's data-t-* attributes. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("enrol-form");
  if (!form) { return; }
  var PONTIANAK = [-0.0263, 109.3425];
  var text = form.dataset;
  var lonInput = document.getElementById("lon");
  var latInput = document.getElementById("lat");
  var direction = document.getElementById("direction");
  var status = document.getElementById("pin-status");
  var element = document.getElementById("pin-map");
  var map = null, marker = null, cone = null, lastKelurahan = null;

  function pinIcon() {
    var wrap = document.createElement("span");
    wrap.className = "cctv-pin";
    cone = document.createElement("span");
    cone.className = "cctv-cone";
    cone.style.background = "conic-gradient(from -30deg, #b3261e 0deg 60deg, transparent 60deg 360deg)";
    var dot = document.createElement("span");
    dot.className = "cctv-dot";
    dot.style.background = "#b3261e";
    wrap.appendChild(cone);
    wrap.appendChild(dot);
    return L.divIcon({ className: "", html: wrap, iconSize: [44, 44], iconAnchor: [22, 22] });
  }

  function turnCone() {
    if (!cone) { return; }
    cone.hidden = direction.value === "";
    cone.style.transform = "rotate(" + (Number(direction.value) || 0) + "deg)";
  }

  function show(lat, lon) {
    if (!map) { return; }
    if (marker) { marker.setLatLng([lat, lon]); } else {
      marker = L.marker([lat, lon], { icon: pinIcon(), keyboard: false, interactive: false }).addTo(map);
      turnCone();
    }
  }

  function place(lat, lon, kelurahan) {
    lonInput.value = lon.toFixed(6);
    latInput.value = lat.toFixed(6);
    show(lat, lon);
    status.textContent = text.tPinned + (kelurahan ? " " + text.tIn + " " + kelurahan : "") + ".";
    element.dataset.pinned = "true";
  }

  function typed() {
    var lon = parseFloat(lonInput.value.replace(",", "."));
    var lat = parseFloat(latInput.value.replace(",", "."));
    if (isFinite(lon) && isFinite(lat)) { show(lat, lon); }
  }

  function drawMap() {
    if (!element || typeof L === "undefined") { return; }
    map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles }).setView(PONTIANAK, 12);
    if (element.dataset.tiles) { L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map); }
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function () { return { color: "#1577a0", weight: 1, fillColor: "#4fb3d9", fillOpacity: 0.12 }; },
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 4, color: "#1577a0", weight: 1 }); },
          onEachFeature: function (f, lyr) {
            lyr.bindTooltip(f.properties.nama, { sticky: true });
            lyr.on("click", function () { lastKelurahan = f.properties.nama; });
          }
        }).addTo(map);
        if (collection.features.length) { map.fitBounds(layer.getBounds(), { padding: [8, 8] }); }
        element.dataset.ready = "true";
        typed();
      })
      .catch(function () { status.textContent = text.tFailed; element.dataset.ready = "error"; });
    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, lastKelurahan);
      lastKelurahan = null;
    });
  }

  function useLocation() {
    if (!navigator.geolocation) { status.textContent = text.tDenied; return; }
    status.textContent = text.tLocating;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lon = position.coords.longitude;
      if (map) { map.setView([lat, lon], 17); }
      place(lat, lon, null);
    }, function () { status.textContent = text.tDenied; }, { enableHighAccuracy: true, timeout: 15000 });
  }

  function toggleOrganisation() {
    var chosen = form.querySelector("input[name=owner_type]:checked");
    document.getElementById("organisation-field").hidden = !chosen || chosen.value !== "usaha";
  }

  form.querySelectorAll("input[name=owner_type]").forEach(function (r) { r.addEventListener("change", toggleOrganisation); });
  toggleOrganisation();
  lonInput.addEventListener("change", typed);
  latInput.addEventListener("change", typed);
  direction.addEventListener("change", turnCone);
  document.getElementById("use-location").addEventListener("click", useLocation);
  var button = document.getElementById("submit-enrol");
  form.addEventListener("submit", function () {
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  // Back from the next page (the browser's page cache): the form can be sent again.
  window.addEventListener("pageshow", function () { button.disabled = false; });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  drawMap();
})();
