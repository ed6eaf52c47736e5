package sandbox

import (
	"encoding/json"
	"sync"
)

// bodyLog keeps the bodies of the create requests a protocol received, so
// tests check a create's wire body as the provider would see it.
type bodyLog struct {
	mu     sync.Mutex
	bodies []json.RawMessage
}

func (l *bodyLog) add(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bodies = append(l.bodies, b)
}

func (l *bodyLog) all() []json.RawMessage {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]json.RawMessage(nil), l.bodies...)
}

// CreateBodies returns the bodies of the create requests served so far
// (POST /crm/users, POST /crm/v2/users, POST /unified/crm/users on any
// integrated account) for a provider kind: "apideck", "zoho" or "truto".
// Refused creates are included; replays of a Truto Idempotency-Key are not
// (the sandbox answers them without reading the body).
func (s *Server) CreateBodies(kind string) []json.RawMessage {
	switch kind {
	case "apideck":
		return s.apideck.creates.all()
	case "zoho":
		return s.zoho.creates.all()
	case "truto":
		return s.truto.creates.all()
	}
	return nil
}
