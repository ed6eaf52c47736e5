package sandbox

// laurelState is the Laurel protocol's state. (Stub: the protocol is not built yet.)
type laurelState struct{}

// mountLaurel registers the Laurel protocol's routes on s.mux.
func (s *Server) mountLaurel() { s.laurel = &laurelState{} }
