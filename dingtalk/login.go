package dingtalk

import (
	"context"
	"net/url"
)

// LoginService signs people in with their own DingTalk account (OAuth 2.0
// for an internal app): the sign-in page, the exchange of its authCode for
// the person's user token, and who that person is.
type LoginService service

var (
	userTokenEndpoint = &endpoint{family: apiFamily, method: "POST", path: "/v1.0/oauth2/userAccessToken", anonymous: true}
	meEndpoint        = &endpoint{family: apiFamily, method: "GET", path: "/v1.0/contact/users/me", idempotent: true}
)

// LoginScope is what the sign-in asks for: the person's identity only.
// "openid corpid" would also make them pick an organisation, which an
// internal app, bound to one, does not need.
const LoginScope = "openid"

// AuthorizeURL returns the address of DingTalk's sign-in page for the app.
// After consent DingTalk sends the browser to redirectURI with authCode
// and state; on refusal, with error and state.
//
// DingTalk: GET https://login.dingtalk.com/oauth2/auth (a browser page).
// redirectURI must be registered in the app's security settings.
func (s *LoginService) AuthorizeURL(redirectURI, state string) string {
	q := url.Values{
		"redirect_uri":  {redirectURI},
		"response_type": {"code"},
		"client_id":     {s.client.tokens.appKey},
		"scope":         {LoginScope},
		"prompt":        {"consent"},
		"state":         {state},
	}
	return s.client.loginBase + "/oauth2/auth?" + q.Encode()
}

// UserToken is a signed-in person's DingTalk token. It acts as that person
// at DingTalk: it must never leave the server.
type UserToken struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	// ExpireIn is the access token's lifetime in seconds (DingTalk spells
	// it expireIn).
	ExpireIn int64  `json:"expireIn"`
	CorpID   string `json:"corpId"`
}

// ExchangeCode turns the authCode that DingTalk's sign-in page returned
// into the person's user token. A code works once.
//
// DingTalk: POST /v1.0/oauth2/userAccessToken (grantType
// authorization_code, no token header). Not idempotent: the code is spent.
func (s *LoginService) ExchangeCode(ctx context.Context, authCode string) (*UserToken, error) {
	return s.userToken(ctx, map[string]string{"grantType": "authorization_code", "code": authCode})
}

// Refresh renews a person's user token with its refresh token. DingTalk
// may rotate the refresh token (UNVERIFIED): keep the one returned
// whenever it is not empty.
//
// DingTalk: POST /v1.0/oauth2/userAccessToken (grantType refresh_token).
// Not idempotent.
func (s *LoginService) Refresh(ctx context.Context, refreshToken string) (*UserToken, error) {
	return s.userToken(ctx, map[string]string{"grantType": "refresh_token", "refreshToken": refreshToken})
}

func (s *LoginService) userToken(ctx context.Context, body map[string]string) (*UserToken, error) {
	body["clientId"], body["clientSecret"] = s.client.tokens.appKey, s.client.tokens.appSecret
	var out UserToken
	if err := s.client.do(ctx, &call{ep: userTokenEndpoint, body: body}, &out); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, (&Error{Endpoint: userTokenEndpoint.name(), HTTPStatus: 200, Kind: KindTransient}).describe(phrasef("DingTalk issued no user token"))
	}
	if out.ExpireIn <= 0 {
		out.ExpireIn = 7200 // DingTalk's documented lifetime
	}
	return &out, nil
}

// Me is the signed-in person as DingTalk describes them to themselves.
// It carries no userId: look that up with Users.UserIDByUnionID.
type Me struct {
	Nick      string `json:"nick"`
	AvatarURL string `json:"avatarUrl"`
	OpenID    string `json:"openId"`
	UnionID   string `json:"unionId"`
	Email     string `json:"email"`
}

// Me returns the person whose user token is given. The app's own token is
// refused by DingTalk here.
//
// DingTalk: GET /v1.0/contact/users/me with the user token in
// x-acs-dingtalk-access-token; needs Contact.User.Read. Idempotent.
func (s *LoginService) Me(ctx context.Context, userToken string) (*Me, error) {
	var out Me
	if err := s.client.do(ctx, &call{ep: meEndpoint, userToken: userToken}, &out); err != nil {
		return nil, err
	}
	if out.UnionID == "" {
		return nil, (&Error{Endpoint: meEndpoint.name(), HTTPStatus: 200, Kind: KindTransient}).describe(phrasef("DingTalk named no unionId for the signed-in person"))
	}
	return &out, nil
}
