package audit_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openPostgres(t *testing.T, dsn string, o audit.PostgresOptions) *audit.Postgres {
	t.Helper()
	if o.Spool == "" {
		o.Spool = filepath.Join(t.TempDir(), "spool.jsonl")
	}
	sink, err := audit.OpenPostgres(dsn, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	return sink
}

// count returns how many rows the audit table holds, and how many ids.
func count(t *testing.T, dsn string) (rows, ids int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT id) FROM roster_audit`).Scan(&rows, &ids); err != nil {
		t.Fatal(err)
	}
	return rows, ids
}

func TestPostgresAppendsAndReadsWithFilters(t *testing.T) {
	dsn := pgtest.DSN(t)
	a := openPostgres(t, dsn, audit.PostgresOptions{})
	b := openPostgres(t, dsn, audit.PostgresOptions{}) // a second instance: the schema is there already
	day := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, e := range []audit.Entry{
		{Time: day, Who: ana, Provider: "zoho", UserID: "1", Action: "update", Result: audit.ResultOK, Instance: "h1:1"},
		{Time: day.Add(time.Hour), Who: ana, Provider: "truto", UserID: "2", Action: "delete", Result: audit.ResultOK, Run: "r1"},
		{Time: day.Add(2 * time.Hour), Who: audit.Who{Name: "bo"}, Provider: "zoho", UserID: "3", Action: "update", Result: audit.ResultError,
			After: map[string]any{"note": "nul \x00 and \u202e"}},
	} {
		sink := []*audit.Postgres{a, b}[i%2]
		if err := sink.Append(&e); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, c := range []struct {
		f    audit.Filter
		want []string // user ids
	}{
		{audit.Filter{}, []string{"1", "2", "3"}},
		{audit.Filter{Provider: "zoho"}, []string{"1", "3"}},
		{audit.Filter{Action: "delete"}, []string{"2"}},
		{audit.Filter{Run: "r1"}, []string{"2"}},
		{audit.Filter{Who: "bo"}, []string{"3"}},
		{audit.Filter{Since: day.Add(time.Hour)}, []string{"2", "3"}},
		{audit.Filter{Until: day.Add(time.Hour)}, []string{"1"}},
	} {
		got, err := a.ReadRaw(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range got {
			ids = append(ids, e.UserID)
		}
		if len(ids) != len(c.want) || (len(ids) > 0 && ids[0] != c.want[0]) || (len(ids) > 1 && ids[len(ids)-1] != c.want[len(c.want)-1]) {
			t.Errorf("filter %+v: users %v, want %v", c.f, ids, c.want)
		}
	}
	all, _ := b.ReadRaw(ctx, audit.Filter{})
	if all[0].Instance != "h1:1" || all[1].Instance != a.Instance() || all[2].After["note"] != "nul \x00 and \u202e" {
		t.Errorf("entries not kept as written: %+v", all)
	}
}

func TestPostgresReshippingAnEntryStoresItOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	spool := filepath.Join(t.TempDir(), "spool.jsonl")
	first := openPostgres(t, dsn, audit.PostgresOptions{Spool: filepath.Join(t.TempDir(), "other.jsonl")})
	e := audit.Entry{Who: ana, Provider: "zoho", UserID: "1", Action: "update", Result: audit.ResultOK}
	if err := first.Append(&e); err != nil {
		t.Fatal(err)
	}
	// A shipper died after inserting and before removing its claimed
	// spool: the same entry waits to be shipped again.
	log, err := audit.Open(spool)
	if err != nil {
		t.Fatal(err)
	}
	again := e
	if err := log.Append(&again); err != nil {
		t.Fatal(err)
	}
	second := openPostgres(t, dsn, audit.PostgresOptions{Spool: spool})
	if err := second.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rows, ids := count(t, dsn); rows != 1 || ids != 1 {
		t.Fatalf("%d rows for %d ids after re-shipping, want 1", rows, ids)
	}
}

func TestPostgresFollowSeesAnotherInstancesEntries(t *testing.T) {
	dsn := pgtest.DSN(t)
	mine := openPostgres(t, dsn, audit.PostgresOptions{})
	theirs := openPostgres(t, dsn, audit.PostgresOptions{})
	old := audit.Entry{Who: ana, Provider: "zoho", UserID: "old", Action: "update", Result: audit.ResultOK}
	if err := mine.Append(&old); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	batches := make(chan []audit.Entry, 10)
	go mine.Follow(ctx, audit.Filter{Provider: "zoho"}, func(es []audit.Entry, _ error) error {
		batches <- es
		return nil
	})
	backlog := <-batches
	if len(backlog) != 1 || backlog[0].UserID != "old" {
		t.Fatalf("backlog %+v", backlog)
	}
	for _, id := range []string{"skip", "new"} {
		prov := map[string]string{"skip": "truto", "new": "zoho"}[id]
		if err := theirs.Append(&audit.Entry{Who: ana, Provider: prov, UserID: id, Action: "update", Result: audit.ResultOK}); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case got := <-batches:
		if len(got) != 1 || got[0].UserID != "new" || got[0].Instance != theirs.Instance() {
			t.Fatalf("followed %+v", got)
		}
	case <-ctx.Done():
		t.Fatal("the other instance's entry never came")
	}
}

// TestPostgresStoppedMidRun: saves go on while PostgreSQL is down, their
// entries wait in the spool, and all arrive once it is back, none twice.
func TestPostgresStoppedMidRun(t *testing.T) {
	cluster := pgtest.Private(t)
	dsn := pgtest.Fresh(t, cluster.DSN())
	sink := openPostgres(t, dsn, audit.PostgresOptions{Timeout: time.Second, Retry: 20 * time.Millisecond})
	p := audit.Wrap(newApideck(t), sink, ana)
	ctx := context.Background()
	page, err := p.List(ctx, crm.PageRequest{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var users []crm.User // Apideck's PATCH needs the user's email
	for _, u := range page.Users {
		if s, _ := u.Value("email").(string); s != "" {
			users = append(users, u)
		}
	}
	if len(users) < 9 {
		t.Fatalf("%d users with an email, want 9", len(users))
	}
	update := func(i int) {
		t.Helper()
		u := users[i]
		if _, err := p.Update(ctx, u.ID, crm.Changes{"title": "Mid " + u.ID}); err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
	}
	for i := range 3 {
		update(i)
	}
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	for i := 3; i < 8; i++ {
		update(i) // the save succeeds; its entries spool
	}
	st := sink.Status()
	if !st.Spooling || st.SpoolDepth != 10 || st.String() != "audit: spooling (PostgreSQL unreachable)" {
		t.Fatalf("status while down: %+v %q", st, st.String())
	}
	if err := cluster.Start(); err != nil {
		t.Fatal(err)
	}
	if err := sink.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	update(8)
	if rows, ids := count(t, dsn); rows != 18 || ids != 18 {
		t.Fatalf("%d rows, %d ids, want 18 (intent and outcome of 9 saves)", rows, ids)
	}
	got, err := audit.ReadSink(ctx, sink, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 9 {
		t.Fatalf("%d changes read, want 9", len(got))
	}
	for _, e := range got {
		if e.Result != audit.ResultOK {
			t.Errorf("change to %s: %s %s", e.UserID, e.Result, e.Error)
		}
	}
	if st := sink.Status(); st.Spooling || st.SpoolDepth != 0 {
		t.Fatalf("still spooling after the restart: %+v", st)
	}
}
