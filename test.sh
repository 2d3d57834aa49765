#!/usr/bin/env bash
# Runs the whole DataPlatform test suite: unit, grain/stream (TestingHost), HTTP, SignalR and browser tests.
# Installs what the tests need when it is missing (Debian's chromium for the browser test, kcat for the
# Kafka wire-protocol test, Node.js/npm for the dashboard libraries, PostgreSQL 15 for the cluster profile,
# docker-compose to validate docker-compose.yml without a Docker engine), builds once, runs every test
# project one after the other, and ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if ((${#missing[@]})); then
  echo "Installing ${missing[*]} ..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results="TestResults"
rm -rf "$results"

dotnet build DataPlatform.sln -nologo -v quiet -clp:ErrorsOnly

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  grep -q '<IsTestProject>false</IsTestProject>' "$project" && continue
  dotnet test "$project" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=$?
done

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed without a failed test (e.g. a crash): never report green
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
