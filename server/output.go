package server

import (
	"io"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// deadlineWriter bounds every write of session output. An SSH channel write
// blocks while the client's window is full, that is while the client does
// not read; the channel itself has no deadline, so when a write outlasts
// timeout the whole connection is cut, which makes the write (and every
// later one) return an error and lets the session end.
type deadlineWriter struct {
	w       io.Writer
	timeout time.Duration
	cut     func()
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	t := time.AfterFunc(d.timeout, d.cut)
	defer t.Stop()
	return d.w.Write(p)
}

// sessionOutput is where a session's program and renderer write: the
// session, with writes bounded by timeout (none when timeout is 0).
func sessionOutput(sess ssh.Session, timeout time.Duration) io.Writer {
	if timeout <= 0 {
		return sess
	}
	var once sync.Once
	cut := func() {
		once.Do(func() {
			if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(interface{ Close() error }); ok {
				_ = conn.Close()
			}
			_ = sess.Close()
		})
	}
	return deadlineWriter{w: sess, timeout: timeout, cut: cut}
}

// newRenderer is the session's lipgloss renderer. Unlike wish's
// MakeRenderer it asks the client nothing: the colour profile comes from
// the TERM and COLORTERM the client sent, and the background is taken to be
// dark. Asking (an OSC 11 query) means waiting for an answer a client may
// never send, while holding a console slot; reading the answer would also
// race the program for the session's input.
func newRenderer(sess ssh.Session, out io.Writer) *lipgloss.Renderer {
	pty, _, ok := sess.Pty()
	if !ok || pty.Term == "" || pty.Term == "dumb" {
		return lipgloss.NewRenderer(out, termenv.WithProfile(termenv.Ascii))
	}
	env := sshEnviron(append(sess.Environ(), "TERM="+pty.Term))
	r := lipgloss.NewRenderer(out, termenv.WithEnvironment(env), termenv.WithUnsafe())
	r.SetHasDarkBackground(true)
	return r
}

// sshEnviron is the client's environment as termenv reads it.
type sshEnviron []string

func (e sshEnviron) Environ() []string { return e }

func (e sshEnviron) Getenv(k string) string {
	for _, v := range e {
		if len(v) > len(k) && v[:len(k)+1] == k+"=" {
			return v[len(k)+1:]
		}
	}
	return ""
}
