/* The datastore load's progress on the console: polls the page's status.json (rows read,
   bytes read of the total, state) and moves the bar; when the load ends, the page is opened
   again so the server shows "Siap" with the preview link, or the validation report. */
(function () {
  "use strict";
  var box = document.getElementById("load");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = box.querySelector(".odc-progress");
  var fill = box.querySelector(".odc-progress-fill");
  var rows = box.querySelector(".odc-rows");
  var percent = box.querySelector(".odc-percent");
  var INTERVAL = 700;

  function show(status) {
    var value = Math.max(0, Math.min(100, status.percent || 0));
    if (fill) { fill.className = "odc-progress-fill odc-w-" + (Math.floor(value / 5) * 5); }
    if (bar) { bar.setAttribute("aria-valuenow", String(value)); }
    if (rows) { rows.textContent = Number(status.rows_read || 0).toLocaleString(document.documentElement.lang === "en" ? "en" : "id"); }
    if (percent) { percent.textContent = String(value); }
    box.dataset.state = status.state;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (status) {
        show(status);
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () { window.setTimeout(poll, INTERVAL * 4); });
  }
  window.setTimeout(poll, 300);
})();
