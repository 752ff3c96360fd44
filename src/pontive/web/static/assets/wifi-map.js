/* The public Wi-Fi map (/wifi): every hotspot from the GeoJSON (data-points) as a dot in its
   status colour, with a popup (name, provider, hours, SSID, status, the "not working" link).
   Kelurahan outlines as the base; tiles only when the city has its own tile server. The list
   under the map is the page without JavaScript. Labels come from data-* attributes and the
   JSON; popups are built with textContent, never from markup made of data (CSP, XSS). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var element = document.getElementById("wifi-map");
  if (!element || typeof L === "undefined") { return; }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); });
  }

  function line(parent, tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  function fact(parent, label, value) {
    if (value === null || value === undefined || value === "") { return; }
    var row = line(parent, "div", "", "wifi-pop-fact");
    line(row, "span", label + ": ", "wifi-pop-label");
    line(row, "span", String(value));
  }

  function popup(p, labels) {
    var body = document.createElement("div");
    body.className = "wifi-pop";
    line(body, "strong", p.name, "wifi-pop-name");
    var badge = line(body, "span", "", "wifi-badge wifi-s-" + p.status);
    line(badge, "span", "", "wifi-dot");
    line(badge, "span", p.status_label);
    fact(body, labels.provider, p.provider_kind_label + " · " + p.provider_name);
    fact(body, labels.hours, p.hours);
    fact(body, labels.ssid, p.ssid);
    if (p.open_reports) { fact(body, labels.open, p.open_reports); }
    if (p.report_url) {
      var link = line(body, "a", labels.report, "wifi-pop-report");
      link.href = p.report_url + (document.documentElement.lang === "en" ? "?lang=en" : "");
    }
    return body;
  }

  var labels = {
    provider: element.dataset.provider, hours: element.dataset.hours, ssid: element.dataset.ssid,
    open: element.dataset.open, report: element.dataset.report
  };
  var made = window.PontiveBaseMap(element);
  var map = made.map;
  var outlines = made.outlines;

  Promise.all([outlines, getJSON(element.dataset.points)]).then(function (results) {
    var features = results[1].features || [];
    var group = L.featureGroup(features.map(function (f) {
      var p = f.properties;
      var latlng = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      var marker = L.circleMarker(latlng, {
        radius: 9, color: "#ffffff", weight: 2, fillColor: p.colour, fillOpacity: 0.95,
        className: "wifi-marker wifi-marker-" + p.status
      });
      marker.bindTooltip(p.name + ": " + p.status_label);
      return marker.bindPopup(popup(p, labels));
    })).addTo(map);
    var bounds = features.length ? group.getBounds() : results[0].getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [36, 36], maxZoom: 14 }); }
    element.dataset.markers = String(features.length);
    element.dataset.ready = "true";
  }).catch(function () { element.dataset.ready = "error"; });
})();
