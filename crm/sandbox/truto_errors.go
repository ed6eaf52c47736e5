package sandbox

import (
	"net/http"
	"time"
)

// trutoNotFound is the answer for an id the CRM does not hold: a remote 404.
func trutoNotFound(id string) trutoAnswer {
	return trutoAnswer{http.StatusNotFound, trutoErrorBody(http.StatusNotFound, "Resource not found",
		map[string]any{"truto_is_remote_error": true, "raw_response": map[string]any{"error": "not_found", "id": id}})}
}

// trutoErrorBody is Truto's error body {statusCode, error, message, details?}
// plus extra keys (truto_is_remote_error, raw_response, details).
func trutoErrorBody(status int, message string, extra map[string]any) map[string]any {
	b := map[string]any{"statusCode": status, "error": http.StatusText(status), "message": message}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func trutoError(w http.ResponseWriter, status int, message string, extra map[string]any) {
	writeJSON(w, status, trutoErrorBody(status, message, extra))
}

// trutoForcedError writes injected errors. A 401 is made a remote error: the
// case Roster must explain ("the connected account needs re-authorising");
// other 5xx except 503 (a blocked account, Truto's own) come from the CRM too.
func trutoForcedError(w http.ResponseWriter, _ *http.Request, status int, message string, _ time.Duration) {
	var extra map[string]any
	if status == http.StatusUnauthorized || (status >= 500 && status != http.StatusServiceUnavailable) {
		extra = map[string]any{"truto_is_remote_error": true, "raw_response": map[string]any{"message": message}}
	}
	trutoError(w, status, message, extra)
}
