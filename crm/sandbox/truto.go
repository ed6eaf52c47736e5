package sandbox

// trutoState is the Truto protocol's state. (Stub: the protocol is not built yet.)
type trutoState struct{}

// mountTruto registers the Truto protocol's routes on s.mux.
func (s *Server) mountTruto() { s.truto = &trutoState{} }
