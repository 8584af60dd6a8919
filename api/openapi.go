package api

import _ "embed"

// openapiJSON is the OpenAPI 3.1 description of the API, served on
// /openapi.json. TestOpenAPIMatchesRoutes keeps it true to the routes.
//
//go:embed openapi.json
var openapiJSON []byte
