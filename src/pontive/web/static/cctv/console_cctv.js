/* CCTV console: the registry map (cameras coloured by health), the place picker of the
   camera form, and camera viewers — a camera page's image and the video wall's tiles.
   A viewer opens a view (POST /api/v1/cctv/cameras/<code>/views: decided and recorded by
   the server), refreshes its image inside that view, and closes the view when the page goes
   away (fetch keepalive, with the page's CSRF token: cookie-authenticated API writes need
   the X-CSRF-Token header). Everything but the images and maps works without this script. */
(function () {
  "use strict";
  var PONTIANAK = [-0.0263, 109.3425];
  var API = "/api/v1/cctv";
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var CSRF = tokenMeta ? tokenMeta.getAttribute("content") : "";

  // --- maps -------------------------------------------------------------------------------

  function baseMap(element) {
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, attributionControl: !!element.dataset.tiles })
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

  function pin(camera) {
    var icon = L.divIcon({
      className: "cv-pin cv-pin-" + camera.health,
      html: camera.direction === null ? "" : '<span class="cv-pin-dir"></span>',
      iconSize: [20, 20],
      iconAnchor: [10, 10],
      popupAnchor: [0, -10]
    });
    var marker = L.marker([camera.lat, camera.lon], { icon: icon, title: camera.name + " — " + camera.label, keyboard: true });
    var body = document.createElement("div");
    var link = document.createElement("a");
    link.href = camera.url;
    link.textContent = camera.name;
    body.appendChild(link);
    body.appendChild(document.createElement("br"));
    var code = document.createElement("code");
    code.textContent = camera.code;
    body.appendChild(code);
    body.appendChild(document.createTextNode(" · " + camera.label));
    marker.bindPopup(body);
    marker.on("add", function () {
      var element = marker.getElement();
      element.dataset.code = camera.code;
      element.dataset.health = camera.health;
      element.setAttribute("aria-label", camera.name + " — " + camera.label);
      var arrow = element.querySelector(".cv-pin-dir");
      if (arrow) { arrow.style.transform = "rotate(" + camera.direction + "deg)"; }
    });
    return marker;
  }

  function registryMap(element) {
    var cameras = JSON.parse(element.dataset.cameras || "[]");
    var map = baseMap(element);
    var pins = L.featureGroup(cameras.map(pin)).addTo(map);
    if (cameras.length) { map.fitBounds(pins.getBounds(), { padding: [30, 30], maxZoom: 15 }); }
    element.dataset.pins = String(cameras.length);
    kelurahan(map, element.dataset.geojson)
      .then(function (layer) {
        if (!cameras.length && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); }
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
  }

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
    function fromFields() {
      var y = parseFloat(lat.value.replace(",", ".")), x = parseFloat(lon.value.replace(",", "."));
      if (isFinite(x) && isFinite(y)) { place([y, x], true); return true; }
      return false;
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng, false);
      element.dataset.picked = "true";
    });
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    var placed = fromFields();
    kelurahan(map, element.dataset.geojson)
      .then(function (layer) {
        if (!placed && layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [12, 12] }); }
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
  }

  // --- viewers ----------------------------------------------------------------------------

  var viewers = [];

  function post(url, keepalive) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRF-Token": CSRF, Accept: "application/json" }
    });
  }

  function cameraUrl(code, part) {
    return API + "/cameras/" + encodeURIComponent(code) + "/" + part;
  }

  function Viewer(element) {
    this.element = element;
    this.code = element.dataset.code;
    this.via = element.dataset.via === "wall" ? "wall" : "page";
    this.image = element.querySelector("img.cv-snapshot");
    this.video = element.querySelector("video.cv-live");
    this.placeholder = element.querySelector(".cv-noimage");
    this.view = null;
    this.isOpen = false;
  }

  Viewer.prototype.open = function () {
    var viewer = this;
    if (viewer.element.dataset.opensView !== "true" || viewer.isOpen) { return; }
    viewer.isOpen = true;
    post(cameraUrl(viewer.code, "views?via=" + viewer.via))
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) {
        viewer.view = body.view;  // null for a public camera: nothing is recorded
        viewer.element.dataset.view = body.view === null ? "public" : String(body.view);
        viewer.refresh();
        if (viewer.element.dataset.mayStream === "true") { viewer.stream(); }
      })
      .catch(function () {
        viewer.isOpen = false;
        viewer.element.dataset.view = "refused";
      });
  };

  Viewer.prototype.query = function () {
    return (this.view ? "view=" + this.view + "&" : "") + "t=" + Date.now();
  };

  Viewer.prototype.refresh = function () {
    var viewer = this;
    if (!viewer.isOpen || viewer.element.dataset.hasSnapshot !== "true" || !viewer.image) { return; }
    var probe = new Image();
    probe.onload = function () {
      viewer.image.src = probe.src;
      viewer.image.hidden = false;
      if (viewer.placeholder) { viewer.placeholder.hidden = true; }
      viewer.element.dataset.shown = "true";
    };
    probe.onerror = function () {
      viewer.image.hidden = true;
      if (viewer.placeholder) { viewer.placeholder.hidden = false; }
    };
    probe.src = cameraUrl(viewer.code, "snapshot?" + viewer.query());
  };

  Viewer.prototype.stream = function () {
    var viewer = this;
    if (!viewer.video) { return; }
    fetch(cameraUrl(viewer.code, "stream" + (viewer.view ? "?view=" + viewer.view : "")), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || !body.hls_url || !viewer.video.canPlayType("application/vnd.apple.mpegurl")) { return; }
        viewer.video.src = body.hls_url;
        viewer.video.hidden = false;
        if (viewer.image) { viewer.image.hidden = true; }
        if (viewer.placeholder) { viewer.placeholder.hidden = true; }
        viewer.element.dataset.live = "true";
      })
      .catch(function () { /* the still image stays */ });
  };

  Viewer.prototype.close = function () {
    if (this.view) { post(API + "/views/" + this.view + "/end", true).catch(function () {}); }
    this.view = null;
    this.isOpen = false;
  };

  function closeAll() { viewers.forEach(function (viewer) { viewer.close(); }); }

  // --- the wall ---------------------------------------------------------------------------

  function formatter(zone, withSeconds) {
    var options = { timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (withSeconds) { options = { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }; }
    var format = new Intl.DateTimeFormat("en-GB", options);
    return function (date) {
      var parts = {};
      format.formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
      if (withSeconds) { return parts.hour + ":" + parts.minute + ":" + parts.second; }
      return parts.day + "-" + parts.month + "-" + parts.year + " " + parts.hour + ":" + parts.minute;
    };
  }

  function wall(element) {
    var zone = element.dataset.zone || "Asia/Pontianak";
    var abbreviation = element.dataset.zoneAbbr || "WIB";
    var labels = JSON.parse(element.dataset.healthLabels || "{}");
    var clock = document.getElementById("cv-clock");
    var clockText = formatter(zone, true), dateText = formatter(zone, false);
    if (clock) {
      var tick = function () { clock.textContent = clockText(new Date()) + " " + abbreviation; };
      tick();
      window.setInterval(tick, 1000);
    }
    var button = document.getElementById("cv-fullscreen");
    if (button && document.fullscreenEnabled) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (document.fullscreenElement) { document.exitFullscreen(); } else { element.requestFullscreen(); }
      });
    }
    function update(cameras) {
      var byCode = {};
      cameras.forEach(function (camera) { byCode[camera.code] = camera; });
      element.querySelectorAll(".cv-tile[data-code]").forEach(function (tile) {
        var camera = byCode[tile.dataset.code];
        if (!camera) { return; }
        tile.dataset.health = camera.health;
        tile.dataset.hasSnapshot = camera.snapshot_at ? "true" : "false";
        var badge = tile.querySelector(".cv-badge[data-health]");
        if (badge) {
          badge.className = "cv-badge cv-he-" + camera.health;
          badge.dataset.health = camera.health;
          badge.textContent = labels[camera.health] || camera.health;
        }
        var at = camera.snapshot_at || camera.health_checked_at;
        var time = tile.querySelector(".cv-tile-time");
        if (time && at) {
          time.setAttribute("datetime", at);
          time.textContent = dateText(new Date(at)) + " " + abbreviation;
        }
      });
    }
    window.setInterval(function () {
      fetch(API + "/cameras", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(update)
        .catch(function () { /* the next round tries again */ });
    }, refreshMs(element));
  }

  function refreshMs(element) {
    var seconds = parseInt(element.dataset.refresh || "10", 10);
    return Math.max(5, isFinite(seconds) ? seconds : 10) * 1000;
  }

  // --- start ------------------------------------------------------------------------------

  if (typeof L !== "undefined") {
    document.querySelectorAll(".cv-map").forEach(registryMap);
    document.querySelectorAll(".cv-pick-map").forEach(pickMap);
  }
  document.querySelectorAll("[data-cv-viewer]").forEach(function (element) {
    var viewer = new Viewer(element);
    viewers.push(viewer);
    viewer.open();
  });
  if (viewers.length) {
    var every = refreshMs(document.querySelector("[data-refresh]") || document.body);
    window.setInterval(function () { viewers.forEach(function (viewer) { viewer.refresh(); }); }, every);
    window.addEventListener("pagehide", closeAll);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { viewers.forEach(function (viewer) { viewer.open(); }); }
    });
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied;
      }).catch(function () { /* the link stays on screen to copy by hand */ });
    });
  });
  var wallElement = document.getElementById("dinding");
  if (wallElement) { wall(wallElement); }
})();
