package sandbox

// apideckState is the Apideck protocol's state. (Stub: the protocol is not built yet.)
type apideckState struct{}

// mountApideck registers the Apideck protocol's routes on s.mux.
func (s *Server) mountApideck() { s.apideck = &apideckState{} }
