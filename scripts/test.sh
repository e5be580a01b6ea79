#!/usr/bin/env bash
# The test command (npm test): unit tests for the pure core, then
# integration tests on the embedded host against the real Docker engine, on
# the three Dokku contracts dokku-ps speaks (issues 14 and 21):
#
#   1. unit tests and every integration file, hosts speaking Dokku 0.24.10;
#   2. the version-agnostic integration files again, hosts speaking 0.31.5;
#   3. the same files again, hosts speaking 0.38.27 (today's Dokku);
#   4. test/integration/isolated/, alone, on each version likewise.
#
# A file that concerns one Dokku says so with a line
# `export const CONCERNS_DOKKU = "<version>";` and creates its hosts with that
# version (convention: test/integration/harness.ts); it runs in pass 1 only.
# A file without that line is version-agnostic. Each pass prints which
# version it runs and node's own summary (`# pass N`, `# fail N`); the script
# fails when any pass fails, and ends with one line summing every pass.
# Integration tests never skip: no engine means failure.
#
# DOKKU_PS_UNIT_ONLY=1: unit tests only. DOKKU_PS_TEST_VERSIONS="0.31.5":
# only the passes of those versions (default "0.24.10 0.31.5 0.38.27"; the first
# one runs every file); DOKKU_PS_HOST_VERSION=<v> alone means just <v>.
set -eo pipefail
cd "$(dirname "$0")/.."
# The whole run with a /tmp of its own, which must be empty afterwards
# (nothing left in /tmp; why this way: scripts/private-tmp.sh).
if [[ -z "${DOKKU_PS_PRIVATE_TMP:-}" ]]; then
  exec bash scripts/private-tmp.sh bash scripts/test.sh "$@"
fi
# tsx's transform cache (<tmpdir>/tsx-<uid>), shared by this run's test
# processes: this run's own /tmp goes with the run, so the cache goes too.
out=$(mktemp -d)
# Host templates (test/integration/harness.ts, HOST_TEMPLATES_ENV): each
# kind of new host is set up once per run and copied after that. The Dokku
# user sets them up, so it must reach the dir.
templates=$(mktemp -d)
chmod 755 "$templates"
export DOKKU_PS_HOST_TEMPLATES="$templates"
# The build images the tests leave untagged (--no-prune, so no test pulls a
# parent from under another's build) go when the run ends: nothing builds then.
trap 'rm -rf "${TMPDIR:-/tmp}/tsx-$(id -u)" "$out" "$templates"; bash scripts/sweep-build-images.sh' EXIT
npm run --silent build
shopt -s nullglob

# The Dokku a test file concerns, or nothing for a version-agnostic file.
concerns() { sed -n 's/^export const CONCERNS_DOKKU = "\([^"]*\)";$/\1/p' "$1"; }

