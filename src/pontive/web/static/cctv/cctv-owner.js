/* The owner's pages: copy the private link to the clipboard. Everything else on these pages
   is a plain form and works without this script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
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
