// Starts the vendored Swagger UI on Trygg's own OpenAPI document; kept in a file
// because the Content-Security-Policy allows no inline script.
window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui" });
