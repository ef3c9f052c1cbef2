#!/usr/bin/env bash
# The README's test command: installs what is missing, lints the API with
# buf, checks formatting against .clang-format, builds the regular and the
# ASan+UBSan configurations, builds the libFuzzer targets and runs each
# briefly (bench/fuzz/run.sh), and runs the whole suite in both
# configurations against a throwaway PostgreSQL cluster (pg_virtualenv).
# Exits non-zero when anything fails.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
jobs=$(nproc)

deploy/setup.sh

echo "== buf lint"
npx --no-install buf lint
echo "buf lint: ok"

echo "== clang-format"
git ls-files -z '*.cc' '*.h' | xargs -0 clang-format --dry-run --Werror
echo "clang-format: ok"

echo "== build: default (RelWithDebInfo)"
cmake --preset default >/dev/null
cmake --build --preset default -j"$jobs"
echo "== build: asan (ASan + UBSan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"

# A fixed seed and number of runs from the committed seeds: the smoke run is
# the same on every machine (long, time-bound runs: bench/fuzz/run.sh).
echo "== fuzz smoke: build the libFuzzer targets (clang, ASan + UBSan), ${HS_FUZZ_SMOKE_RUNS:-20000} runs each"
bench/fuzz/run.sh all 300 -seed=1 -runs="${HS_FUZZ_SMOKE_RUNS:-20000}"

echo "== tests (throwaway PostgreSQL via pg_virtualenv)"
# Both configurations share one throwaway cluster; each test makes its own
# database in it.
pg_virtualenv -t -o fsync=off bash -c '
  rc=0
  echo "== ctest: default"
  ctest --preset default || rc=1
  echo "== ctest: asan"
  ctest --preset asan || rc=1
  exit $rc
'
