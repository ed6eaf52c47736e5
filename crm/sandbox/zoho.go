package sandbox

// zohoState is the Zoho protocol's state. (Stub: the protocol is not built yet.)
type zohoState struct{}

// mountZoho registers the Zoho protocol's routes on s.mux.
func (s *Server) mountZoho() { s.zoho = &zohoState{} }
