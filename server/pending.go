package server

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
)

// pendingKey holds a connection's *pendingConn in its ssh.Context.
type pendingKey struct{}

// pending counts connections that have not yet opened a session (which
// needs a completed sign-in) and bounds how long each may take: a
// connection that says nothing would otherwise hold a descriptor for ever,
// and enough of them lock out a valid admin.
type pending struct {
	timeout time.Duration
	limit   int

	mu sync.Mutex
	n  int
}

// pendingConn is one connection until it opens its first session.
type pendingConn struct {
	net.Conn
	p    *pending
	cut  *time.Timer // closes the connection at the deadline
	once sync.Once
}

// admit is the server's ConnCallback: it refuses the connection (nil) when
// limit connections are already signing in, and otherwise gives it timeout
// to open a session.
func (p *pending) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	p.mu.Lock()
	if p.n >= p.limit {
		p.mu.Unlock()
		return nil
	}
	p.n++
	p.mu.Unlock()
	pc := &pendingConn{Conn: conn, p: p}
	// A timer, not a read deadline: the SSH server resets the
	// connection's deadlines on every read and write.
	pc.cut = time.AfterFunc(p.timeout, pc.expire)
	ctx.SetValue(pendingKey{}, pc)
	return pc
}

func (p *pending) release() {
	p.mu.Lock()
	p.n--
	p.mu.Unlock()
}

// signedIn stops the deadline: the connection has signed in and opened a
// session. Later sessions on it change nothing.
func (c *pendingConn) signedIn() {
	c.once.Do(func() {
		c.cut.Stop()
		c.p.release()
	})
}

// expire runs on the timer's goroutine; it must not touch c.cut, which
// admit may still be assigning.
func (c *pendingConn) expire() {
	c.once.Do(c.p.release)
	_ = c.Conn.Close()
}

func (c *pendingConn) Close() error {
	c.once.Do(func() {
		c.cut.Stop()
		c.p.release()
	})
	return c.Conn.Close()
}

// signedIn tells the connection behind ctx that it has signed in.
func signedIn(ctx context.Context) {
	if pc, ok := ctx.Value(pendingKey{}).(*pendingConn); ok {
		pc.signedIn()
	}
}
