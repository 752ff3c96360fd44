/* Swagger UI from our own static files (no CDN, no inline script under the CSP). */
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") { return; }
  SwaggerUIBundle({ url: element.dataset.spec, dom_id: "#swagger-ui", deepLinking: true });
})();
