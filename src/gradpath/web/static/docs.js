// Starts Swagger UI on the API docs page (kept in a file: the CSP allows no inline scripts).
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
