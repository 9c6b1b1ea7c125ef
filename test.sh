#!/usr/bin/env bash
# Installs what the tests need when it is missing, builds, runs every test.
# The last line is always "N passed, N failed".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(pwd)

# command -> Debian package
declare -A needs=(
  [docker-registry]=docker-registry [skopeo]=skopeo [umoci]=umoci [ab]=apache2-utils
  [busybox]=busybox-static [jq]=jq [git]=git [buildah]=buildah [chromium]=chromium
)
missing=()
for cmd in "${!needs[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${needs[$cmd]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "test.sh: could not install ${missing[*]}" >&2
fi

results="$root/.build/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! dotnet build ImageStreams.slnx -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test ImageStreams.slnx -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 \
  | grep -E '^\s*(Passed|Failed|Skipped) |^\s*(Error Message|Stack Trace)|^\s+at |^\s+(Assert|Expected|Actual)|Test Run|Total tests' || true

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l)
  f=$(grep -o '<UnitTestResult [^>]*outcome="Failed"' "$trx" | wc -l)
  passed=$((passed + p)); failed=$((failed + f))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
  echo "no test ran"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
