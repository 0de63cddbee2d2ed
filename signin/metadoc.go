package signin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// A client ID metadata document is a client's description of itself,
// published at the URL that serves as its client_id
// (draft-ietf-oauth-client-id-metadata-document). Fetching it is a
// request to an address that a stranger chose, so it is held to strict
// limits: HTTPS to a public address only, no redirects, a small body, a
// short time, and a document that names itself.
const (
	maxMetadocBytes = 5 << 10
	metadocTimeout  = 5 * time.Second
	// metadocTTL is how long a fetched document is trusted before it is
	// fetched again.
	metadocTTL = 10 * time.Minute
)

// publicHTTPSClient reaches only public unicast addresses, checked on the
// address actually dialled (so a name that resolves to 127.0.0.1 or
// 169.254.169.254 cannot reach inside), and never follows a redirect.
func publicHTTPSClient() *http.Client {
	dialer := &net.Dialer{Timeout: metadocTimeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip := net.ParseIP(host)
		if ip == nil || !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
			return fmt.Errorf("address %s is not public", host)
		}
		return nil
	}}
	return &http.Client{
		Timeout:       metadocTimeout,
		Transport:     &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: metadocTimeout, ResponseHeaderTimeout: metadocTimeout},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// metadataDocument returns the client that the document at id describes,
// from the store if it was fetched lately.
func (s *Server) metadataDocument(ctx context.Context, id string) (*client, *oauthError) {
	u, err := url.Parse(id)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.Path == "" || u.Path == "/" || u.Fragment != "" || u.User != nil {
		// Plain http is allowed only when a test gives its own fetcher
		// for a loopback server.
		if !(err == nil && u.Scheme == "http" && isLoopbackHost(u.Hostname()) && s.cfg.MetadataClient != nil && u.Path != "") {
			return nil, errInvalidClient("a URL client_id must be an https URL with a path, naming the client's metadata document")
		}
	}
	key := keyMetadoc + hash(id)
	var c client
	if err := s.get(ctx, key, &c); err == nil {
		return &c, nil
	}
	doc, e := s.fetchMetadataDocument(ctx, id)
	if e != nil {
		s.log.WarnContext(ctx, "signin: client metadata document refused", "client_id", id, "reason", e.Description)
		return nil, e
	}
	c = client{ID: id, Name: doc.ClientName, RedirectURIs: doc.RedirectURIs}
	if err := s.put(ctx, key, c, metadocTTL); err != nil {
		return nil, errServer("the client could not be stored")
	}
	return &c, nil
}

type metadataDoc struct {
	ClientID                string   `json:"client_id"`
	ClientName              string   `json:"client_name"`
	RedirectURIs            []string `json:"redirect_uris"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	ClientSecret            string   `json:"client_secret"`
}

func (s *Server) fetchMetadataDocument(ctx context.Context, id string) (*metadataDoc, *oauthError) {
	ctx, cancel := context.WithTimeout(ctx, metadocTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, id, nil)
	if err != nil {
		return nil, errInvalidClient("client_id is not a URL that can be fetched")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.fetch.Do(req)
	if err != nil {
		msg := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			msg = ue.Err.Error()
		}
		return nil, errInvalidClient("the client's metadata document could not be fetched: " + msg)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errInvalidClient(fmt.Sprintf("the client's metadata document answered HTTP %d, want 200 (redirects are not followed)", resp.StatusCode))
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		return nil, errInvalidClient("the client's metadata document must be served as application/json, got " + resp.Header.Get("Content-Type"))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadocBytes+1))
	if err != nil {
		return nil, errInvalidClient("the client's metadata document could not be read")
	}
	if len(body) > maxMetadocBytes {
		return nil, errInvalidClient(fmt.Sprintf("the client's metadata document is larger than %d bytes", maxMetadocBytes))
	}
	var doc metadataDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, errInvalidClient("the client's metadata document is not a JSON object: " + err.Error())
	}
	switch {
	case doc.ClientID != id:
		return nil, errInvalidClient(fmt.Sprintf("the metadata document's client_id %q is not its own URL %q", doc.ClientID, id))
	case doc.ClientSecret != "":
		return nil, errInvalidClient("a client metadata document must not carry a client_secret")
	case doc.TokenEndpointAuthMethod != "" && doc.TokenEndpointAuthMethod != "none":
		return nil, errInvalidClient("token_endpoint_auth_method must be none: this server has only public clients")
	}
	if e := checkRedirectURIs(doc.RedirectURIs); e != nil {
		return nil, errInvalidClient("the metadata document's " + e.Description)
	}
	return &doc, nil
}
