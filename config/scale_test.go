package config

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// manyProviders is a config of n Apideck providers.
func manyProviders(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[providers.p%d]\nkind = \"apideck\"\napi_key = \"env:APIDECK_KEY\"\napp_id = \"a\"\nconsumer_id = \"c\"\n\n", i)
	}
	return []byte(b.String())
}

// BenchmarkLoadProviders: loading is linear in the providers (README,
// "Configuration at scale").
func BenchmarkLoadProviders(b *testing.B) {
	for _, n := range []int{2000, 4000, 8000} {
		doc := manyProviders(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := parse("roster.toml", doc, testEnv(map[string]string{"APIDECK_KEY": "k"})); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestLoadingStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	env := testEnv(map[string]string{"APIDECK_KEY": "k"})
	env.ctx = ctx
	_, err := parse("roster.toml", manyProviders(50), env)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled load returned %v, want context.Canceled", err)
	}
}
