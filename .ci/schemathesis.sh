#!/usr/bin/env bash
# Fuzz a live `mockvoso serve` against openapi.yaml with schemathesis; any failure fails CI.
#
# Besides the response checks, the data-acceptance checks hold the contract exact about
# inputs: every request it calls valid is accepted (positive_data_acceptance) and every
# one it calls invalid is refused (negative_data_rejection). Users generate their own
# client tests from this file, so a contract looser or stricter than the server misleads.
#
# The server runs with --no-fault-headers, and the control-plane writes whose purpose is
# to break answers (add a fault rule, set a rate limit), to swap the data or the time
# under the fuzzer (reset, snapshot restore, simulated calls, move the clock: whether a
# `set` is accepted depends on where earlier cases left the clock, which no schema can
# say; a simulation names an office of the seeded world), or to make the
# server post to other hosts (register a webhook receiver: fuzzed URLs would be called)
# are not fuzzed; every other operation is.
#
# Two runs against the same server. The first fuzzes every operation (examples,
# coverage, fuzzing). The second is the stateful phase alone, over the operations the
# contract's OpenAPI links join: it follows the links (lead insert -> search / update /
# delete, list insert -> lead insert, ...) with the values of the seeded world that
# .ci/schemathesis-stateful.toml binds (a real list, agent, phone number), positive data
# only (the first run tries invalid data), and .ci/stateful_chains.py then fails the step
# unless links were followed and those chains answered success (from the run's HAR report).
# The second run starts from the seeded world (a reset in between: the first run may have
# deleted the lists the second one inserts into) and is sized in scenarios, not seconds,
# so with the fixed seed it makes the same calls on a slow runner as on a fast one.
# Knobs (environment): ST_SEED, ST_MAX_EXAMPLES, ST_TIME_LIMIT (seconds, first run),
# ST_STATEFUL_EXAMPLES (the second run's scenarios), MOCKVOSO,
# SCHEMATHESIS, PYTHON (the commands to run), ST_EXTRA_ARGS (more schemathesis options
# for both runs, e.g. `--continue-on-failure --report json`).
set -euo pipefail
cd "$(dirname "$0")/.."

MOCKVOSO=${MOCKVOSO:-mockvoso}
SCHEMATHESIS=${SCHEMATHESIS:-schemathesis}
PYTHON=${PYTHON:-python3}
SEED=${ST_SEED:-20260101}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-40}
TIME_LIMIT=${ST_TIME_LIMIT:-180}
STATEFUL_EXAMPLES=${ST_STATEFUL_EXAMPLES:-300}
# An extra full-access token for the first office, given to schemathesis as `auth_token`.
TOKEN=schemathesis-ci-token
# controlFaultsAdd = POST /_mockvoso/faults, controlRateLimitSet = PUT /_mockvoso/rate-limit,
# controlReset = POST /_mockvoso/reset, controlSnapshotRestore = POST /_mockvoso/snapshot,
# controlClockMove = POST /_mockvoso/clock, controlWebhooksAdd = POST /_mockvoso/webhooks,
# controlSimulate = POST /_mockvoso/simulate.
EXCLUDED='^(controlFaultsAdd|controlRateLimitSet|controlReset|controlSnapshotRestore'
EXCLUDED=$EXCLUDED'|controlClockMove|controlWebhooksAdd|controlSimulate)$'
# The stateful run: every operation a link in mockvoso/contract/build.py (LINKS) joins
# (tests/test_schemathesis_config.py keeps the two in step).
LINKED='^(leads(Insert|Search|Update|Delete)|lists(Insert|Update|Delete)|callbacks(Insert|Update)'
LINKED=$LINKED'|dnc(Insert|Update))Get$'
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
CHECKS=$CHECKS,positive_data_acceptance,negative_data_rejection

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

