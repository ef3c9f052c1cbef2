#!/usr/bin/env bash
# hsctl fleet ingest and fleet host end to end, against the real server and
# a fresh PostgreSQL database: a generated fleet CSV streamed in (the
# outcome table, plain progress lines, JSON), a malformed CSV refused with
# nothing of it written, server-side rejections named by file:line, then a
# tournament run and one host's drill-down (chart and JSON), and the exit
# codes of the errors.
# Usage: hsctl_fleet_test.sh HSCTL SERVER_BINARY FLEET_GENERATOR   (needs the PG* env)
set -euo pipefail
hsctl=$1
server_binary=$2
generator=$3
database="hs_hsctl_fleet_$$"
source "$(dirname "${BASH_SOURCE[0]}")/hsctl_server.sh"

"$generator" --hosts=12 --days=400 --seed=5 --csv="$work/fleet.csv" >/dev/null
rows=$(($(wc -l <"$work/fleet.csv") - 1))
[[ $rows -gt 10000 ]] || fail "the generator wrote $rows rows"

# A malformed line after three full messages: usage error naming file:line,
# and the stream cancelled (checked below: the clean ingest replaces nothing).
head -n 3001 "$work/fleet.csv" >"$work/bad.csv"
echo "web-x,cpu,2026-01-01,abc" >>"$work/bad.csv"
sed -n '3002,3100p' "$work/fleet.csv" >>"$work/bad.csv"
out=$(expect 2 fleet ingest "$work/bad.csv" --batch_rows 1000)
grep -q "bad.csv:3002: p95_utilization_percent \"abc\" is not a number" <<<"$out" ||
  fail "malformed line not named: $out"
printf 'host_id,department,app_code,scenario\nweb-y,"ops, east\n' >"$work/bad-hosts.csv"
out=$(expect 2 fleet ingest "$work/fleet.csv" --hosts "$work/bad-hosts.csv")
grep -q "bad-hosts.csv:2: the quoted field at column 7 is not closed" <<<"$out" ||
  fail "malformed hosts line not named: $out"
printf 'host,resource\n' >"$work/no-header.csv"
out=$(expect 2 fleet ingest "$work/no-header.csv")
grep -q "no-header.csv:1: expected the header" <<<"$out" || fail "wrong header not named: $out"
expect 2 fleet ingest "$work/missing.csv" >/dev/null
expect 2 fleet ingest "$work/fleet.csv" --batch_rows 10001 >/dev/null

# The clean ingest (hosts from fleet.csv.hosts.csv): every row accepted, none
# replaced (the malformed streams wrote nothing), progress as plain lines.
out=$(expect 0 fleet ingest "$work/fleet.csv" --batch_rows 5000)
grep -Eq "^rows accepted +$rows$" <<<"$out" || fail "ingest: rows accepted, wanted $rows: $out"
grep -Eq "^rows rejected +0$" <<<"$out" || fail "ingest: rows rejected: $out"
grep -Eq "^hosts upserted +12$" <<<"$out" || fail "ingest: hosts upserted: $out"
grep -Eq "^duplicates replaced +0$" <<<"$out" || fail "ingest: a malformed stream was written: $out"
grep -Eq "^series written +48$" <<<"$out" || fail "ingest: series written: $out"
total=$((rows + 12))
grep -Eq "^$total/$total rows \(100 %\), [0-9]+/s, ETA" <<<"$out" || fail "ingest progress: $out"
[[ $out != *$'\r'* ]] || fail "ingest progress redrawn in place on a pipe: $out"

# Again in JSON: the same rows, each replacing the stored one; no progress.
out=$(expect 0 -o json fleet ingest "$work/fleet.csv")
[[ $(json 'int(d["rowsAccepted"]), int(d["duplicatesReplaced"])' <<<"$out") == "$rows $rows" ]] ||
  fail "ingest json: $out"

# Samples the server rejects are listed by file:line.
printf 'host_id,resource,date,p95_utilization_percent\n\nzz-1,cpu,2026-02-30,5.0\n' \
  >"$work/rejected.csv"
out=$(expect 0 fleet ingest "$work/rejected.csv")
grep -Eq "^rows rejected +1$" <<<"$out" || fail "rejected rows: $out"
grep -Eq "rejected.csv:3 +zz-1 +samples\[0\]\.date" <<<"$out" || fail "rejection not listed: $out"

# A run, then one host's drill-down in both modes.
out=$(expect 0 fleet run)
grep -Eq "^run .*: 48 series in" <<<"$out" || fail "fleet run: $out"
host=$(sed -n '2p' "$work/fleet.csv.hosts.csv" | cut -d, -f1)
out=$(expect 0 fleet host "$host" --resource cpu)
grep -Eq "^champion +[a-z]" <<<"$out" || fail "fleet host: no champion: $out"
grep -Eq "^runner-up +[a-z]" <<<"$out" || fail "fleet host: no runner-up: $out"
grep -Eq "^(first breach: |no breach: )" <<<"$out" || fail "fleet host: no breach line: $out"
[[ $(grep -c '^[ 0-9.e+-]\{6\} |' <<<"$out") == 16 ]] || fail "fleet host: chart rows: $out"
grep -q "breach 95 %" <<<"$out" || fail "fleet host: threshold line: $out"
grep -Eq "^ {7}\+[-+]{72}$" <<<"$out" || fail "fleet host: x axis: $out"
grep -Eq "^ +[0-9]{4}-[0-9]{2}-[0-9]{2} .*[0-9]{4}-[0-9]{2}-[0-9]{2}$" <<<"$out" ||
  fail "fleet host: x labels: $out"
grep -q ' |.*\*' <<<"$out" && grep -q ' |.*o' <<<"$out" || fail "fleet host: marks: $out"
grep -Eq "^[0-9-]{10} +history +[0-9.]+ %$" <<<"$out" || fail "fleet host: history points: $out"
grep -Eq "^[0-9-]{10} +forecast( +[0-9.-]+ %){3}$" <<<"$out" || fail "fleet host: forecast points: $out"
out=$(expect 0 -o json fleet host "$host" --resource memory)
[[ $(json 'len(d["history"]) > 300 and len(d["champion"]["forecast"]) > 0' <<<"$out") == True ]] ||
  fail "fleet host json: $out"
out=$(expect 4 fleet host no-such-host --resource cpu)
grep -q "NOT_FOUND" <<<"$out" || fail "missing host: $out"
expect 2 fleet host "$host" --resource gpu >/dev/null

echo "hsctl fleet: ingest (table, progress lines, JSON, rejections by file:line; malformed CSV: exit 2, nothing written), host (chart, JSON); exit codes 2, 4"
