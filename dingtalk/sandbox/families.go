package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// legacyError is a legacy-family failure: HTTP 200 with errcode != 0.
type legacyError struct {
	code    int
	subCode string
	msg     string
}

func errLegacy(code int, msg string) *legacyError { return &legacyError{code: code, msg: msg} }

// params are a legacy request's parameters. The official SDK sends scalars
// as JSON strings ("agent_id":"123") and curl samples send forms, so every
// accessor accepts a number or its string form.
type params map[string]any

func (p params) has(k string) bool { _, ok := p[k]; return ok && p[k] != nil }

func (p params) str(k string) string {
	switch v := p[k].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// int64 returns the parameter as an integer; ok is false when it is absent
// or not a whole number.
func (p params) int64(k string) (n int64, ok bool) {
	switch v := p[k].(type) {
	case json.Number:
		n, err := v.Int64()
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n, err == nil
	}
	return 0, false
}

func (p params) boolean(k string) (b, ok bool) {
	switch v := p[k].(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	return false, false
}

// legacyHandler answers a legacy call with the top-level fields of a
// success ({"result": ...}) or a failure.
type legacyHandler func(x *exchange, p params) (map[string]any, *legacyError)

// legacy registers a legacy-family route needing scope. topLevelTokenErrors
// marks the older non-topapi paths, which report token errors as a
// top-level errcode rather than 88 + sub_code.
func (s *Server) legacy(pattern, scope string, h legacyHandler) {
	topapi := strings.Contains(pattern, "/topapi/")
	s.mux.HandleFunc(pattern, s.serve(pattern, func(x *exchange) {
		p, perr := x.legacyParams()
		token := x.r.URL.Query().Get("access_token")
		if token == "" {
			token = p.str("access_token")
		}
		switch {
		case token == "" && topapi:
			x.legacyError(88, "40000", "access_token is blank")
		case token == "":
			x.legacyError(41001, "", "缺少access_token参数")
		case !s.validToken(token) && topapi:
			x.legacyError(88, "40014", "不合法的access_token")
		case !s.validToken(token):
			x.legacyError(40014, "", "不合法的access_token")
		case s.throttled(pattern):
			x.legacyError(90018, "", defaultErrmsg(90018, ""))
		case s.isDenied(scope):
			x.legacyError(88, "60011", permissionMessage(scope))
		case perr != nil:
			x.legacyError(43009, "", "post参数需要json类型")
		default:
			fields, lerr := func() (map[string]any, *legacyError) {
				s.mu.Lock()
				defer s.mu.Unlock()
				return h(x, p)
			}()
			if lerr != nil {
				x.legacyError(lerr.code, lerr.subCode, lerr.msg)
				return
			}
			out := map[string]any{"errcode": 0, "errmsg": "ok", "request_id": legacyRequestID()}
			for k, v := range fields {
				out[k] = v
			}
			x.writeJSON(http.StatusOK, out)
		}
	}))
}

func (x *exchange) legacyParams() (params, error) {
	p := params{}
	ct := x.r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(x.body))
		if err != nil {
			return p, err
		}
		for k := range form {
			p[k] = form.Get(k)
		}
		return p, nil
	}
	if len(strings.TrimSpace(string(x.body))) == 0 {
		return p, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(x.body)))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return p, err
	}
	return p, nil
}

// legacyError writes DingTalk's legacy failure: gateway errors (88) carry a
// sub_code and a composed errmsg; business errors carry errcode alone.
func (x *exchange) legacyError(code int, subCode, msg string) {
	out := map[string]any{"errcode": code, "request_id": legacyRequestID()}
	if code == 88 && subCode != "" {
		out["sub_code"] = subCode
		out["sub_msg"] = msg
		out["errmsg"] = fmt.Sprintf("ding talk error[subcode=%s,submsg=%s]", subCode, msg)
	} else {
		out["errmsg"] = msg
	}
	x.rec.Errcode = strconv.Itoa(code)
	if subCode != "" {
		x.rec.Errcode += "/" + subCode
	}
	x.writeJSON(http.StatusOK, out)
}

// apiError is a new-family failure: an HTTP status with {code,message}.
type apiError struct {
	status  int
	code    string
	message string
}

func errAPI(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

// apiHandler answers a new-family call with the JSON body of a success.
type apiHandler func(x *exchange) (any, *apiError)

// api registers a new-family route needing scope.
func (s *Server) api(pattern, scope string, h apiHandler) {
	s.mux.HandleFunc(pattern, s.serve(pattern, func(x *exchange) {
		token := x.r.Header.Get("x-acs-dingtalk-access-token")
		switch {
		case token == "":
			x.apiError(http.StatusBadRequest, "AuthenticationFailed.MissingParameter", "缺少参数：x-acs-dingtalk-access-token")
		case !s.validToken(token):
			x.apiError(http.StatusBadRequest, "InvalidAuthentication", "不合法的access_token")
		case s.throttled(pattern):
			x.apiError(http.StatusForbidden, "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi", "您的企业应用调用钉钉开放平台当前接口的所有请求都被暂时禁用了")
		case s.isDenied(scope):
			x.apiError(http.StatusForbidden, "Forbidden.AccessDenied.AccessTokenPermissionDenied", "应用尚未开通所需的权限：["+scope+"]")
		default:
			body, aerr := func() (any, *apiError) {
				s.mu.Lock()
				defer s.mu.Unlock()
				return h(x)
			}()
			if aerr != nil {
				x.apiError(aerr.status, aerr.code, aerr.message)
				return
			}
			x.w.Header().Set("x-acs-request-id", apiRequestID())
			x.writeJSON(http.StatusOK, body)
		}
	}))
}

func (x *exchange) apiError(status int, code, message string) {
	x.rec.Errcode = code
	x.writeJSON(status, map[string]any{"code": code, "message": message, "requestid": apiRequestID()})
}

// decode reads a new-family JSON body into v; an empty body leaves v as is.
func (x *exchange) decode(v any) *apiError {
	if len(strings.TrimSpace(string(x.body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(x.body, v); err != nil {
		return errAPI(http.StatusBadRequest, "paramError", "请求体不是合法的JSON: "+err.Error())
	}
	return nil
}

func (s *Server) isDenied(scope string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.denied[scope]
}

func permissionMessage(scope string) string {
	return "应用尚未开通所需的权限：[" + scope + "]，点击链接申请并开通即可：https://open-dev.dingtalk.com/appscope/apply?content=" +
		CorpID + "%23" + scope + ", {requiredScopes=[" + scope + "]}"
}
