/* The executive view's print button: shown only when scripts run, it prints the page
   (the print stylesheet in executive.css lays it out on A4). Nothing else runs here. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
