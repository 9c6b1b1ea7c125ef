#!/usr/bin/env bash
# Trigger benchmark: the time from one image change (a new image on base:latest) to a build created for each of 200
# BuildConfigs whose image change triggers watch it, through the SQLite store and the trigger controller as the server
# runs them (builds are counted from a watch, as a client sees them appear). Five rounds and their median; the target
# is under 1 s. COUNT and ROUNDS change the sizes. Then cascade.sh: a three-level cascade of native rebase builds on
# the real server, timed from the import of a new base to the third level Complete.
#
# Needs: dotnet, and for the cascade skopeo, umoci, docker-registry, jq. Takes a minute or two (most of it building).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(dotnet build "$root/bench/triggers/TriggerBench" -c Release -nologo -v quiet -clp:ErrorsOnly 2>&1) || { echo "$out" >&2; exit 1; }
dotnet "$root/bench/triggers/TriggerBench/bin/Release/net10.0/TriggerBench.dll" "${COUNT:-200}" "${ROUNDS:-5}"
echo
# The three-level cascade of rebase builds through the real server (isctl serve), docker-registry and native builder.
"$root/bench/triggers/cascade.sh"
