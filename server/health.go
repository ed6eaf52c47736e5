package server

import (
	"encoding/json"
	"net/http"
)

// HealthHandler serves /healthz and /metrics ([ssh] health_listen).
//
// /healthz answers 200 while the server serves, with the audit sink's state
// and each provider's last answer; 503 once it is shutting down (a load
// balancer stops sending new admins). An unreachable audit store is
// reported ("degraded"), not a 503: saves go on, the entries spool.
func (s *Server) HealthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		st := s.audit.Status()
		s.mu.Lock()
		closing, sessions := s.closing, s.active
		s.mu.Unlock()
		body := struct {
			Status    string                   `json:"status"`
			Sessions  int                      `json:"sessions"`
			Audit     auditHealth              `json:"audit"`
			Providers map[string]providerState `json:"providers"`
		}{"ok", sessions, auditHealth{Sink: st.Sink, Reachable: !st.Spooling, SpoolDepth: st.SpoolDepth}, s.metrics.lastStates()}
		code := http.StatusOK
		switch {
		case closing:
			body.Status, code = "shutting down", http.StatusServiceUnavailable
		case st.Spooling:
			body.Status = "degraded"
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(body)
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		st := s.audit.Status()
		s.mu.Lock()
		sessions := s.active
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.metrics.write(w, gauges{sessions: sessions, spoolDepth: st.SpoolDepth, spooling: st.Spooling})
	})
	return mux
}

type auditHealth struct {
	Sink       string `json:"sink"`
	Reachable  bool   `json:"reachable"`
	SpoolDepth int    `json:"spool_depth"`
}
