/* Sensor maps: every station as a coloured pin showing its reading (/sensor), or one station's
   place (/sensor/<id>). Kelurahan outlines as the base; no tiles unless the city has its own
   tile server. Texts come from the page (data-* attributes), never from the markup of data. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  if (typeof L === "undefined") { return; }
  var TEXT = {
    id: { open: "Lihat stasiun", seen: "Laporan terakhir" },
    en: { open: "Open station", seen: "Last report" }
  };

  var base = window.PontiveBaseMap;

  function pin(latlng, status, kind, label, title) {
    var body = document.createElement("span");
    body.textContent = label || "•";
    var icon = L.divIcon({
      className: "sensor-pin st-" + status + " kind-" + kind,
      html: body,
      iconSize: [46, 26],
      iconAnchor: [23, 33],
      popupAnchor: [0, -30]
    });
    return L.marker(latlng, { icon: icon, title: title, alt: title, riseOnHover: true, keyboard: true });
  }

  function line(parent, tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  function popup(item, text) {
    var body = document.createElement("div");
    line(body, "strong", item.name);
    line(body, "div", item.kind_label + (item.place ? " · " + item.place : ""), "small");
    var status = line(body, "div", "", "popup-status");
    line(status, "span", item.status_label, "sensor-badge st-" + item.status);
    line(body, "div", item.headline, "popup-value");
    line(body, "div", text.seen + ": " + item.seen, "small");
    var link = line(body, "a", text.open + " →");
    link.href = item.url;
    return body;
  }

  function drawMany(element) {
    var text = TEXT[element.dataset.lang] || TEXT.id;
    var made = base(element);
    Promise.all([made.outlines, fetch(element.dataset.points, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })])
      .then(function (results) {
        var outlines = results[0], data = results[1];
        var group = L.featureGroup(data.items.map(function (item) {
          var title = item.name + ": " + item.status_label;
          return pin([item.lat, item.lon], item.status, item.kind, item.marker, title).bindPopup(popup(item, text));
        })).addTo(made.map);
        var bounds = data.items.length ? group.getBounds() : outlines.getBounds();
        if (bounds.isValid()) { made.map.fitBounds(bounds, { padding: [36, 36], maxZoom: 15 }); }
        element.dataset.markers = String(data.items.length);
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
  }

  function drawOne(element) {
    var made = base(element);
    var latlng = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    pin(latlng, element.dataset.status, element.dataset.kind, element.dataset.marker, "").addTo(made.map);
    made.map.setView(latlng, 15);
    made.outlines.then(function () { element.dataset.ready = "true"; })
      .catch(function () { element.dataset.ready = "error"; });
  }

  document.querySelectorAll(".sensor-map").forEach(drawMany);
  document.querySelectorAll(".station-map").forEach(drawOne);
})();
