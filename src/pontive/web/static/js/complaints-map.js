/* Report maps: one report's place (/lapor/<nomor>) or the public list's markers coloured by
   status (/laporan). Kelurahan outlines as the base; no tiles unless the city has its own. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function base(element) {
    return window.PontiveBaseMap(element, { fillOpacity: 0.1, pointRadius: 3 });
  }

  function dot(latlng, colour, radius) {
    return L.circleMarker(latlng, { radius: radius, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.95 });
  }

  function popup(item) {
    var body = document.createElement("div");
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.tracking_number;
    body.appendChild(link);
    body.appendChild(document.createElement("br"));
    var strong = document.createElement("strong");
    strong.textContent = item.category;
    body.appendChild(strong);
    body.appendChild(document.createElement("br"));
    body.appendChild(document.createTextNode(item.status_label));
    return body;
  }

  function drawOne(element) {
    var made = base(element);
    var latlng = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    dot(latlng, element.dataset.colour || "#b3261e", 10).addTo(made.map);
    made.map.setView(latlng, 14);
    made.outlines.then(function () { element.dataset.ready = "true"; })
      .catch(function () { element.dataset.ready = "error"; });
  }

  function drawMany(element) {
    var made = base(element);
    Promise.all([made.outlines, fetch(element.dataset.points, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })])
      .then(function (results) {
        var outlines = results[0], data = results[1];
        var group = L.featureGroup(data.items.map(function (item) {
          return dot([item.lat, item.lon], item.colour, 7).bindPopup(popup(item)).bindTooltip(item.tracking_number);
        })).addTo(made.map);
        var bounds = data.items.length ? group.getBounds() : outlines.getBounds();
        if (bounds.isValid()) { made.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14 }); }
        element.dataset.markers = String(data.items.length);
        element.dataset.ready = "true";
      })
      .catch(function () { element.dataset.ready = "error"; });
  }

  if (typeof L !== "undefined") {
    document.querySelectorAll(".complaint-map").forEach(function (element) {
      if (element.dataset.points) { drawMany(element); } else { drawOne(element); }
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.dataset.copy);
      if (!source || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied;
      }).catch(function () { /* the link stays on screen to copy by hand */ });
    });
  });
})();
