package sandbox

import (
	"encoding/json"
	"net/http"
	"time"
)

// ControlPrefix is the path under which a standalone sandbox lets tests in
// other processes read its request log and inject faults. DingTalk has no
// such path, so no client call can reach it by mistake.
const ControlPrefix = "/_sandbox/"

// ControlHandler serves the sandbox's test controls as JSON:
//
//	GET  /_sandbox/requests  every request received, with its body
//	POST /_sandbox/faults    inject a Fault, given as JSON
//	POST /_sandbox/reset     forget the request log and every fault
//
// It is meant for a standalone sandbox on a loopback address; the
// in-process sandbox of --sandbox does not serve it.
func (s *Server) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ControlPrefix+"requests", func(w http.ResponseWriter, _ *http.Request) {
		reqs := s.Requests()
		out := controlLog{TokensIssued: s.TokensIssued(), Requests: make([]controlRequest, len(reqs))}
		for i, r := range reqs {
			out.Requests[i] = controlRequest{Time: r.Time, API: r.API, Status: r.Status, Errcode: r.Errcode, Body: string(r.Body)}
		}
		writeControl(w, http.StatusOK, out)
	})
	mux.HandleFunc("POST "+ControlPrefix+"faults", func(w http.ResponseWriter, r *http.Request) {
		var f controlFault
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			writeControl(w, http.StatusBadRequest, map[string]string{"error": "a fault is a JSON object of Fault's fields: " + err.Error()})
			return
		}
		s.Inject(Fault{API: f.API, Times: f.Times, Errcode: f.Errcode, SubCode: f.SubCode, Errmsg: f.Errmsg,
			Status: f.Status, Code: f.Code, Message: f.Message, HTML: f.HTML, Body: f.Body,
			Delay: time.Duration(f.DelayMillis) * time.Millisecond, ResetBeforeRead: f.ResetBeforeRead, ResetAfterApply: f.ResetAfterApply})
		writeControl(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("POST "+ControlPrefix+"reset", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetLog()
		s.ClearFaults()
		writeControl(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	return mux
}

// The control API's wire structs, kept apart from Fault and Request so
// that their JSON names are chosen here, once.
type controlLog struct {
	TokensIssued int              `json:"tokensIssued"`
	Requests     []controlRequest `json:"requests"`
}

type controlRequest struct {
	Time    time.Time `json:"time"`
	API     string    `json:"api"`
	Status  int       `json:"status"`
	Errcode string    `json:"errcode,omitempty"`
	Body    string    `json:"body,omitempty"`
}

type controlFault struct {
	API             string `json:"api"`
	Times           int    `json:"times"`
	Errcode         int    `json:"errcode"`
	SubCode         string `json:"subCode"`
	Errmsg          string `json:"errmsg"`
	Status          int    `json:"status"`
	Code            string `json:"code"`
	Message         string `json:"message"`
	HTML            bool   `json:"html"`
	Body            string `json:"body"`
	DelayMillis     int    `json:"delayMillis"`
	ResetBeforeRead bool   `json:"resetBeforeRead"`
	ResetAfterApply bool   `json:"resetAfterApply"`
}

func writeControl(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
