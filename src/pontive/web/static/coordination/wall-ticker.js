/* The wall's ticker (coordination/wall.html): the latest events, newest on top. Lines come
   from the snapshot (incident timelines, alerts, new reports) and, at once, from the event
   stream, each written from the event's type and data with the page's words (data-text) and
   vocabulary (data-vocabulary: labels and colours by value). A snapshot line of something
   the stream already told (same code, same moment) is not shown twice. */
(function () {
  "use strict";
  var kit = window.PontiveWall.kit;
  var MAX = 40;
  var CODE = /\b[A-Z]{3}-\d{4}-\d{4,}\b/;

  function tokenOf(item) {
    if (item.ref) { return item.ref; }
    var found = CODE.exec(item.text || "");
    return found ? found[0] : "";
  }
  function sameEvent(a, b) {
    var apart = Math.abs(Date.parse(a.at) - Date.parse(b.at));
    var ta = tokenOf(a), tb = tokenOf(b);
    if (ta && tb) { return ta === tb && apart < 2500; }
    return a.kind === b.kind && apart < 1500;
  }

  // options: list (the <ol>), text, vocabulary, lang, when (an instant as HH:MM).
  function createTicker(options) {
    var TEXT = options.text, VOCAB = options.vocabulary, fill = kit.fill, lines = [];
    function word(kind, value) {
      var entry = (VOCAB[kind] || {})[value];
      return entry ? entry[0] : (value || "");
    }
    function colourOf(kind, value) {
      var entry = (VOCAB[kind] || {})[value];
      return entry ? entry[1] : "#5b6b7a";
    }

    function draw() {
      var list = options.list;
      if (!list) { return; }
      list.textContent = "";
      if (!lines.length) { list.appendChild(kit.element("li", "wall-empty", TEXT["ticker.none"])); return; }
      lines.forEach(function (item) {
        var row = kit.element("li", item.fresh ? "wall-tick wall-fresh" : "wall-tick");
        row.dataset.kind = item.kind || "";
        row.appendChild(kit.element("time", "wall-tick-time", options.when(item.at)));
        var dot = kit.element("span", "wall-dot");
        dot.style.backgroundColor = kit.lift(item.colour || "#5b6b7a", 0.15);
        row.appendChild(dot);
        row.appendChild(kit.element("span", "wall-tick-text", item.text));
        list.appendChild(row);
        item.fresh = false;
      });
    }
    function add(items) {
      items.forEach(function (item) {
        if (!lines.some(function (shown) { return sameEvent(shown, item); })) { lines.push(item); }
      });
      lines.sort(function (a, b) { return Date.parse(b.at) - Date.parse(a.at); });
      if (lines.length > MAX) { lines.length = MAX; }
      draw();
    }

    function coordination(type, verb, d) {
      var group = type.split(".")[1], key, values;
      if (group === "incident") {
        key = TEXT["ev.incident." + verb] ? "ev.incident." + verb : "ev.incident.other";
        values = { code: d.code, title: d.title, status: word("incident_status", d.status),
                   entry: word("entry", d.entry), text: d.text || "",
                   ref: (word("link", d.item_type) + " " + (d.item_ref || "")).trim() };
        return { kind: "incident", ref: d.code, text: fill(TEXT[key], values), colour: colourOf("severity", d.severity) };
      }
      if (group === "task") {
        key = TEXT["ev.task." + verb] ? "ev.task." + verb : "ev.task.other";
        values = { code: d.code, title: d.title, pd: (VOCAB.pd || {})[d.pd_kode] || d.pd_kode || "" };
        return { kind: "task", ref: d.code, text: fill(TEXT[key], values),
                 colour: verb === "overdue" ? "#b3261e" : colourOf("task_priority", d.priority) };
      }
      key = verb === "scheduled" ? "ev.meeting.scheduled" : "ev.meeting.other";
      values = { code: d.code, title: d.title, status: word("meeting_status", d.status) };
      return { kind: "meeting", ref: d.code, text: fill(TEXT[key], values), colour: colourOf("meeting_status", d.status) };
    }
    function alerts(type, verb, d) {
      if (type === "alerts.mode.changed") {
        var area = d.kecamatan_kode ? ((VOCAB.kecamatan || {})[d.kecamatan_kode] || d.kecamatan_kode) : TEXT["ev.mode.city"];
        var ended = d.ended || d.mode === "normal";
        var line = fill(TEXT[ended ? "ev.mode.ended" : "ev.mode.declared"], { mode: word("mode", d.mode), area: area });
        return { kind: "mode", text: line.charAt(0).toUpperCase() + line.slice(1), colour: colourOf("mode", d.mode) };
      }
      if (type === "alerts.incoming.received") {
        return { kind: "alert", text: fill(TEXT["ev.alert.incoming"], { sender: d.sender, event: d.event }), colour: "#b45309" };
      }
      var values = { severity: word("alert_severity", d.severity),
                     headline: (options.lang === "en" && d.headline_en) || d.headline_id || d.identifier };
      return { kind: "alert", at: d.sent_at, text: fill(TEXT["ev.alert." + verb] || TEXT["ev.alert.published"], values),
               colour: colourOf("alert_severity", d.severity) };
    }
    function devices(type, d) {
      var station = (d.thing || {}).name || "";
      if (type === "sensors.flood_status_changed") {
        return { kind: "sensor", colour: colourOf("flood", d["new"]), text: fill(TEXT["ev.flood"],
                 { station: station, status: word("flood", d["new"]), value: [d.value, d.unit].join(" ").trim() }) };
      }
      if (type === "sensors.ispu_category_changed") {
        return { kind: "sensor", colour: colourOf("ispu", d["new"]), text: fill(TEXT["ev.ispu"],
                 { station: station, status: word("ispu", d["new"]), value: d.value }) };
      }
      if (type === "sensors.device_health_changed") {
        return { kind: "sensor", colour: colourOf("device", d["new"]), text: fill(TEXT["ev.device"],
                 { station: station, status: word("device", d["new"]) }) };
      }
      return { kind: "camera", ref: d.code, colour: colourOf("camera", d.health), text: fill(TEXT["ev.camera"],
               { code: d.code, name: d.name, health: word("camera", d.health) }) };
    }
    // What an event says, in a line (null: nothing to say).
    function describe(type, d) {
      var verb = type.split(".").pop();
      if (type.indexOf("coordination.") === 0) { return coordination(type, verb, d); }
      if (type.indexOf("complaint.") === 0) {
        var values = { ref: d.tracking_number, status: word("complaint_status", d.status) };
        return { kind: "complaint", ref: d.tracking_number, text: fill(TEXT["ev.complaint." + verb], values),
                 colour: verb === "overdue" ? "#b3261e" : (verb === "created" ? "#8a4fff" : colourOf("complaint_status", d.status)) };
      }
      if (type.indexOf("alerts.") === 0) { return alerts(type, verb, d); }
      if (type.indexOf("sensors.") === 0 || type === "cctv.camera_changed") { return devices(type, d); }
      return null;
    }

    return { add: add, describe: describe, word: word, colourOf: colourOf };
  }

  window.PontiveWall.createTicker = createTicker;
})();