: >"$work/serve.log"  # exists before the poll below reads it, whatever the timing
"$MOCKVOSO" serve --host 127.0.0.1 --port 0 --no-fault-headers --seed 1234 --leads 200 \
  --clock 2026-01-01T00:00:00 --token "$TOKEN" >"$work/serve.log" 2>&1 &
server_pid=$!

# `mockvoso serve` prints its URL once /_mockvoso/health answers; wait for that line.
url=""
for _ in $(seq 1 600); do
  url=$(sed -n 's|^mockvoso .* serving the Convoso API at \(http://[^ ]*\)/v1$|\1|p' "$work/serve.log")
  [ -n "$url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "schemathesis.sh: mockvoso serve exited:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "schemathesis.sh: mockvoso serve did not start within 60 s:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
"$PYTHON" - "$url/_mockvoso/health" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    assert response.status == 200, response.status
PY
echo "schemathesis.sh: fuzzing $url (seed $SEED, $MAX_EXAMPLES examples per operation)"

# Statuses that count as the server refusing a request, besides schemathesis' defaults:
# 413 (body over --max-body-bytes) and 414/431 (a request head the HTTP server will not
# read) are refusals the contract documents on every operation, and they depend on the
# request's size, not on whether its values are valid: a huge valid value meets them too.
# A Convoso domain error (HTTP 200, success false) is no refusal here; the contract keeps
# the requests that draw one (a missing lead id, limit=0) in its valid space.
cat >"$work/schemathesis.toml" <<TOML
[auth.openapi.auth_token]
api_key = "$TOKEN"

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428", "429", "431", "5xx"]

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "413", "414", "429", "431", "5xx"]
TOML

# Run schemathesis (timeout bounds it whatever it does); its own exit code is kept in
# $status. Arguments: seconds, config file, output log, then more options.
# One worker: with two, hypothesis parses lambda sources (ast.parse) in both threads at
# once, which CPython 3.11 can fail with "AST constructor recursion depth mismatch" (a
# runtime error, not a finding); one worker takes no longer on CI's two cores.
status=0
fuzz() {
  local seconds=$1 config=$2 log=$3
  shift 3
  local code
  set +e
  timeout --kill-after=10 "$seconds" "$SCHEMATHESIS" --config-file "$config" \
    run "$url/openapi.json" \
    --checks "$CHECKS" \
    --seed "$SEED" \
    --generation-database none \
    --request-timeout 30 \
    --workers 1 \
    --no-color "$@" ${ST_EXTRA_ARGS:-} 2>&1 | tee "$log"
  code=${PIPESTATUS[0]}
  set -e
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
    echo "schemathesis.sh: schemathesis ran past ${seconds}s" >&2
  fi
  if [ "$code" -ne 0 ]; then
    status=$code
  fi
}

fuzz "$TIME_LIMIT" "$work/schemathesis.toml" "$work/fuzz.log" \
  --exclude-operation-id-regex "$EXCLUDED" \
  --phases examples,coverage,fuzzing \
  --max-examples "$MAX_EXAMPLES"

cat "$work/schemathesis.toml" .ci/schemathesis-stateful.toml >"$work/stateful.toml"
"$PYTHON" - "$url/_mockvoso/reset" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], method="POST")
with urllib.request.urlopen(request, timeout=30) as response:
    assert response.status == 200, response.status
PY
echo "schemathesis.sh: stateful run over the linked operations ($STATEFUL_EXAMPLES scenarios)"
fuzz 180 "$work/stateful.toml" "$work/stateful.log" \
  --include-operation-id-regex "$LINKED" \
  --phases stateful \
  --mode positive \
  --max-examples "$STATEFUL_EXAMPLES" \
  --report har --report-har-path "$work/stateful.har"
if [ -f "$work/stateful.har" ]; then
  "$PYTHON" .ci/stateful_chains.py "$work/stateful.log" "$work/stateful.har" || status=1
else
  echo "schemathesis.sh: the stateful run wrote no report" >&2
  status=1
fi
exit "$status"
