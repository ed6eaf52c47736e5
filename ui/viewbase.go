package ui

import "context"

// viewBase is what every view repeats: its number (async results are
// addressed by it), the context its requests run under, and its size. Views
// embed it; those that lay something out on resize or hold more to cancel
// define their own SetSize or Close and call the base's.
type viewBase struct {
	c      *Common
	id     int
	ctx    context.Context
	cancel context.CancelFunc
	w, h   int
}

// newViewBase numbers a new view and gives it a context that ends with the
// program or when the view closes.
func newViewBase(c *Common) viewBase {
	ctx, cancel := context.WithCancel(c.ctx)
	c.nextID++
	return viewBase{c: c, id: c.nextID, ctx: ctx, cancel: cancel}
}

// ID is the view's number.
func (v *viewBase) ID() int { return v.id }

// Close cancels the view's requests; the root calls it on pop.
func (v *viewBase) Close() { v.cancel() }

// SetSize records the body size the view draws in.
func (v *viewBase) SetSize(w, h int) { v.w, v.h = w, h }
