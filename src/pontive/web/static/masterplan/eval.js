/* The evaluation page's live indices: as scores and levels are chosen, the Smart City
   evaluation index (Σ weight × score ÷ Σ weight over the aspects scored), the SPBE domain
   indices and overall index (Σ weight × level ÷ Σ weight) and its predicate are recomputed
   the way the server does (masterplan/evaluation_scoring.py: half-up to two decimals, the
   predicate of the rounded index). Nothing is saved here: the forms' buttons save. Without
   this script the page shows the saved figures. */
(function () {
  "use strict";
  var scores = document.getElementById("indeks");
  if (!scores) { return; }
  var lang = scores.dataset.lang || "id";
  var bands = JSON.parse(scores.dataset.bands || "[]");

  function rounded(value) {
    return Math.round((value + Number.EPSILON) * 100) / 100;
  }

  function shown(value) {
    if (value === null) { return "—"; }
    var text = rounded(value).toFixed(2);
    return lang === "id" ? text.replace(".", ",") : text;
  }

  function mean(parts) {
    var total = 0, weights = 0;
    parts.forEach(function (part) { total += part[0] * part[1]; weights += part[0]; });
    return weights > 0 ? total / weights : null;
  }

  function predicate(index) {
    if (index === null) { return "—"; }
    var value = rounded(index);
    var sorted = bands.slice().sort(function (a, b) { return b.min - a.min; });
    for (var i = 0; i < sorted.length; i++) {
      if (value >= sorted[i].min) { return sorted[i].name; }
    }
    return "—";
  }

  function set(id, text) {
    var element = document.getElementById(id);
    if (element) { element.textContent = text; }
  }

  function missing(id, count) {
    var element = document.getElementById(id);
    if (!element) { return; }
    element.hidden = count === 0;
    element.textContent = (element.dataset.template || "").replace("{count}", String(count));
  }

  function cityIndex() {
    var parts = [], unscored = 0;
    document.querySelectorAll(".ev-aspect").forEach(function (aspect) {
      var chosen = aspect.querySelector("input[type=radio]:checked");
      if (chosen && chosen.value) {
        parts.push([parseFloat(aspect.dataset.weight), parseFloat(chosen.value)]);
      } else {
        unscored += 1;
      }
    });
    set("city-index", shown(mean(parts)));
    missing("city-missing", unscored);
  }

  function spbeIndex() {
    var all = [], byDomain = {}, unscored = 0;
    document.querySelectorAll(".ev-level-select").forEach(function (select) {
      var domain = select.dataset.domain;
      byDomain[domain] = byDomain[domain] || [];
      if (select.value) {
        var part = [parseFloat(select.dataset.weight), parseFloat(select.value)];
        all.push(part);
        byDomain[domain].push(part);
      } else {
        unscored += 1;
      }
    });
    Object.keys(byDomain).forEach(function (domain) {
      var output = document.querySelector('[data-domain-index="' + domain + '"]');
      if (output) { output.textContent = shown(mean(byDomain[domain])); }
    });
    var index = mean(all);
    set("spbe-index", shown(index));
    set("spbe-predicate", predicate(index));
    missing("spbe-missing", unscored);
  }

  var aspectForm = document.getElementById("aspect-form");
  if (aspectForm) { aspectForm.addEventListener("change", cityIndex); }
  var spbeForm = document.getElementById("spbe-form");
  if (spbeForm) { spbeForm.addEventListener("change", spbeIndex); }
})();
