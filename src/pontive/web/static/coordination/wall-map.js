/* The wall's map (coordination/wall.html): kelurahan boundaries as the base (no tiles unless
   the city has its own tile server), alert areas filled in the alert's colour, kecamatan out
   of normal mode outlined dashed in the mode's colour, and the point layers.

   Fast with thousands of features: each point layer has a pane and a canvas of its own (so
   incidents stay above reports whatever is redrawn), its features are circle markers kept by
   reference and updated in place, nothing is interactive; only critical incidents get a DOM
   element (their pulse) and the worst incidents a label. */
(function () {
  "use strict";
  var kit = window.PontiveWall.kit;
  var PONTIANAK = [-0.0263, 109.3425];
  var POINT_LAYERS = ["complaints", "sensors", "cameras", "incidents"]; // bottom to top
  var SIZE = { kritis: 13, tinggi: 11, sedang: 9.5, rendah: 8.5 };

  function hasPlace(f) {
    return f.lat !== null && f.lon !== null && f.lat !== undefined && f.lon !== undefined;
  }

  // options: element (the map's id), tiles, center "lat,lon", zoom, scale (1 on 1920×1080),
  // legend (the key drawn over the map, kept clear of the city).
  function createMap(options) {
    var S = options.scale;
    var map = L.map(options.element, {
      preferCanvas: true, zoomControl: false, attributionControl: !!options.tiles,
      dragging: false, scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false,
      keyboard: false, touchZoom: false, zoomSnap: 0.1, fadeAnimation: false,
      zoomAnimation: false, markerZoomAnimation: false
    }).setView(PONTIANAK, 12);
    if (options.tiles) {
      L.tileLayer(options.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
    }
    function pane(name, z) {
      var el = map.createPane(name);
      el.style.zIndex = String(z);
      el.style.pointerEvents = "none";
      return name;
    }
    pane("wall-names", 405);
    var renderers = {}, groups = {}, known = {};
    POINT_LAYERS.forEach(function (name, index) {
      renderers[name] = L.canvas({ pane: pane("wall-" + name, 410 + index * 10), padding: 0.1 });
      groups[name] = L.layerGroup().addTo(map);
      known[name] = Object.create(null);
    });
    pane("wall-pulse", 445);
    pane("wall-labels", 450);
    var pulses = L.layerGroup().addTo(map), pulseKnown = Object.create(null);
    var labels = L.layerGroup().addTo(map), labelKnown = Object.create(null);

    var STYLE = {
      complaints: function (f) {
        return { radius: 3.4 * S, stroke: false, fillColor: kit.lift(f.colour, 0.12), fillOpacity: 0.9 };
      },
      sensors: function (f) {
        return { radius: 6.5 * S, color: "#eaf3f9", weight: 2 * S, fillColor: f.colour, fillOpacity: 1 };
      },
      cameras: function (f) {
        return { radius: 5.5 * S, color: kit.lift(f.colour, 0.3), weight: 3 * S, fillColor: "#0b1620", fillOpacity: 1 };
      },
      incidents: function (f) {
        return { radius: (SIZE[f.severity] || 9) * S, color: "#ffffff", weight: 3 * S, fillColor: f.colour, fillOpacity: 1 };
      }
    };

    // Place every feature of one point layer, updating the markers already there.
    function drawPoints(name, features) {
      var group = groups[name], have = known[name], seen = Object.create(null), count = 0;
      features.forEach(function (f) {
        if (!hasPlace(f)) { return; }
        var key = String(f.ref), style = STYLE[name](f), marker = have[key];
        seen[key] = true;
        count += 1;
        if (marker) {
          var at = marker.getLatLng();
          if (at.lat !== f.lat || at.lng !== f.lon) { marker.setLatLng([f.lat, f.lon]); }
          if (marker.options.fillColor !== style.fillColor || marker.options.color !== style.color ||
              marker.options.radius !== style.radius) {
            marker.setStyle(style);
            marker.setRadius(style.radius);
          }
          return;
        }
        style.renderer = renderers[name];
        style.interactive = false;
        marker = L.circleMarker([f.lat, f.lon], style);
        have[key] = marker;
        group.addLayer(marker);
      });
      Object.keys(have).forEach(function (key) {
        if (!seen[key]) { group.removeLayer(have[key]); delete have[key]; }
      });
      return count;
    }

    // DOM markers kept by key: the pulse of each critical incident, the code of the worst.
    function keep(group, have, wanted, make) {
      var seen = Object.create(null);
      wanted.forEach(function (f) {
        var key = String(f.ref);
        seen[key] = true;
        if (have[key]) { have[key].setLatLng([f.lat, f.lon]); return; }
        have[key] = make(f).addTo(group);
      });
      Object.keys(have).forEach(function (key) {
        if (!seen[key]) { group.removeLayer(have[key]); delete have[key]; }
      });
    }
    function drawIncidentMarks(features, worst) {
      var size = 46 * S;
      var critical = features.filter(function (f) { return f.severity === "kritis" && hasPlace(f); });
      keep(pulses, pulseKnown, critical, function (f) {
        return L.marker([f.lat, f.lon], {
          pane: "wall-pulse", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "wall-pulse", iconSize: [size, size] })
        });
      });
      keep(labels, labelKnown, worst.filter(hasPlace), function (f) {
        return L.marker([f.lat, f.lon], {
          pane: "wall-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "wall-mark", html: kit.element("span", "wall-mark-text", f.ref), iconSize: null })
        });
      });
    }

    var base = null, alertsByKel = {}, modesByKec = {};
    function baseStyle(feature) {
      var p = feature.properties || {};
      var alert = alertsByKel[p.kode], mode = modesByKec[p.kecamatan_kode];
      var style = { color: "#4d6f89", weight: 1.1 * S, opacity: 1, fillColor: "#15293a", fillOpacity: 1, dashArray: null };
      if (alert) { style.fillColor = alert; style.fillOpacity = 0.62; }
      if (mode) {
        style.color = kit.lift(mode, 0.35);
        style.weight = 3.5 * S;
        style.dashArray = (11 * S) + " " + (7 * S);
      }
      return style;
    }
    function nameKecamatan() {
      var boxes = {};
      base.eachLayer(function (layer) {
        var p = layer.feature.properties || {};
        if (!p.kecamatan_kode || !layer.getBounds) { return; }
        var box = boxes[p.kecamatan_kode] || { name: p.kecamatan, bounds: L.latLngBounds([]) };
        box.bounds.extend(layer.getBounds());
        boxes[p.kecamatan_kode] = box;
      });
      Object.keys(boxes).forEach(function (kode) {
        var name = String(boxes[kode].name || "").replace(/^Pontianak /, "");
        L.marker(boxes[kode].bounds.getCenter(), {
          pane: "wall-names", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "wall-kec", html: kit.element("span", "wall-kec-text", name), iconSize: null })
        }).addTo(map);
      });
    }
    function fitView() {
      var center = (options.center || "").split(",").map(Number);
      if (center.length === 2 && !isNaN(center[0]) && !isNaN(center[1])) {
        map.setView(center, Number(options.zoom) || 14);
        return;
      }
      if (!base || !base.getBounds().isValid()) { return; }
      var left = 24 * S;
      if (options.legend) { left += options.legend.offsetWidth + 16 * S; }
      map.fitBounds(base.getBounds(), { paddingTopLeft: [left, 24 * S], paddingBottomRight: [24 * S, 24 * S] });
    }

    return {
      drawBase: function (collection) {
        base = L.geoJSON(collection, {
          style: baseStyle,
          interactive: false,
          pointToLayer: function (f, at) { return L.circleMarker(at, { radius: 6 * S, interactive: false }); }
        }).addTo(map);
        nameKecamatan();
        fitView();
      },
      // Draw the snapshot's layers (those in ``shown``); how many features each has on the map.
      draw: function (snapshot, shown) {
        var layers = snapshot.layers || {}, counts = {};
        POINT_LAYERS.forEach(function (name) {
          if (shown.indexOf(name) >= 0) { counts[name] = drawPoints(name, layers[name] || []); }
        });
        drawIncidentMarks(layers.incidents || [], snapshot.incidents || []);
        alertsByKel = {};
        (layers.alerts || []).forEach(function (a) {
          (a.kelurahan || []).forEach(function (kode) { alertsByKel[kode] = alertsByKel[kode] || a.colour; });
        });
        modesByKec = {};
        var modes = (layers.modes || []).filter(function (m) { return m.mode !== "normal"; });
        modes.forEach(function (m) { modesByKec[m.kecamatan] = m.colour; });
        if (base) { base.eachLayer(function (layer) { layer.setStyle(baseStyle(layer.feature)); }); }
        if (shown.indexOf("alerts") >= 0) { counts.alerts = (layers.alerts || []).length; }
        if (shown.indexOf("modes") >= 0) { counts.modes = modes.length; }
        return counts;
      }
    };
  }

  window.PontiveWall.createMap = createMap;
})();
