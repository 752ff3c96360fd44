/* The hotspot map: each cell of the chosen unit (kelurahan or 500 m hexagons) coloured by its
   level (hotspot, above usual, usual, no report), over the kelurahan outlines. The unit
   radios of the filter form switch the layer at once and swap in the table of that unit
   (?bagian=tabel), keeping the address in step; without JavaScript the form does the same
   with a reload. No base tiles unless the city configures its own (PONTIVE_MAP_TILE_URL). */
(function () {
  "use strict";
  var element = document.getElementById("hotspot-map");
  if (!element || !window.L || !window.fetch) { return; }
  var form = document.getElementById("hs-filters");
  var PONTIANAK = [-0.0263, 109.3425];
  var STYLES = {
    hotspot: { color: "#7b1010", weight: 2.5, fillColor: "#b3261e", fillOpacity: 0.7 },
    elevated: { color: "#995c00", weight: 1.5, fillColor: "#f4b15c", fillOpacity: 0.6 },
    usual: { color: "#5f8aa3", weight: 1, fillColor: "#b7d3e3", fillOpacity: 0.45 },
    quiet: { color: "#9fb0bb", weight: 1, fillColor: "#eef2f5", fillOpacity: 0.35 }
  };
  var text = element.dataset;
  var decimal = text.lang === "en" ? "." : ",";
  var map = L.map(element, {
    scrollWheelZoom: false, zoomSnap: 0.25, fadeAnimation: false, attributionControl: !!text.tiles
  })
    .setView(PONTIANAK, 12);
  if (text.tiles) {
    L.tileLayer(text.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
  }
  var layers = {};
  var current = null;
  var shown = "";

  function json(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
  }

  function number(value) {
    return value === null ? "–" : String(value).replace(".", decimal);
  }

  function qText(q) {  // as the table writes it
    return q < 0.001 ? "< 0" + decimal + "001" : number(Number(q.toPrecision(2)));
  }

  function line(parent, label, value) {
    var p = document.createElement("p");
    p.textContent = label + ": " + value;
    parent.appendChild(p);
  }

  function popup(properties) {
    var body = document.createElement("div");
    body.className = "hs-popup";
    var title = document.createElement("strong");
    title.textContent = properties.name + (properties.unit === "hex" ? " · " + properties.id : "");
    body.appendChild(title);
    if (properties.significant) { line(body, text.tHotspot, "q " + (properties.q < 0.001 ? "" : "= ") + qText(properties.q)); }
    line(body, text.tCount, String(properties.count));
    line(body, text.tExpected, number(properties.expected));
    line(body, text.tRatio, number(properties.ratio) + "×");
    if (properties.top_categories.length) {
      line(body, text.tCategories, properties.top_categories.map(function (c) {
        return c.name + " (" + c.count + ")";
      }).join(", "));
    }
    if (properties.queue_url) {
      var link = document.createElement("a");
      link.href = properties.queue_url;
      link.textContent = text.tQueue;
      body.appendChild(link);
    }
    return body;
  }

  function layerOf(collection) {
    return L.geoJSON(collection, {
      style: function (f) { return STYLES[f.properties.level] || STYLES.usual; },
      pointToLayer: function (f, latlng) {
        var style = STYLES[f.properties.level] || STYLES.usual;
        return L.circleMarker(latlng, L.extend({ radius: f.properties.significant ? 11 : 7 }, style));
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(popup(f.properties));
        layer.bindTooltip(f.properties.name + ": " + f.properties.count, { sticky: true });
      }
    });
  }

  function show(unit, url) {
    shown = url;
    var ready = layers[url] ? Promise.resolve(layers[url]) : json(url).then(function (collection) {
      layers[url] = { layer: layerOf(collection), collection: collection };
      return layers[url];
    });
    ready.then(function (entry) {
      if (url !== shown) { return; }  // a later switch won
      if (current) { map.removeLayer(current); }
      current = entry.layer.addTo(map);
      current.bringToFront();
      element.dataset.unit = unit;
      element.dataset.features = String(entry.collection.features.length);
      element.dataset.hotspots = String(entry.collection.hotspots);
      element.dataset.ready = "true";
    }).catch(function () {
      element.dataset.ready = "error";
      var note = L.control({ position: "topright" });
      note.onAdd = function () {
        var div = L.DomUtil.create("div", "map-legend");
        div.textContent = text.tFailed;
        return div;
      };
      note.addTo(map);
    });
  }

  json(text.outlines).then(function (collection) {
    var outlines = L.geoJSON(collection, {
      interactive: false,
      style: function () { return { color: "#4a5a66", weight: 1, opacity: 0.6, fill: false }; },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 2, color: "#4a5a66", weight: 1, interactive: false });
      }
    }).addTo(map);
    if (collection.features.length) {
      map.fitBounds(outlines.getBounds(), { padding: [12, 12] });
    }
    if (current) { current.bringToFront(); }
  }).catch(function () { element.dataset.outlines = "error"; });
  show(text.unit, text.url);

  // The unit radios: switch the layer and the table now, not on the next submit.
  function queryOf(unit) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) { params.set(key, value); } });
    params.set("unit", unit);
    return params;
  }

  Array.prototype.forEach.call(form.querySelectorAll("input[name='unit']"), function (radio) {
    radio.addEventListener("change", function () {
      if (!radio.checked) { return; }
      var params = queryOf(radio.value);
      var api = new URLSearchParams(params);
      api.delete("urut");
      api.set("lang", text.lang);
      show(radio.value, text.api + "?" + api.toString());
      window.history.replaceState(null, "", "?" + params.toString());
      params.set("bagian", "tabel");
      fetch("?" + params.toString(), { headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var old = document.getElementById("hs-table");
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("#hs-table");
          if (old && fresh) { old.replaceWith(fresh); }
        })
        .catch(function () { element.dataset.tableError = "true"; });
    });
  });
})();
