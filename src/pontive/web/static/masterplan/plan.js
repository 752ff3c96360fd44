/* Masterplan programme and indicator forms (templates/masterplan/plan_*_form.html).
   Progressive enhancement only: without JavaScript every field shows and the Pasal 11
   priorities list names each priority's dimension.

   - <select data-filter-by="ID">: keeps only the options whose data-dimension matches the
     value of the select #ID (and the blank option); a hidden choice is cleared.
   - <fieldset data-show-when="NAME=VALUE">: shown only while the form's field NAME has VALUE. */
(function () {
  "use strict";

  function filterOptions(select) {
    var source = document.getElementById(select.getAttribute("data-filter-by"));
    if (!source) { return; }
    function apply() {
      var wanted = source.value;
      Array.prototype.forEach.call(select.options, function (option) {
        var dimension = option.getAttribute("data-dimension");
        var show = !dimension || !wanted || dimension === wanted;
        option.hidden = !show;
        option.disabled = !show;
        if (!show && option.selected) { select.value = ""; }
      });
    }
    source.addEventListener("change", apply);
    apply();
  }

  function showWhen(block) {
    var rule = block.getAttribute("data-show-when").split("=");
    var form = block.closest("form");
    var field = form ? form.elements.namedItem(rule[0]) : null;
    if (!field) { return; }
    function apply() { block.hidden = field.value !== rule[1]; }
    field.addEventListener("change", apply);
    apply();
  }

  document.querySelectorAll("select[data-filter-by]").forEach(filterOptions);
  document.querySelectorAll("[data-show-when]").forEach(showWhen);
}());
