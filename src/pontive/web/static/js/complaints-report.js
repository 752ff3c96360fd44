/* The report form (/lapor): map pin or the phone's location, the chosen category's extra
   questions, nearby open reports of the same kind, photo previews, the anonymous choice.
   The form works without this script; it only makes it quicker. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var PONTIANAK = [-0.0263, 109.3425];
  var lang = form.dataset.lang === "en" ? "en" : "id";
  var TEXT = {
    id: { pinned: "Titik dipasang", inKel: "di Kelurahan ", outside: "Titik di luar batas kelurahan Kota Pontianak.",
          locating: "Mencari lokasi Anda…", denied: "Lokasi tidak dapat dibaca. Ketuk peta untuk menandai lokasi.",
          required: "wajib", tooMany: "Paling banyak {n} foto.", follow: "Ikuti laporan ini", mapFailed: "Peta tidak dapat dimuat; tulis alamatnya saja." },
    en: { pinned: "Pin placed", inKel: "in Kelurahan ", outside: "The pin is outside Pontianak's kelurahan boundaries.",
          locating: "Finding your location…", denied: "Your location could not be read. Tap the map to mark the place.",
          required: "required", tooMany: "At most {n} photos.", follow: "Follow this report", mapFailed: "The map could not be loaded; just write the address." }
  }[lang];
  var lonInput = document.getElementById("lon");
  var latInput = document.getElementById("lat");
  var status = document.getElementById("pin-status");
  var select = document.getElementById("category_code");
  var marker = null;
  var lastKelurahan = null;
  var map = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  /* --- Map pin --- */
  function place(lat, lon, kelurahan) {
    lonInput.value = lon.toFixed(6);
    latInput.value = lat.toFixed(6);
    if (!map) { return; }
    if (marker) { marker.setLatLng([lat, lon]); } else {
      marker = L.circleMarker([lat, lon], { radius: 10, color: "#fff", weight: 3, fillColor: "#b3261e", fillOpacity: 1 }).addTo(map);
    }
    status.textContent = kelurahan ? TEXT.pinned + " " + TEXT.inKel + kelurahan + "." : TEXT.pinned + ".";
    document.getElementById("pin-map").dataset.pinned = "true";
    findNearby();
  }

  function drawMap() {
    var element = document.getElementById("pin-map");
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
        if (lonInput.value && latInput.value) { place(parseFloat(latInput.value), parseFloat(lonInput.value), null); }
      })
      .catch(function () { status.textContent = TEXT.mapFailed; element.dataset.ready = "error"; });
    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, lastKelurahan);
      lastKelurahan = null;
    });
  }

  function useLocation() {
    if (!navigator.geolocation) { status.textContent = TEXT.denied; return; }
    status.textContent = TEXT.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lon = position.coords.longitude;
      if (map) { map.setView([lat, lon], 16); }
      place(lat, lon, null);
    }, function () { status.textContent = TEXT.denied; }, { enableHighAccuracy: true, timeout: 15000 });
  }

  /* --- Nearby open reports of the same kind --- */
  function findNearby() {
    var box = document.getElementById("nearby");
    var list = document.getElementById("nearby-list");
    if (!lonInput.value || !latInput.value) { return; }
    var url = form.dataset.nearbyUrl + "?category=" + encodeURIComponent(select.value) +
      "&lon=" + lonInput.value + "&lat=" + latInput.value + "&lang=" + lang;
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) {
        list.textContent = "";
        data.items.forEach(function (item) {
          var li = el("li", { "class": "nearby-item" });
          li.appendChild(el("span", { "class": "tracking" }, item.tracking_number));
          li.appendChild(el("span", { "class": "status-badge status-" + item.status }, item.status_label));
          li.appendChild(el("p", {}, item.summary));
          li.appendChild(el("a", { href: item.url, "class": "btn btn-light" }, TEXT.follow));
          list.appendChild(li);
        });
        box.hidden = data.items.length === 0;
      })
      .catch(function () { box.hidden = true; });
  }

  /* --- The chosen category's questions --- */
  function attributeField(a) {
    var name = "attribute[" + a.code + "]";
    var wrap = el("div", { "class": "field", "data-attribute": a.code });
    var title = a.description + (a.required ? " " : "");
    if (a.datatype === "singlevaluelist" || a.datatype === "multivaluelist") {
      var set = el("fieldset", { "class": "choice-set" });
      var legend = el("legend", {}, title);
      if (a.required) { legend.appendChild(el("span", { "class": "req" }, TEXT.required)); }
      set.appendChild(legend);
      a.values.forEach(function (v) {
        var label = el("label", { "class": "choice" });
        label.appendChild(el("input", { type: a.datatype === "singlevaluelist" ? "radio" : "checkbox", name: name, value: v.key }));
        label.appendChild(document.createTextNode(" " + v.name));
        set.appendChild(label);
      });
      wrap.appendChild(set);
      return wrap;
    }
    var label2 = el("label", { "for": "attr-" + a.code }, title);
    if (a.required) { label2.appendChild(el("span", { "class": "req" }, TEXT.required)); }
    wrap.appendChild(label2);
    var input;
    if (a.datatype === "text") { input = el("textarea", { rows: "3", maxlength: "4000" }); } else {
      input = el("input", { type: a.datatype === "number" ? "number" : a.datatype === "datetime" ? "datetime-local" : "text" });
      if (a.datatype === "number") { input.setAttribute("step", "any"); input.setAttribute("inputmode", "decimal"); }
    }
    input.id = "attr-" + a.code;
    input.name = name;
    if (a.required) { input.required = true; }
    wrap.appendChild(input);
    return wrap;
  }

  function loadCategory() {
    fetch(form.dataset.categoryUrl + encodeURIComponent(select.value) + ".json?lang=" + lang, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (category) {
        document.getElementById("category-description").textContent = category.description;
        document.getElementById("category-photo-hint").hidden = !category.photo_expected;
        var box = document.getElementById("attributes");
        box.textContent = "";
        category.attributes.forEach(function (a) { box.appendChild(attributeField(a)); });
        box.dataset.category = category.code;
        findNearby();
      })
      .catch(function () { /* the server checks the answers anyway */ });
  }

  /* --- Photos --- */
  var inputs = [document.getElementById("photos-camera"), document.getElementById("photos")];
  var max = parseInt(form.dataset.maxPhotos, 10) || 5;
  function showPhotos(changed) {
    var previews = document.getElementById("photo-previews");
    var total = inputs.reduce(function (n, input) { return n + (input && input.files ? input.files.length : 0); }, 0);
    previews.textContent = "";
    if (total > max && changed) {
      changed.value = "";
      previews.appendChild(el("li", { "class": "field-error", role: "alert" }, TEXT.tooMany.replace("{n}", max)));
    }
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input && input.files ? input.files : [], function (file) {
        var li = el("li");
        var img = el("img", { alt: file.name });
        img.src = URL.createObjectURL(file);
        li.appendChild(img);
        previews.appendChild(li);
      });
    });
  }
  inputs.forEach(function (input) { if (input) { input.addEventListener("change", function () { showPhotos(input); }); } });

  /* --- Anonymous or with a name --- */
  function toggleIdentity() {
    var chosen = form.querySelector("input[name=identity]:checked");
    var anonymous = !chosen || chosen.value === "anonim";
    form.querySelector(".name-field").hidden = anonymous;
    if (anonymous) { document.getElementById("name").value = ""; }
  }
  form.querySelectorAll("input[name=identity]").forEach(function (r) { r.addEventListener("change", toggleIdentity); });
  toggleIdentity();

  select.addEventListener("change", loadCategory);
  var locate = document.getElementById("use-location");
  if (locate) { locate.addEventListener("click", useLocation); }
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit-report");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  drawMap();
})();
