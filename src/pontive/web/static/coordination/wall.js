/* The situation room's wall (coordination/wall.html), for a screen nobody touches.

   Draws the wall's snapshot (data.json: map layers, key figures, incidents, ticker) with
   wall-map.js and wall-ticker.js, then follows the event stream: each event adds a ticker line
   at once and schedules one fresh snapshot (debounced), redrawn in place without a reload; a
   snapshot is also fetched every minute in case an event was missed, and after the stream
   comes back from a break. The connection's state is shown in the header.

   The page reports itself drawn in <html data-rendered="<features drawn>"> and in
   window.__wallRenderedMs (performance.now() in the frame after the first snapshot is on the
   map; bench/wall.py measures it), with performance marks wall-boundaries, wall-snapshot and
   wall-drawn on the way. */
(function () {
  "use strict";
  var root = document.getElementById("wall");
  var W = window.PontiveWall;
  if (!root || !window.L || !window.fetch || !W || !W.createMap) { return; }
  var kit = W.kit;
  var D = root.dataset;
  var TEXT = JSON.parse(D.text || "{}");
  var LANG = D.lang === "en" ? "en" : "id";
  var LAYERS = (D.layers || "").split(",").filter(Boolean);
  var URGENCIES = ["lewat_tenggat", "jatuh_tempo", "dalam_tenggat", "belum_diverifikasi"];
  var DEBOUNCE_MS = 300, SAFETY_MS = 60000, RETRY_MS = 5000;
  var zone = D.zone || "Asia/Pontianak";
  var numberFormat = new Intl.NumberFormat(LANG === "en" ? "en-GB" : "id-ID");
  var clockFormat = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  var hourFormat = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  var dateFormat = new Intl.DateTimeFormat(LANG === "en" ? "en-GB" : "id-ID", { timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric" });

  function byId(id) { return document.getElementById(id); }
  function setText(id, value) { var el = byId(id); if (el) { el.textContent = value; } }
  function num(value) { return numberFormat.format(Number(value) || 0); }
  function when(iso) { return iso ? hourFormat.format(new Date(iso)) : ""; }
  function getJson(url) {
    // As the page's <link rel=preload> asks, so the first answers are the preloaded ones.
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      });
  }

  // Ask for the snapshot and the boundaries before anything else: the map can wait for them.
  var firstSnapshot = getJson(D.dataUrl).then(function (body) { kit.mark("wall-snapshot"); return body; });
  var boundaries = D.geojson ? getJson(D.geojson) : Promise.resolve(null);
  Array.prototype.forEach.call(document.querySelectorAll("[data-colour]"), function (el) {
    el.style.backgroundColor = el.dataset.colour;
  });
  // Markers grow with the screen: 1 on 1920×1080, 2 on 3840×2160 (type grows through CSS).
  var scale = Math.max(1, Math.min(window.innerWidth / 1920, window.innerHeight / 1080));
  var map = W.createMap({ element: "wall-map", tiles: D.tiles, center: D.center, zoom: D.zoom,
                          scale: scale, legend: byId("wall-legend") });
  // The boundaries are drawn as soon as they come, while the server may still be at work.
  boundaries = boundaries.then(function (collection) {
    if (collection) { map.drawBase(collection); kit.mark("wall-boundaries"); }
  }).catch(function () { return null; }); // without boundaries the layers still show
  var ticker = W.createTicker({ list: byId("wall-ticker"), text: TEXT, lang: LANG, when: when,
                                vocabulary: JSON.parse(D.vocabulary || "{}") });

  function tick() {
    var now = new Date();
    setText("wall-clock", clockFormat.format(now));
    setText("wall-date", dateFormat.format(now));
    window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }
  tick();

  // --- the panels --------------------------------------------------------------------------
  function setCount(layer, count) {
    var item = document.querySelector('.wall-legend-item[data-layer="' + layer + '"]');
    if (item) { item.dataset.layerCount = String(count); }
    setText("count-" + layer, num(count));
  }
  function level(fig, value) {
    var box = document.querySelector('.wall-fig[data-fig="' + fig + '"]');
    if (box) { box.dataset.level = value; }
  }
  function drawNumbers(n) {
    if (!byId("wall-figures") || !n) { return; }
    setText("fig-reports", num(n.reports_open));
    var bar = byId("fig-urgency-bar"), list = byId("fig-urgency");
    bar.textContent = "";
    list.textContent = "";
    URGENCIES.forEach(function (key) {
      var count = (n.reports_by_urgency || {})[key] || 0, colour = ticker.colourOf("urgency", key);
      var part = kit.element("span", "wall-bar-part");
      part.style.flexGrow = String(count);
      part.style.backgroundColor = kit.lift(colour, 0.1);
      bar.appendChild(part);
      var row = kit.element("li");
      var dot = kit.element("span", "wall-dot");
      dot.style.backgroundColor = kit.lift(colour, 0.1);
      row.appendChild(dot);
      row.appendChild(kit.element("strong", "", num(count)));
      row.appendChild(document.createTextNode(" " + ticker.word("urgency", key)));
      list.appendChild(row);
    });
    setText("fig-sla", num(n.sla_overdue));
    level("sla", n.sla_overdue > 0 ? "alarm" : "calm");
    setText("fig-incidents", num(n.incidents_open));
    setText("fig-incidents-sub", kit.fill(TEXT["fig.incidents_sub"], { n: num(n.incidents_critical) }));
    level("incidents", n.incidents_critical > 0 ? "alarm" : (n.incidents_open > 0 ? "watch" : "calm"));
    setText("fig-tasks", num(n.tasks_overdue));
    setText("fig-tasks-sub", kit.fill(TEXT["fig.tasks_sub"], { n: num(n.tasks_open) }));
    level("tasks", n.tasks_overdue > 0 ? "alarm" : "calm");
    setText("fig-flood", num(n.stations_siaga) + " / " + num(n.stations_awas));
    setText("fig-flood-sub", kit.fill(TEXT["fig.flood_sub"], { siaga: num(n.stations_siaga), awas: num(n.stations_awas) }));
    level("flood", n.stations_awas > 0 ? "alarm" : (n.stations_siaga > 0 ? "watch" : "calm"));
    var ispu = n.ispu, box = byId("fig-ispu-box");
    setText("fig-ispu", ispu ? num(ispu.value) : "—");
    setText("fig-ispu-sub", ispu ? ticker.word("ispu", ispu.category) : TEXT["fig.ispu_none"]);
    if (ispu) { kit.paint(box, ispu.colour); box.dataset.level = "coloured"; }
    setText("fig-cameras", num(n.cameras_offline) + " / " + num(n.cameras_total));
    setText("fig-cameras-sub", kit.fill(TEXT["fig.cameras_sub"], { n: num(n.cameras_total) }));
    level("cameras", n.cameras_offline > 0 ? "watch" : "calm");
  }
  function drawIncidentList(items, total) {
    var list = byId("wall-incidents");
    setText("incidents-count", num(total));
    if (!list) { return; }
    list.textContent = "";
    if (!items.length) { list.appendChild(kit.element("li", "wall-empty", TEXT["incidents.none"])); return; }
    items.forEach(function (f) {
      var row = kit.element("li", "wall-inc");
      row.dataset.ref = f.ref;
      row.dataset.severity = f.severity;
      var bar = kit.element("span", "wall-inc-bar");
      bar.style.backgroundColor = kit.lift(f.colour, 0.1);
      row.appendChild(bar);
      var body = kit.element("div", "wall-inc-body");
      var top = kit.element("p", "wall-inc-top");
      top.appendChild(kit.element("span", "wall-inc-code", f.ref));
      var badge = kit.element("span", "wall-inc-sev", ticker.word("severity", f.severity));
      kit.paint(badge, f.colour);
      top.appendChild(badge);
      top.appendChild(kit.element("span", "wall-inc-title", f.label));
      body.appendChild(top);
      var since = kit.fill(TEXT["incidents.since"], { time: when(f.opened_at) });
      body.appendChild(kit.element("p", "wall-inc-meta", f.kind + " · " + String(f.state || "").split(" · ").pop() + " · " + since));
      row.appendChild(body);
      list.appendChild(row);
    });
  }
  function drawCameraList(items, offline) {
    var list = byId("wall-cameras");
    setText("cameras-count", num(offline));
    if (!list) { return; }
    list.textContent = "";
    if (!items.length) { list.appendChild(kit.element("li", "wall-empty", TEXT["cameras.none"])); return; }
    items.forEach(function (c) {
      var row = kit.element("li");
      row.appendChild(kit.element("span", "wall-cam-code", c.ref));
      row.appendChild(document.createTextNode(" " + c.label));
      list.appendChild(row);
    });
    if (offline > items.length) {
      list.appendChild(kit.element("li", "wall-more", kit.fill(TEXT["cameras.more"], { n: num(offline - items.length) })));
    }
  }

  // --- the snapshot ------------------------------------------------------------------------
  var rendered = false, updates = 0;
  function draw(snapshot) {
    var counts = map.draw(snapshot, LAYERS), total = 0;
    Object.keys(counts).forEach(function (layer) {
      setCount(layer, counts[layer]);
      total += counts[layer];
    });
    var numbers = snapshot.numbers || {};
    drawNumbers(numbers);
    drawIncidentList(snapshot.incidents || [], numbers.incidents_open || 0);
    drawCameraList(snapshot.cameras_offline || [], numbers.cameras_offline || 0);
    ticker.add((snapshot.ticker || []).map(function (item) {
      return { at: item.at, text: item.text, colour: item.colour, kind: item.kind };
    }));
    drawMode(snapshot.mode);
    updates += 1;
    root.dataset.updates = String(updates);
    document.documentElement.dataset.drawn = String(total);
    setText("wall-updated", kit.fill(TEXT.updated, { time: clockFormat.format(snapshot.at ? new Date(snapshot.at) : new Date()) }));
    if (!rendered) {
      rendered = true;
      window.requestAnimationFrame(function () {
        window.__wallRenderedMs = window.performance.now();
        document.documentElement.dataset.rendered = String(total);
      });
    }
  }
  function drawMode(mode) {
    var box = byId("wall-mode");
    if (!box || !mode) { return; }
    box.dataset.mode = mode.value;
    setText("wall-mode-value", ticker.word("mode", mode.value) || mode.label);
    kit.paint(box, mode.colour);
  }

  var timer = null, busy = false, again = false;
  function refresh() {
    timer = null;
    if (busy) { again = true; return; }
    busy = true;
    getJson(D.dataUrl + "?t=" + Date.now())
      .then(function (snapshot) { root.dataset.refreshError = "false"; draw(snapshot); })
      .catch(function () { root.dataset.refreshError = "true"; setText("wall-updated", TEXT.failed); })
      .then(function () {
        busy = false;
        if (again) { again = false; soon(); }
      });
  }
  function soon() {
    if (timer === null) { timer = window.setTimeout(refresh, DEBOUNCE_MS); }
  }
  function first() {
    Promise.all([boundaries, firstSnapshot])
      .then(function (both) {
        draw(both[1]);
        kit.mark("wall-drawn");
      })
      .catch(function () {
        setText("wall-updated", TEXT.failed);
        firstSnapshot = getJson(D.dataUrl + "?t=" + Date.now());
        window.setTimeout(first, RETRY_MS);
      });
  }
  first();
  window.setInterval(refresh, SAFETY_MS);

  // --- the event stream ---------------------------------------------------------------------
  function connection(state) {
    root.dataset.live = state;
    var box = byId("wall-conn");
    if (box) { box.dataset.state = state; }
    setText("wall-conn-text", TEXT["conn." + state] || state);
  }
  function heard(event) {
    var body;
    try { body = JSON.parse(event.data); } catch (error) { return; }
    if (body.type === "coordination.wall.saved") {
      // This wall's layers or panels changed: start again with the new settings.
      if (body.data && body.data.code === D.code) { window.location.reload(); }
      return;
    }
    var line = ticker.describe(body.type || event.type, body.data || {});
    if (line) {
      line.at = line.at || body.occurred_at || new Date().toISOString();
      line.fresh = true;
      ticker.add([line]);
    }
    soon();
  }
  var opened = false;
  function listen() {
    if (!window.EventSource) { return; }
    var source = new EventSource(D.stream);
    source.addEventListener("open", function () {
      connection("live");
      if (opened) { soon(); } // back after a break: catch up on what was missed
      opened = true;
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) {
        connection("lost");
        window.setTimeout(listen, RETRY_MS); // the browser gave up (a refused answer): we don't
      } else {
        connection("retry");
      }
    });
    (D.events || "").split(",").filter(Boolean).forEach(function (type) {
      source.addEventListener(type, heard);
    });
  }
  connection("connecting");
  listen();
})();
