package ui

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// keyBindings are the config's [keys] remappings: action → keys. An action
// is named as its : command is — its help text as a command name ("load
// all" → load-all) — so a remapped key, the help, the footer and the
// command line all speak of the same thing. A name covers the action on
// every screen that has it (delete in the list and in the detail view).
type keyBindings map[string][]string

// remap rebinds every binding of the key struct keys points to (nested
// structs too, such as the table's movement keys) whose action is
// remapped, and shows the new keys in the help. A nil set changes nothing.
func (kb keyBindings) remap(keys any) {
	if len(kb) == 0 {
		return
	}
	eachBinding(reflect.ValueOf(keys).Elem(), func(b *key.Binding) {
		h := b.Help()
		ks, ok := kb[commandName(h.Desc)]
		if !ok {
			return
		}
		ks = normalKeys(ks)
		b.SetKeys(ks...) // keeps the binding's enabled state
		b.SetHelp(keyLabel(ks), h.Desc)
	})
}

var bindingType = reflect.TypeOf(key.Binding{})

// eachBinding calls fn with every key.Binding field of the struct v,
// depth first. Only exported fields can be set; the key structs have no
// others.
func eachBinding(v reflect.Value, fn func(*key.Binding)) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch {
		case f.Type() == bindingType:
			fn(f.Addr().Interface().(*key.Binding))
		case f.Kind() == reflect.Struct:
			eachBinding(f, fn)
		}
	}
}

// normalKeys spells keys as bubbles matches them: "space" is " ".
func normalKeys(ks []string) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		if k == "space" {
			k = " "
		}
		out[i] = k
	}
	return out
}

// keyLabel is how the help shows keys: "ctrl+l/L", arrows as arrows.
func keyLabel(ks []string) string {
	names := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", " ": "space", "pgdown": "pgdn"}
	out := make([]string, len(ks))
	for i, k := range ks {
		if n, ok := names[k]; ok {
			k = n
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}

// keyScopes are the key tables that are live at once, by the screen's
// name: a key may mean one action per screen (global keys count on every
// screen).
func keyScopes(kb keyBindings) []struct {
	screen string
	tables []any
} {
	g := newGlobalKeys(kb)
	list, marks := newListKeys(kb), newMarkKeys(kb)
	detail, edit, confirm := newDetailKeys(kb), newEditKeys(kb), newConfirmKeys(kb)
	picker, lookup := newPickerKeys(kb), newLookupKeys(kb)
	chooser := newChooserKeys()
	kb.remap(&chooser)
	return []struct {
		screen string
		tables []any
	}{
		{"list", []any{&g, &list, &marks}},
		{"detail", []any{&g, &detail}},
		{"edit form", []any{&g, &edit}},
		{"confirmation", []any{&g, &confirm}},
		{"picker", []any{&g, &picker}},
		{"find by identity", []any{&g, &lookup}},
		{"column chooser", []any{&g, &chooser}},
	}
}

// formOwnActions are shown in the help but driven by huh's own key map
// inside forms (tab moves between fields), so a remapping would show keys
// that do nothing: refused.
var formOwnActions = []string{"next-field", "previous-field", "next-then-find"}

// BindingError is a [keys] entry the console refuses; Action is its key
// in the table, for the config's error position (config.KeyError).
type BindingError struct {
	Action string
	Msg    string
}

func (e BindingError) Error() string { return e.Msg }

// CheckBindings checks the config's [keys]: every action must be one the
// console has, every key one it can read, and no remapped key may be
// another action's on a screen where both are live. Errors come sorted by
// action.
func CheckBindings(keys map[string][]string) []BindingError {
	kb := keyBindings(keys)
	known := map[string]bool{}
	for _, s := range keyScopes(nil) {
		for _, t := range s.tables {
			eachBinding(reflect.ValueOf(t).Elem(), func(b *key.Binding) { known[commandName(b.Help().Desc)] = true })
		}
	}
	var errs []BindingError
	actions := make([]string, 0, len(kb))
	for a := range kb {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	for _, a := range actions {
		if !known[a] {
			names := make([]string, 0, len(known))
			for n := range known {
				if !slices.Contains(formOwnActions, n) {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			errs = append(errs, BindingError{a, fmt.Sprintf("keys: unknown action %q (actions: %s)", a, strings.Join(names, ", "))})
			continue
		}
		if slices.Contains(formOwnActions, a) {
			errs = append(errs, BindingError{a, fmt.Sprintf("keys.%s: the forms' own key (tab / shift+tab / enter) cannot be remapped", a)})
			continue
		}
		for _, k := range normalKeys(kb[a]) {
			if _, ok := keyMsgFor(k); !ok {
				errs = append(errs, BindingError{a, fmt.Sprintf("keys.%s: %q is not a key (write a character, or a name such as ctrl+l, alt+x, enter, f2, pgdown, space)", a, k)})
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	seen := map[string]bool{}
	for _, s := range keyScopes(kb) {
		owner := map[string]string{} // key → action, in this screen
		for _, t := range s.tables {
			eachBinding(reflect.ValueOf(t).Elem(), func(b *key.Binding) {
				a := commandName(b.Help().Desc)
				for _, k := range b.Keys() {
					o, taken := owner[k]
					if !taken {
						owner[k] = a
						continue
					}
					// Defaults may share a key on purpose (esc backs out,
					// clears the filter, cancels a load); only a remapping
					// can make a conflict.
					if o != a && (kb[a] != nil && slices.Contains(normalKeys(kb[a]), k) || kb[o] != nil && slices.Contains(normalKeys(kb[o]), k)) {
						msgKey := o + "\x00" + a + "\x00" + k
						if !seen[msgKey] {
							seen[msgKey] = true
							who := a
							if kb[a] == nil {
								who = o
							}
							errs = append(errs, BindingError{who, fmt.Sprintf("keys: %s and %s are both bound to %s in the %s", o, a, keyLabel([]string{k}), s.screen)})
						}
					}
				}
			})
		}
	}
	slices.SortStableFunc(errs, func(x, y BindingError) int { return strings.Compare(x.Action, y.Action) })
	return errs
}
