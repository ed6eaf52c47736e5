package server

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
)

// console runs the session's program. It replaces wish's bubbletea
// middleware, which passes every window change to the program with a
// blocking Send: when the client stops reading, the program blocks in its
// renderer's write, the Send blocks, the session's request loop blocks on
// the next window change, and the SSH connection's read loop blocks behind
// it, so it never notices the client hanging up and the write never fails.
// Here window changes never block (only the latest size waits for the
// program), and the program is killed as soon as the connection ends.
func (s *Server) console(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		prog := s.program(sess)
		if prog == nil {
			next(sess)
			return
		}
		_, windows, ok := sess.Pty()
		if !ok {
			wish.Fatalln(sess, "roster: the console needs a terminal (ssh -t …)")
			return
		}
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		latest := make(chan ssh.Window, 1)
		go keepLatestWindow(windows, latest)
		go func() {
			for {
				select {
				case <-ctx.Done():
					// The connection (or the program) ended: nothing
					// the program still writes can reach anyone.
					prog.Kill()
					return
				case w := <-latest:
					prog.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
				}
			}
		}()
		if _, err := prog.Run(); err != nil && ctx.Err() == nil {
			s.logger.Warn("console ended with an error", "err", err)
		}
		next(sess)
	}
}

// keepLatestWindow drains window changes as fast as the client sends them
// and keeps only the newest for the program. It stops only when the session
// closes the channel, never earlier: an unread window change would block
// the session's request loop and, behind it, the connection's read loop.
func keepLatestWindow(windows <-chan ssh.Window, latest chan ssh.Window) {
	for w := range windows {
		select { // this is the only sender: after the drain, the send cannot block
		case <-latest:
		default:
		}
		latest <- w
	}
}
