/* The situation page, live: the event stream (Server-Sent Events) tells of new alerts, mode
   changes and flood or ISPU status changes; the page then fetches its live part again (HTML
   rendered by the server, the same as without JavaScript) and redraws the alert areas on the
   map. Without EventSource the page simply stays as loaded. */
(function () {
  "use strict";
  var root = document.getElementById("situation");
  if (!root || !window.EventSource || !window.fetch) { return; }
  var live = document.getElementById("situation-live");
  var map = document.getElementById("situation-map");
  var label = document.getElementById("live-text");
  var TYPES = [
    "alerts.alert.published", "alerts.alert.expired", "alerts.alert.superseded",
    "alerts.mode.changed", "alerts.incoming.received",
    "sensors.flood_status_changed", "sensors.ispu_category_changed"
  ];
  var timer = null;
  var version = "";

  function refresh() {
    timer = null;
    // A query of its own per event: no shared copy made before the news can answer it.
    var stamp = encodeURIComponent(version || String(Date.now()));
    fetch("/situasi?bagian=isi&v=" + stamp, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        live.innerHTML = html;
        root.dataset.updates = String(Number(root.dataset.updates || "0") + 1);
      })
      .catch(function () { root.dataset.refreshError = "true"; });
    fetch("/situasi/data.json?v=" + stamp, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && map) {
          var detail = { alerts: data.alert_kelurahan, official: data.official_kelurahan };
          map.dispatchEvent(new CustomEvent("pontive:highlight", { detail: detail }));
        }
      })
      .catch(function () { root.dataset.refreshError = "true"; });
  }

  function soon(event) {
    version = event.lastEventId || String(Date.now());
    if (timer === null) { timer = window.setTimeout(refresh, 400); }
  }

  var source = new EventSource("/api/v1/events/stream?types=" + encodeURIComponent(root.dataset.events));
  source.addEventListener("open", function () {
    label.textContent = label.dataset.live;
    root.dataset.live = "true";
  });
  source.addEventListener("error", function () {
    label.textContent = label.dataset.off;
    root.dataset.live = "false";
  });
  TYPES.forEach(function (type) { source.addEventListener(type, soon); });
})();
