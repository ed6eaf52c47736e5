package server

import (
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// agentRequest is OpenSSH's agent-forwarding request (ssh -A).
const agentRequest = "auth-agent-req@openssh.com"

// withoutAgentForwarding answers agent-forwarding requests "refused". The
// SSH library answers them "ok" itself, which tells the client its agent
// is available to the server; Roster never uses it.
func withoutAgentForwarding() ssh.Option {
	return func(srv *ssh.Server) error {
		if srv.ChannelHandlers == nil {
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{}
		}
		srv.ChannelHandlers["session"] = func(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
			ssh.DefaultSessionHandler(srv, conn, refusingAgent{ch}, ctx)
		}
		return nil
	}
}

// refusingAgent is a session channel whose agent requests are refused
// before the session sees them.
type refusingAgent struct{ gossh.NewChannel }

func (c refusingAgent) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		for r := range reqs {
			if r.Type == agentRequest {
				if r.WantReply {
					_ = r.Reply(false, nil)
				}
				continue
			}
			out <- r
		}
	}()
	return ch, out, nil
}
