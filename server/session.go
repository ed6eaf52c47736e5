package server

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/stack"
	"github.com/roster-tui/roster/state"
	"github.com/roster-tui/roster/ui"
)

// sessionKey holds a session's *sessionState in its ssh.Context.
type sessionKey struct{}

// sessionState is what the middlewares of one session hand each other.
type sessionState struct {
	id        Identity
	connected time.Time    // when the session was opened: the idle clock starts here
	prog      *tea.Program // nil until the program is built
	idle      *idleModel   // nil without an idle timeout
}

// gate admits a session: the key it authenticated with must be listed (the
// public-key callback may have seen other keys offered), it must ask for the
// console rather than a command, and there must be room.
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		signedIn(sess.Context())
		id, ok := s.keys.Load().lookup(sess.PublicKey())
		if !ok {
			s.logger.Warn("refused: key not listed", "remote", sess.RemoteAddr().String())
			wish.Fatalln(sess, "roster: this key is not allowed here")
			return
		}
		if id.NoConsole {
			s.logger.Info("refused: key options forbid a terminal", "user", id.Name, "remote", sess.RemoteAddr().String())
			wish.Fatalln(sess, "roster: this key's options (restrict or no-pty) do not allow the console")
			return
		}
		if len(sess.Command()) > 0 || sess.Subsystem() != "" {
			s.logger.Info("refused a command", "user", id.Name, "remote", sess.RemoteAddr().String())
			wish.Fatalln(sess, "roster: this server only offers the console; connect without a command (ssh -t …)")
			return
		}
		if msg := s.admit(); msg != "" {
			wish.Fatalln(sess, "roster: "+msg)
			return
		}
		defer s.handlers.Done()
		// The slot is free as soon as the connection ends, even while the
		// handler is still unwinding (a write in flight, the program
		// stopping).
		free := sync.OnceFunc(s.leave)
		defer free()
		finished := make(chan struct{})
		defer close(finished)
		go func() {
			select {
			case <-sess.Context().Done():
				free()
			case <-finished:
			}
		}()
		s.logger.Info("session", "user", id.Name, "role", id.Role, "key", id.Fingerprint, "remote", sess.RemoteAddr().String())
		sess.Context().SetValue(sessionKey{}, &sessionState{id: id, connected: time.Now()})
		next(sess)
	}
}

// admit counts a session in; it says why when it cannot.
func (s *Server) admit() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return "the server is shutting down"
	}
	limit := s.cfg.SSH.MaxSessions
	if limit <= 0 {
		limit = config.DefaultSSHMaxSessions
	}
	if s.active >= limit {
		return fmt.Sprintf("the console is full (max_sessions = %d); try again later", limit)
	}
	s.active++
	s.handlers.Add(1)
	return ""
}

// leave frees the session's slot; handlers.Done is the handler's own.
func (s *Server) leave() {
	s.mu.Lock()
	s.active--
	s.mu.Unlock()
	if s.slotFreed != nil {
		s.slotFreed()
	}
}

// program builds the session's own Bubble Tea program: its renderer (the
// client's colours), its window size, and the providers guarded for its user.
func (s *Server) program(sess ssh.Session) *tea.Program {
	st, ok := sess.Context().Value(sessionKey{}).(*sessionState)
	if !ok {
		return nil // not admitted by the gate
	}
	pty, _, _ := sess.Pty()
	out := sessionOutput(sess, s.cfg.SSH.Write)
	renderer := newRenderer(sess, out)
	var model tea.Model = ui.New(ui.Options{
		Providers:   s.sessionProviders(st.id, sess.RemoteAddr().String()),
		AuditStatus: func() string { return s.audit.Status().String() },
		PageSize:    s.cfg.PageSize,
		Preferred:   s.cfg.DefaultProvider,
		Renderer:    renderer,
		Who:         st.id.Name,
		Role:        string(st.id.Role),
		Width:       pty.Window.Width,
		Height:      pty.Window.Height,
		// The look and keys are the config's, on this session's renderer:
		// the client's NO_COLOR and colour support apply per session.
		Theme:    sessionTheme(sess, renderer, s.cfg),
		Bindings: s.cfg.Keys,
		Mouse:    s.cfg.Mouse,
		// The config's views, and the user's own state file: their
		// columns and saved views come back in their next session.
		State: s.userState(st.id),
		Views: s.cfg.ConsoleViews(),
	})
	if d := s.cfg.SSH.Idle; d > 0 {
		st.idle = newIdleModel(model, d, st.connected, time.Now)
		model = st.idle
	}
	opts := []tea.ProgramOption{
		tea.WithInput(sess),
		tea.WithOutput(out),
		tea.WithAltScreen(),
		// The process's signals are the server's (graceful shutdown), not
		// every session's. Panic catching stays on: one session's panic
		// must not take the server down.
		tea.WithoutSignalHandler(),
	}
	if s.cfg.Mouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	st.prog = tea.NewProgram(model, opts...)
	s.mu.Lock()
	s.sessions[st.prog] = struct{}{}
	s.mu.Unlock()
	return st.prog
}

