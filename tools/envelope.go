package tools

// Envelope is the part of every tool's result that says what happened and
// what to do next. Every output type embeds it, so the fields sit flat
// beside the tool's own.
type Envelope struct {
	StatusCode         int    `json:"StatusCode" jsonschema_description:"200 on success; -1 invalid parameters (nothing was sent to DingTalk); otherwise the class of failure: 400 rejected by DingTalk, 401 credentials, 403 permission, 404 not found, 409 already exists, 429 rate limited, 500 DingTalk or network error, 504 timeout."`
	ErrorMessage       string `json:"ErrorMessage" jsonschema_description:"Empty on success; otherwise what went wrong, with DingTalk's own message."`
	Summary            string `json:"Summary" jsonschema_description:"On success, one sentence saying what happened."`
	Hint               string `json:"Hint" jsonschema_description:"On failure, the next step that would fix it."`
	Retryable          bool   `json:"Retryable" jsonschema_description:"Whether sending the same call again may succeed."`
	OriginalStatusCode int    `json:"OriginalStatusCode" jsonschema_description:"The last HTTP status DingTalk answered; 0 if the call never reached DingTalk."`
	ErrorCode          string `json:"ErrorCode" jsonschema_description:"DingTalk's own error code, e.g. 60121 or 88/60011; empty on success."`
	RequestId          string `json:"RequestId" jsonschema_description:"DingTalk's request id, for support tickets, when it gave one."`
}

func (e *Envelope) envelope() *Envelope { return e }

// enveloped is implemented by every output type through its embedded
// Envelope.
type enveloped interface{ envelope() *Envelope }
