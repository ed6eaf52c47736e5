#!/usr/bin/env bash
# Renders screenshots of the running app: tmux (120x40) → capture-pane -e →
# aha (ANSI → HTML) → headless Chromium (HTML → PNG).
# Needs: go, tmux, aha, chromium (Debian: apt-get install -y tmux aha chromium).
# Usage: screenshots/make.sh   (from anywhere; writes screenshots/*.png)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
session="roster-shots-$$"
work="$(mktemp -d)"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$repo" && go build -o "$work/roster" .)
tmux new-session -d -s "$session" -x 120 -y 40 \
  "XDG_STATE_HOME='$work/state' TERM=xterm-256color COLORTERM=truecolor '$work/roster' --demo; sleep 5"

# wait_for TEXT: poll the pane until TEXT shows (gives up after ~15 s).
wait_for() {
  for _ in $(seq 1 150); do
    if tmux capture-pane -t "$session" -p | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for: $1" >&2
  tmux capture-pane -t "$session" -p >&2
  exit 1
}
keys() { tmux send-keys -t "$session" "$@"; }
# settle: wait until two captures in a row are equal (animations aside).
settle() {
  local a b
  a="$(tmux capture-pane -t "$session" -p)"
  for _ in $(seq 1 30); do
    sleep 0.1
    b="$(tmux capture-pane -t "$session" -p)"
    [ "$a" = "$b" ] && return 0
    a="$b"
  done
}

# shot NAME [now]: capture the pane with colours and render it to NAME.png
# (now: without waiting for the screen to settle, for a moving progress bar).
shot() {
  [ "${2:-}" = now ] || settle
  tmux capture-pane -t "$session" -e -p > "$work/$1.ans"
  aha --black --title "Roster — $1" < "$work/$1.ans" > "$work/$1.html"
  # a monospace font and no margins, so 120 columns fit the window
  sed -i 's|<head>|<head><style>body{margin:8px;font-family:"DejaVu Sans Mono",monospace;font-size:14px;line-height:1.2}pre{margin:0}</style>|' "$work/$1.html"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --screenshot="$here/$1.png" --window-size=1040,800 "file://$work/$1.html" >/dev/null 2>&1
  echo "wrote screenshots/$1.png"
}

# The demo may open a provider picker first: choose the Apideck one.
wait_for "Roster"
if tmux capture-pane -t "$session" -p | grep -qF "Choose a provider"; then
  keys Enter
fi
wait_for "Email"
wait_for " of "
keys Down Down
shot list

keys Enter
wait_for "Email (primary)"
shot detail

keys e
wait_for "Edit "
for _ in 1 2 3 4; do keys Tab; done # First, Last, Email, Username → Title
wait_for "┃ Title"
keys C-u
keys -l "Head of Customer Happiness"
wait_for "Head of Customer Happiness"
shot edit

keys C-s
wait_for "Save changes to"
shot save

keys Right Enter
wait_for "saved"
keys d
wait_for "Delete this user?"
keys -l "alan.2@"
shot delete

# marks, a bulk edit of the department (preview, progress), one person
keys Escape
wait_for "Email (primary)"
keys Escape
wait_for " of "
keys g
for _ in $(seq 1 25); do keys Space; done
wait_for "25 marked"
shot marks

keys e
wait_for "Edit 25 marked users"
for _ in 1 2 3 4; do keys Tab; done # First, Last, Email, Username → Title
wait_for "┃ Department"
keys -l "Platform"
keys C-s
wait_for "to update"
shot bulk-preview

keys Right Enter
wait_for "Updating 25 users"
sleep 2 # a few writes done, most to go
shot bulk-progress now

wait_for "updated 2"
keys Escape
wait_for " marked"
keys Escape
wait_for "marks cleared"
keys Escape
wait_for "Choose a provider"
keys /
wait_for "One person in every provider"
keys -l "ada.0@example.com"
keys Enter
wait_for "laurel-demo"
for _ in $(seq 1 150); do # every provider answered: no spinner left
  tmux capture-pane -t "$session" -p | grep -qF "searching" || break
  sleep 0.1
done
shot person

# onboard a new person from the picker: the confirmation, then the results
keys Escape
wait_for "Choose a provider"
keys n
wait_for "Onboard a new person"
for f in "Hedy/Last name" "Lamarr/Email" "hedy@example.com/Title" "Inventor/Department" "Research/Create in"; do
  keys -l "${f%%/*}"
  keys Tab
  wait_for "┃ ${f#*/}"
done
keys Enter
wait_for "each provider's own fields"
wait_for "Manager" # Zoho's roles have loaded
keys Down Down Enter
wait_for "┃ zoho-demo: Profile"
keys Down Down Enter
wait_for "Create hedy@example.com in 3 providers?"
shot onboard
keys Right Enter
wait_for "Onboarded hedy@example.com"
shot onboard-results

# the column chooser (Department added) and the : command line completing
keys Escape
wait_for "Choose a provider"
keys Enter
wait_for " of "
keys C
wait_for "Columns of sales"
for _ in $(seq 1 10); do keys j; done
keys Space
wait_for "[x] Department"
shot columns
keys Enter
wait_for "remembered for sales"
keys :
keys -l "sort ti"
wait_for "title"
shot palette
keys Escape

keys C-c
