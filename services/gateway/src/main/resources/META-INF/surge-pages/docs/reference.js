// The API reference: every API behind the gateway, from its aggregate contract. Try-it-out requests go through
// the gateway like any client's; a key for writes is entered under Authorize and kept in this tab only.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  validatorUrl: null,
  tryItOutEnabled: false
});
