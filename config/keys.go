package config

import (
	"maps"
	"slices"
	"strings"
)

// Keys are a provider entry's kind-specific keys (api_key, client_id…), by
// name: the registry entry of the kind declares them, so the entry needs no
// struct field per key. The loader and NewProvider fill them; copies of a
// Provider share them, so nothing writes to them after that.
type Keys struct {
	m map[string]keyValue
}

// keyValue is one key as the file wrote it (a secret's reference) and what it
// means (a secret's resolved value; any other key, the same text).
type keyValue struct {
	written, value string
	secret         bool
}

// set records key as written, meaning value.
func (k *Keys) set(key, written, value string, secret bool) {
	if k.m == nil {
		k.m = map[string]keyValue{}
	}
	k.m[key] = keyValue{written: written, value: value, secret: secret}
}

// String lists the keys set, secrets redacted, so that printing a Provider
// (%v, %+v) never shows a secret.
func (k Keys) String() string {
	names := slices.Sorted(maps.Keys(k.m))
	parts := make([]string, 0, len(names))
	for _, name := range names {
		v := k.m[name]
		if v.secret {
			parts = append(parts, name+"=[redacted]")
		} else {
			parts = append(parts, name+"="+v.value)
		}
	}
	return "{" + strings.Join(parts, " ") + "}"
}

// GoString redacts the same way for %#v.
func (k Keys) GoString() string { return "config.Keys" + k.String() }

// Value is what key means for the provider: a secret's resolved value, any
// other key as the file wrote it ("" when unset). Every kind's Open reads its
// keys here.
func (p Provider) Value(key string) string {
	if v, ok := p.Keys.m[key]; ok {
		return v.value
	}
	return p.written(key)
}
