package config

import "path/filepath"

// DefaultStateDir is Roster's state directory from the environment
// ($XDG_STATE_HOME/roster or ~/.local/state/roster), for what has no config
// to say it (the demo); "" when there is no home to put it in.
func DefaultStateDir() string {
	env := osEnv()
	if env.stateDir == "" {
		return ""
	}
	return filepath.Join(env.stateDir, "roster")
}