// userState opens the state file of the session's user — the
// [[ssh.users]] name the key signed in as, never the name typed in
// ssh user@host — in the server's state directory (state.SSHUserFile), so
// that their columns and saved views come back in their next session and
// no other user sees or changes them.
//
// Each session opens the file on its own. Two sessions of one user at once
// both write it, each change under the file's lock to the file as it is on
// disk, replaced whole: a change to one provider's columns is the last one
// made, views of different names are both kept, a view saved twice under
// one name is the last save. A session sees the other's changes when it
// next starts (or writes the file itself).
//
// A file that does not read is logged and left alone: the session then
// keeps no state, as before, rather than write over it.
func (s *Server) userState(id Identity) *state.Store {
	if s.cfg.StateDir == "" {
		return nil
	}
	st, err := state.Open(filepath.Join(s.cfg.StateDir, state.SSHUserFile(id.Name)))
	if err != nil {
		s.logger.Warn("state file: columns and saved views will not be remembered this session", "user", id.Name, "err", err)
		return nil
	}
	return st
}

// sessionCacheUsers bounds one session's page cache. The local console's
// default (pagecache.DefaultMaxUsers) is sized for one process; a server
// holds up to max_sessions caches at once (50 by default), and paging back
// over the last few dozen pages is what the cache is for.
const sessionCacheUsers = 2000

// sessionProviders builds the provider stack (crm/stack) of every provider
// for one person: guarded for their role and the provider's read_only,
// audited under their name and key, counted so that shutdown lets their
// changes finish, and given a page cache of the session's own.
//
// The cache is per session, never shared: a cache holds what its guard
// answered, and sessions differ in role. Writes by colleagues in other
// sessions do not empty it; their changes show after a refresh, a new
// search or a view the session has not cached, as with the local console.
func (s *Server) sessionProviders(id Identity, addr string) []crm.Provider {
	who := audit.Who{Name: id.Name, Fingerprint: id.Fingerprint, Via: "ssh", Addr: addr}
	out := make([]crm.Provider, len(s.providers))
	for i, p := range s.providers {
		pc := s.cfg.Providers[s.cfg.Order[i]]
		out[i] = stack.Build(p, stack.Options{Role: id.Role, ReadOnly: pc.ReadOnly,
			Audit: s.audit, Who: who, CacheUsers: sessionCacheUsers, Writes: &s.writes,
			Limiter: s.metrics.limiter(pc.Name, s.limits.For(pc.Account(), pc.Limits()))})
	}
	return out
}

// farewell runs once the program has ended: it forgets the program and
// tells the person why the console closed when it was not their choice.
func (s *Server) farewell(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st, ok := sess.Context().Value(sessionKey{}).(*sessionState)
		if ok && st.prog != nil {
			s.mu.Lock()
			delete(s.sessions, st.prog)
			closing := s.closing
			s.mu.Unlock()
			switch {
			case closing:
				wish.Println(sess, "roster: the server is shutting down\r")
			case st.idle != nil && st.idle.expired:
				wish.Printf(sess, "roster: closed after %s without a key press\r\n", s.cfg.SSH.Idle)
			}
		}
		next(sess)
	}
}
