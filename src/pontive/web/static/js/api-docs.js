/* Swagger UI from our own static files (no CDN, no inline script under the CSP). */
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") { return; }

  function show(spec) {
    SwaggerUIBundle({
      spec: spec,
      dom_id: "#swagger-ui",
      deepLinking: true,
      defaultModelsExpandDepth: 0,
      docExpansion: "list"
    });
  }

  fetch(element.dataset.spec, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    })
    .then(show)
    .catch(function () {
      element.textContent = element.dataset.failed || "";
      element.classList.add("swagger-failed");
    });
})();
