/* One public camera (/cctv/<code>): the latest image, refreshed while the page is open, and
   live video when the restreamer carries the camera and the browser plays HLS by itself
   (Safari, most phones); elsewhere the snapshots stay, so no player library is needed.
   The page works without this script: it shows the image of the moment it was loaded. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var view = document.getElementById("camera-view");
  if (!view) { return; }
  var EVERY_MS = 15000;
  var frame = document.getElementById("camera-frame");
  var first = frame.querySelector("img");
  var shown = first ? first.getAttribute("src") : null;
  var playing = false;
  var timer = null;

  function showImage(url, when) {
    if (playing || !url || url === shown) { return; }
    shown = url;
    var next = new Image();
    next.width = 640;
    next.height = 360;
    next.alt = (view.dataset.alt || "").replace("{time}", when || "");
    next.onload = function () {
      var stamp = document.createElement("figcaption");
      stamp.className = "cctv-stamp";
      stamp.textContent = when || "";
      frame.replaceChildren(next, stamp);
    };
    next.src = url;
  }

  function showHealth(data) {
    var badge = document.querySelector("#camera-health .cctv-badge");
    if (badge) {
      badge.className = "cctv-badge h-" + data.health;
      badge.dataset.health = data.health;
      badge.querySelector(".health-label").textContent = data.health_label;
    }
    var checked = document.getElementById("camera-checked");
    if (checked) { checked.textContent = data.checked; }
  }

  function stop() {
    if (timer) { window.clearInterval(timer); timer = null; }
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(view.dataset.status, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (!data.available) {
          stop();
          document.getElementById("camera-gone").hidden = false;
          return;
        }
        showHealth(data);
        showImage(data.snapshot_url, data.snapshot_at);
      })
      .catch(function () { /* a missed refresh: the next one tries again */ });
  }

  function fallBack(video) {
    playing = false;
    video.remove();
    shown = null;
    poll();
  }

  function live() {
    if (view.dataset.live !== "true") { return; }
    var video = document.createElement("video");
    if (!video.canPlayType("application/vnd.apple.mpegurl")) { return; }
    fetch(view.dataset.stream, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.hls_url) { return; }
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        video.controls = true;
        video.addEventListener("error", function () { fallBack(video); });
        video.src = data.hls_url;
        var label = document.createElement("span");
        label.className = "cctv-live";
        label.textContent = view.dataset.liveLabel || "LIVE";
        frame.replaceChildren(video, label);
        playing = true;
      })
      .catch(function () { /* snapshots stay */ });
  }

  timer = window.setInterval(poll, EVERY_MS);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
  live();
})();
