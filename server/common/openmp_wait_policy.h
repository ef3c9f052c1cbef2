// XGBoost's OpenMP threads busy-wait between parallel regions by default,
// which on cores shared with the server, PostgreSQL and the other fleet
// workers made training 5× slower in wall time (29 s instead of 6 s,
// measured on the 2-core machine). libgomp reads OMP_WAIT_POLICY once, when
// it is loaded — before main — so the binaries re-execute themselves with it
// set.
#pragma once

namespace horizonscale::server {

// When OMP_WAIT_POLICY is unset: sets it to "passive" and re-executes the
// running binary with `argv` (does not return on success). Returns when the
// variable was already set or the re-execution failed (the process then goes
// on with OpenMP's default).
void EnsurePassiveOpenMpWaitPolicy(char** argv);

}  // namespace horizonscale::server
