package signin

import (
	"net/http"

	"github.com/mark3labs/mcp-go/server"
)

// metadataPath is where RFC 9728 puts protected resource metadata; the
// resource's path (/mcp) is appended for path-qualified lookups.
const metadataPath = server.WellKnownProtectedResourcePath

// ResourceMetadataURL is what a 401 points clients to.
func (s *Server) ResourceMetadataURL() string { return s.issuer + metadataPath + "/mcp" }

func (s *Server) protectedResourceMetadata() http.Handler {
	return server.NewProtectedResourceMetadataHandler(server.ProtectedResourceMetadataConfig{
		Resource:             s.resource,
		AuthorizationServers: []string{s.issuer},
		// A token in a query string or a form body is refused.
		BearerMethodsSupported: []string{"header"},
		ResourceName:           "DingTalk MCP server",
	})
}

// authorizationServerMetadata is RFC 8414's document, with the client ID
// metadata document flag of the MCP authorization spec.
type authorizationServerMetadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	RegistrationEndpoint              string   `json:"registration_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	RevocationAuthMethodsSupported    []string `json:"revocation_endpoint_auth_methods_supported"`
	ClientIDMetadataDocumentSupported bool     `json:"client_id_metadata_document_supported"`
	AuthorizationResponseIssParameter bool     `json:"authorization_response_iss_parameter_supported"`
}

func (s *Server) serveAuthorizationServerMetadata(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, authorizationServerMetadata{
		Issuer:                            s.issuer,
		AuthorizationEndpoint:             s.issuer + "/authorize",
		TokenEndpoint:                     s.issuer + "/token",
		RegistrationEndpoint:              s.issuer + "/register",
		RevocationEndpoint:                s.issuer + "/revoke",
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query"},
		GrantTypesSupported:               []string{"authorization_code", "refresh_token"},
		CodeChallengeMethodsSupported:     []string{"S256"},
		TokenEndpointAuthMethodsSupported: []string{"none"},
		RevocationAuthMethodsSupported:    []string{"none"},
		ClientIDMetadataDocumentSupported: true,
		AuthorizationResponseIssParameter: true,
	})
}
