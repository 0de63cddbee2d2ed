package dingtalk

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind classifies a failure by what the caller can do about it.
type Kind int

// The kinds of failure. The zero value, KindUnknown, is a DingTalk error
// that none of the others describes.
const (
	KindUnknown     Kind = iota
	KindInvalid          // DingTalk rejected the parameters
	KindAuth             // credentials or token rejected
	KindPermission       // the app lacks a permission scope, or the IP is not whitelisted
	KindNotFound         // the user, department, node or sheet does not exist
	KindConflict         // the object already exists (mobile in use, name taken)
	KindThrottled        // a rate limit or quota was hit
	KindTransient        // DingTalk busy, 5xx, malformed answer or network failure
	KindTimeout          // no answer in time
	KindUnavailable      // the server's own shared state (the fleet's Redis) could not be reached; nothing was sent
)

var kindNames = [...]string{"unknown", "invalid", "auth", "permission", "not_found", "conflict", "throttled", "transient", "timeout", "unavailable"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// A Reason is a DingTalk error code, or a family of codes, that calls for a
// next step of its own beyond what its Kind says. The client names each
// such code here once; callers act on the name, never on the code.
type Reason string

// The reasons.
const (
	// The server's outbound IP is not on the app's IP whitelist (legacy
	// 60020, or a new-family code containing IpNotInWhiteList).
	ReasonIPNotWhitelisted Reason = "ipNotWhitelisted"
	// The mobile number's owner was invited to join instead of being
	// added: they join once they accept (legacy 40103).
	ReasonInvited Reason = "invited"

	// The document (workbook) APIs' codes.
	ReasonDocumentNotFound     Reason = "documentNotFound"     // invalidRequest.resource.notFound (the workbook, sheet or range), docNotExist (a text document)
	ReasonNotWorkbook          Reason = "notWorkbook"          // invalidRequest.resource.notWorkbook
	ReasonMalformedWorkbookID  Reason = "malformedWorkbookId"  // invalidRequest.inputArgs.workbookIdIllegal
	ReasonMalformedOperatorID  Reason = "malformedOperatorId"  // invalidRequest.inputArgs.operatorIdIllegal or unionIdIllegal
	ReasonDocumentAccessDenied Reason = "documentAccessDenied" // forbidden.accessDenied: the operator may not use the document
	ReasonOtherOrganisation    Reason = "otherOrganisation"    // forbidden.acrossOrg
	ReasonOperationNotAllowed  Reason = "operationNotAllowed"  // forbidden.operationIllegal: e.g. deleting a workbook's last sheet
	ReasonDocumentTooLarge     Reason = "documentTooLarge"     // forbidden.document.sizeOverLimit
	ReasonDocumentInitializing Reason = "documentInitializing" // invalidRequest.document.stillInitializing

	// The robot APIs' codes. DingTalk answers a robot that is not in the
	// group and an app without a published robot alike, so ReasonRobotMissing
	// covers both; RobotService.AppRobotInGroup tells them apart. Which code
	// a robot missing from the group gets is UNVERIFIED: DingTalk's
	// documents point at these four for "check that the robot is in the
	// group" and "robot not installed".
	ReasonRobotMissing      Reason = "robotMissing"      // invalidParameter.robotCode.notExsit or .empty, chatbotNotInstall, resource.not.found
	ReasonRobotOfOtherApp   Reason = "robotOfOtherApp"   // invalidParameter.robotCode.auth, not.allowed.robotCode
	ReasonRobotDisabled     Reason = "robotDisabled"     // bot.stopped, resource.unavailable, send.forbidden, bot.forbidden.sendMessage
	ReasonReadStatusPending Reason = "readStatusPending" // processQueryKey.expireTime: no read data yet, or the key expired
)

// reasons names the codes of both families that have a Reason. Legacy
// codes are looked up as errcode and as the gateway's sub_code.
var reasons = map[string]Reason{
	"60020": ReasonIPNotWhitelisted,
	"40103": ReasonInvited,

	"invalidRequest.resource.notFound":           ReasonDocumentNotFound,
	"invalidRequest.resource.notWorkbook":        ReasonNotWorkbook,
	"invalidRequest.inputArgs.workbookIdIllegal": ReasonMalformedWorkbookID,
	"invalidRequest.inputArgs.operatorIdIllegal": ReasonMalformedOperatorID,
	"invalidRequest.inputArgs.unionIdIllegal":    ReasonMalformedOperatorID,
	"forbidden.accessDenied":                     ReasonDocumentAccessDenied,
	"forbidden.acrossOrg":                        ReasonOtherOrganisation,
	"forbidden.operationIllegal":                 ReasonOperationNotAllowed,
	"forbidden.document.sizeOverLimit":           ReasonDocumentTooLarge,
	"invalidRequest.document.stillInitializing":  ReasonDocumentInitializing,
	"docNotExist": ReasonDocumentNotFound,

	"invalidParameter.robotCode.notExsit": ReasonRobotMissing,
	"invalidParameter.robotCode.empty":    ReasonRobotMissing,
	"chatbotNotInstall":                   ReasonRobotMissing,
	"resource.not.found":                  ReasonRobotMissing,
	"invalidParameter.robotCode.auth":     ReasonRobotOfOtherApp,
	"not.allowed.robotCode":               ReasonRobotOfOtherApp,
	"bot.stopped":                         ReasonRobotDisabled,
	"resource.unavailable":                ReasonRobotDisabled,
	"send.forbidden":                      ReasonRobotDisabled,
	"bot.forbidden.sendMessage":           ReasonRobotDisabled,
	"processQueryKey.expireTime":          ReasonReadStatusPending,
}

// reasonOf returns the Reason of an error's code and sub_code, or "".
func reasonOf(code, subCode string) Reason {
	if r, ok := reasons[subCode]; ok && subCode != "" {
		return r
	}
	if strings.Contains(code, "IpNotInWhiteList") {
		return ReasonIPNotWhitelisted
	}
	return reasons[code]
}

// A Cause is a Kind or a Reason: either can key a table of what to do
// about a failure, the Reason being the more precise.
type Cause interface{ cause() }

func (Kind) cause()   {}
func (Reason) cause() {}

// Error is a failed DingTalk call. Both API families are reported through it:
// the legacy family's errcode (with the gateway's sub_code) and the new
// family's code.
type Error struct {
	Endpoint   string // the endpoint's name, e.g. "topapi/v2/user/get"
	HTTPStatus int    // the last HTTP status seen; 0 if no answer arrived
	Code       string // "60121", "88", "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi"; empty for network errors
	SubCode    string // the legacy gateway's sub_code, e.g. "60011"
	Message    string // DingTalk's message, or the client's own description of the failure
	// Described is Message when the client wrote it (DingTalk gave no
	// message, or no answer), as a Phrase a caller can say in another
	// language; zero when Message is DingTalk's own.
	Described Phrase
	RequestID string
	Kind      Kind
	// Reason names the code when it calls for a next step of its own,
	// beyond what Kind says; it is empty for most failures.
	Reason Reason
	// MaybeSent reports whether the call may have taken effect at DingTalk
	// although it failed: the request was sent but no definite answer came
	// back (network failure, timeout, 5xx, "system busy").
	MaybeSent bool

	err        error         // the underlying network error, if any
	written    bool          // the request was written to the connection
	retryAfter time.Duration // how long DingTalk asks the caller to wait
}

// RetryAfter is how long DingTalk asks the caller to wait before trying
// again, or 0.
func (e *Error) RetryAfter() time.Duration { return e.retryAfter }

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("dingtalk: ")
	b.WriteString(e.Endpoint)
	if code := e.FullCode(); code != "" {
		b.WriteString(": error ")
		b.WriteString(code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.err }

// describe makes p, the client's own words, e's message.
func (e *Error) describe(p Phrase) *Error {
	e.Message, e.Described = p.String(), p
	return e
}

// FullCode is the code as DingTalk's documentation lists it: "88/60011" for
// gateway errors with a sub_code, otherwise Code.
func (e *Error) FullCode() string {
	if e.SubCode != "" {
		return e.Code + "/" + e.SubCode
	}
	return e.Code
}

// Retryable reports whether the same request may succeed if sent again.
func (e *Error) Retryable() bool {
	switch e.Kind {
	case KindThrottled, KindTransient, KindTimeout, KindUnavailable:
		return true
	}
	return false
}

var scopePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:requiredScopes=\[|权限：\[)([A-Za-z0-9_.,\s]+)\]`)
})

// RequiredScope returns the permission scope DingTalk says the app lacks, as
// in "应用尚未开通所需的权限：[qyapi_get_member_by_mobile]", or "".
func (e *Error) RequiredScope() string {
	if m := scopePattern().FindStringSubmatch(e.Message); m != nil {
		return strings.TrimSpace(m[1])
	}
	return ""
}

// KindOf returns the Kind of err, or KindUnknown if err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// legacyKinds classifies the legacy family's errcodes (and the gateway's
// sub_codes, which use the same numbers).
var legacyKinds = map[string]Kind{
	"-1":     KindTransient,
	"22":     KindInvalid,
	"40001":  KindAuth,
	"40014":  KindAuth,
	"40000":  KindAuth,
	"41001":  KindAuth,
	"42001":  KindAuth,
	"40089":  KindAuth,
	"40096":  KindAuth,
	"43007":  KindPermission,
	"60011":  KindPermission,
	"60020":  KindPermission,
	"50002":  KindPermission,
	"50004":  KindPermission,
	"33012":  KindNotFound,
	"40003":  KindNotFound,
	"60121":  KindNotFound,
	"40009":  KindNotFound,
	"60003":  KindNotFound,
	"40016":  KindNotFound,
	"60102":  KindConflict,
	"60104":  KindConflict,
	"90002":  KindThrottled,
	"90018":  KindThrottled,
	"90020":  KindThrottled,
	"143103": KindThrottled,
	"143104": KindThrottled,
	"40035":  KindInvalid,
	"400002": KindInvalid,
	"40056":  KindInvalid,
	"40008":  KindInvalid,
	"60103":  KindInvalid,
	"40031":  KindInvalid,
	"49010":  KindInvalid,
	"49011":  KindInvalid,
	"49013":  KindInvalid,
	"49000":  KindInvalid, // /chat/get without chatid
	"60122":  KindInvalid, // bad extension (extattr) on user create
	"60123":  KindInvalid, // bad job_number on user create
}

// tokenCodes are the legacy codes that mean the access token itself is bad,
// so that one fresh token may fix the call.
var tokenCodes = map[string]bool{"40001": true, "40014": true, "42001": true, "41001": true, "40000": true}

func classifyLegacy(code, subCode string) Kind {
	if code == "88" && subCode != "" {
		if k, ok := legacyKinds[subCode]; ok {
			return k
		}
	}
	if k, ok := legacyKinds[code]; ok {
		return k
	}
	return KindUnknown
}

// classifyAPI classifies the new family's errors by code first and HTTP
// status second. DingTalk throttles with 403 Forbidden.AccessDenied.Qp*
// codes, never 429 on these APIs.
func classifyAPI(status int, code string) Kind {
	if k, ok := apiKinds[code]; ok {
		return k
	}
	lc := strings.ToLower(code)
	switch {
	case strings.HasPrefix(code, "Forbidden.AccessDenied.Qp"), strings.Contains(code, "ApiCountLimit"), lc == "throttling", status == 429:
		return KindThrottled
	case code == "invalidRequest.document.stillInitializing":
		// A new workbook is not ready yet: the same call succeeds later.
		return KindTransient
	case code == "operationTimeout":
		// The wiki v2.0 APIs' 503: DingTalk gave up waiting on itself.
		return KindTimeout
	case code == "InvalidAuthentication", strings.HasPrefix(code, "AuthenticationFailed"), code == "invalidClientIdOrSecret", status == 401:
		return KindAuth
	case strings.HasPrefix(code, "Forbidden"), strings.Contains(lc, "permission"), strings.Contains(lc, "checkfailed"), code == "noPermission", status == 403:
		return KindPermission
	case strings.Contains(lc, "notexist"), strings.Contains(lc, "notfound"), status == 404:
		return KindNotFound
	case strings.Contains(lc, "conflict"), strings.Contains(lc, "exist"):
		return KindConflict
	case status >= 500, lc == "system.busy", lc == "systemerror", lc == "system.error":
		return KindTransient
	case status >= 400:
		return KindInvalid
	}
	return KindUnknown
}

// apiKinds classifies the new-family codes that the word rules of
// classifyAPI would misread: the robot API's dotted phrases and its
// "notExsit".
var apiKinds = map[string]Kind{
	"invalidParameter.robotCode.notExsit": KindNotFound,
	"invalidParameter.robotCode.empty":    KindNotFound,
	"chatbotNotInstall":                   KindNotFound,
	"resource.not.found":                  KindNotFound,
	"group.disbanded":                     KindNotFound,
	"conversation.org.notMatch":           KindNotFound,
	"conversation.org.dismatch":           KindNotFound,
	"invalid.processQueryKey":             KindNotFound,
	"invalidParameter.robotCode.auth":     KindPermission,
	"not.allowed.robotCode":               KindPermission,
	"unauthorized":                        KindPermission,
	"auth.error":                          KindPermission,
	"bot.stopped":                         KindPermission,
	"resource.unavailable":                KindPermission,
	"send.forbidden":                      KindPermission,
	"bot.forbidden.sendMessage":           KindPermission,
	"send.too.fast":                       KindThrottled,
	"send.byToken.tooFast":                KindThrottled,
	"too.many.group":                      KindThrottled,
	"too.many.people":                     KindThrottled,
	// "No read data yet, or the key expired": the first clears with time.
	"processQueryKey.expireTime": KindTransient,
	"unknown.send.result":        KindTransient,
}

// undecidedCodes are 4xx answers that leave open whether the call took
// effect.
var undecidedCodes = map[string]bool{"unknown.send.result": true}

func isTokenError(e *Error) bool {
	if e.Kind != KindAuth {
		return false
	}
	if e.Code == "InvalidAuthentication" {
		return true
	}
	if e.Code == "88" {
		return tokenCodes[e.SubCode]
	}
	return tokenCodes[e.Code]
}

// InvalidArgumentError reports a request that the client refused to send.
type InvalidArgumentError struct {
	Field   string
	Message string
}

func (e *InvalidArgumentError) Error() string {
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}