# Longest first (CI time): node --test starts files in the order given, so
# a long file given last runs alone at the end. test/durations.tsv holds each
# file's seconds from a recent run (the "slowest files" lines each pass
# prints); an integration file not in it is taken as long, so a new one
# starts early (a unit file not in it, as quick).
by_duration() {
  printf '%s\n' "$@" | awk -F'\t' '
    NR == FNR { if ($1 !~ /^#/) seconds[$2] = $1; next }
    { print ($0 in seconds ? seconds[$0] : $0 ~ /^test\/integration\// ? 100000 : 0) "\t" $0 }' test/durations.tsv - |
    sort -t$'\t' -k1,1rn -k2,2 | cut -f2
}

passed=0 failed=0 status=0 passes=()
# run_pass <label> <version> <concurrency> <files…>: one node --test run,
# its output shown as it comes and its summary counted.
run_pass() {
  local label=$1 version=$2 concurrency=$3 start rc=0 ordered=()
  shift 3
  [[ $# -gt 0 ]] || return 0
  echo "=== dokku-ps tests: ${label} on Dokku ${version} ($# files) ==="
  mapfile -t ordered < <(by_duration "$@")
  set -- "${ordered[@]}"
  start=$SECONDS
  # tap to stdout as before; test/timing-reporter.mjs writes each top-level
  # test's duration, summed per file below (the slowest files of the pass).
  : >"$out/timings.tsv"
  DOKKU_PS_HOST_VERSION="$version" node --import tsx --test --test-concurrency="$concurrency" \
    --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter=./test/timing-reporter.mjs --test-reporter-destination="$out/timings.tsv" "$@" \
    | tee "$out/pass.tap" || rc=$?
  echo "=== dokku-ps tests: the slowest files of this pass (seconds, summed over each file's top-level tests) ==="
  awk -F'\t' -v repo="$PWD/" '{ f = $1; sub(repo, "", f); s[f] += $2 } END { for (f in s) printf "%8.1f  %s\n", s[f] / 1000, f }' "$out/timings.tsv" \
    | sort -rn | head -n 12
  local p f c
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out/pass.tap" | tail -n1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out/pass.tap" | tail -n1)
  c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$out/pass.tap" | tail -n1)
  # No summary at all (node died): a failure of its own.
  if [[ -z "$p" ]]; then
    f=$((${f:-0} + 1))
    [[ $rc -ne 0 ]] || rc=1
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${c:-0}))
  [[ $rc -eq 0 ]] || status=1
  passes+=("${label} on ${version}: ${p:-0} passed, $((${f:-0} + ${c:-0})) failed, $((SECONDS - start))s$([[ $rc -eq 0 ]] || echo " (exit $rc)")")
}

unit=(test/core/*.test.ts test/adapters/*.test.ts test/*.test.ts)
all=() agnostic=()
for f in test/integration/*.test.ts; do
  all+=("$f")
  if [[ -z "$(concerns "$f")" ]]; then agnostic+=("$f"); fi
done
isolated=(test/integration/isolated/*.test.ts)
# DOKKU_PS_HOST_VERSION=0.31.5 npm test (host/README.md): one pass, every file, on that version.
versions=(${DOKKU_PS_TEST_VERSIONS:-${DOKKU_PS_HOST_VERSION:-0.24.10 0.31.5 0.38.27}})
concurrency="${DOKKU_PS_TEST_CONCURRENCY:-2}"

if [[ "${DOKKU_PS_UNIT_ONLY:-}" == "1" ]]; then
  run_pass "unit tests" "${versions[0]}" "$concurrency" "${unit[@]}"
else
  # The .deb test's Debian root (scripts/debian-root.sh: debootstrap, mostly
  # waiting on the network) is built while the first pass runs, not in the
  # test's own slot (CI time); the test's own call then waits on its lock and
  # finds it built, or builds it and reports a failure itself.
  debian_root_pid=""
  if command -v debootstrap >/dev/null 2>&1 && [[ ! -f .cache/debian-root/.complete ]]; then
    bash scripts/debian-root.sh >"$out/debian-root.log" 2>&1 &
    debian_root_pid=$!
  fi
  # Likewise Node 18 for test/integration/node18.test.ts (a download: the
  # test's own call waits on its lock).
  node18_pid=""
  if [[ ! -x .cache/node18/bin/node ]]; then
    bash scripts/node18.sh >"$out/node18.log" 2>&1 &
    node18_pid=$!
  fi
  for v in "${versions[@]}"; do
    if [[ "$v" == "${versions[0]}" ]]; then
      # The first version's pass runs every file (those concerning one
      # Dokku create their hosts with it), with the unit tests.
      run_pass "unit tests and the integration suite" "$v" "$concurrency" "${unit[@]}" "${all[@]}"
    else
      run_pass "the version-agnostic integration files" "$v" "$concurrency" "${agnostic[@]}"
    fi
  done
  # These start (and stop) a Docker engine of their own (test/integration/
  # private-engine.ts; the machine's engine is never stopped): heavy on a
  # small machine, so they run alone, after everything else.
  # The same rule: every file on the first version, the agnostic ones on
  # the others.
  for v in "${versions[@]}"; do
    iso=()
    for f in "${isolated[@]}"; do
      if [[ "$v" == "${versions[0]}" || -z "$(concerns "$f")" ]]; then iso+=("$f"); fi
    done
    run_pass "isolated/" "$v" 1 "${iso[@]}"
  done
  [[ -z "$debian_root_pid" ]] || wait "$debian_root_pid" || true
  [[ -z "$node18_pid" ]] || wait "$node18_pid" || true
fi

echo "=== dokku-ps tests: summary ==="
for line in "${passes[@]}"; do echo "  $line"; done
echo "${passed} passed, ${failed} failed"
exit $status
