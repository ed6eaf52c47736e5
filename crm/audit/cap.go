package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"unicode/utf8"
)

// MaxValueBytes is the most of one value an entry stores. A longer value
// (its JSON form) is stored as a Cut: its first MaxValueBytes bytes, its
// full length and its SHA-256, so the trail stays readable and small yet
// still proves what was sent.
const MaxValueBytes = 4096

// Cut stands in for a value too long to store whole.
type Cut struct {
	Prefix string `json:"cut_prefix"`
	Length int    `json:"cut_length"` // bytes of the value's JSON form
	SHA256 string `json:"cut_sha256"` // of the value's JSON form
}

// capValues returns m with every value longer than MaxValueBytes cut.
func capValues(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	var out map[string]any
	for k, v := range m {
		data, err := json.Marshal(v)
		if err != nil || len(data) <= MaxValueBytes {
			continue
		}
		if out == nil {
			out = make(map[string]any, len(m))
			for k2, v2 := range m {
				out[k2] = v2
			}
		}
		sum := sha256.Sum256(data)
		prefix := data[:MaxValueBytes]
		for len(prefix) > 0 && !utf8.Valid(prefix) { // do not split a character
			prefix = prefix[:len(prefix)-1]
		}
		out[k] = Cut{Prefix: string(prefix), Length: len(data), SHA256: hex.EncodeToString(sum[:])}
	}
	if out == nil {
		return m
	}
	return out
}
