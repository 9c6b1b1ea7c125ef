#!/usr/bin/env bash
# Scheduled-import benchmark: for 1,000 and 10,000 scheduled tags against Debian's docker-registry on loopback, prints
# checks per second, registry requests per check, CPU time and peak resident memory of the process running the checks,
# and the same registry's HEAD throughput under ab (same request, same Accept header, 16 connections), and the ratio.
#
# The checking process is the server's composition (API, controllers, /metrics) hosted by ScheduledImportBench over a
# store it fills itself, at the shortest interval (1s) with the limits opened up. At 1,000 tags the schedule asks for
# 1,000 checks a second, less than the registry can answer (schedule-bound: the figure is the demand, met); at 10,000 it
# asks for 10,000 a second and the registry is the limit (registry-bound: the figure is the throughput, compared with
# ab's). Counts come from the process's own /metrics before and after a window; CPU time and peak resident memory
# (VmHWM) from /proc.
#
# Then the server a user runs, at 100,000 tags: the built `isctl serve` over a data directory holding a store of
# 100,000 scheduled tags, with its defaults (15m interval, default limits). Its peak resident memory over the first
# START_WINDOW seconds (start-up, the first list of every controller, the schedule filled) and its CPU over the
# following IDLE_WINDOW seconds, in percent of one core, with the checks it made meanwhile (100,000 tags every 15
# minutes is 111 checks a second). Targets (DESIGN.md): under 300 MB, under 2% of a core.
#
# Needs: dotnet, docker-registry, skopeo, umoci, ab (apache2-utils), curl, bc. Takes about 5 minutes.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
export ISB_ARTIFACTS=${ISB_ARTIFACTS:-/tmp/isb-bench-scheduled-import}
sizes=${SIZES:-"1000 10000"}
warmup=${WARMUP:-6}
window=${WINDOW:-15}
large=${LARGE:-100000}
start_window=${START_WINDOW:-60}
idle_window=${IDLE_WINDOW:-60}
requests=${AB_REQUESTS:-20000}
concurrency=16
accept='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v1+prettyjws, application/vnd.docker.distribution.manifest.v1+json'

for tool in dotnet docker-registry skopeo umoci ab curl bc python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install docker-registry skopeo umoci apache2-utils curl bc)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/bench-scheduled-import.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done; echo "run.sh: $1 did not answer" >&2; exit 1; }
# Sum of every sample of a metric in a scrape.
metric() { awk -v name="$1" '$1 == name || index($1, name "{") == 1 { sum += $NF } END { printf "%.6f\n", sum + 0 }' "$2"; }

echo "building ScheduledImportBench (Release) ..."
dotnet build -c Release -v q -nologo "$root/bench/scheduled-import/ScheduledImportBench/ScheduledImportBench.csproj" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log"; exit 1; }
bench="$ISB_ARTIFACTS/bin/ScheduledImportBench/release/ScheduledImportBench"
echo "building isctl (Release) ..."
dotnet build -c Release -v q -nologo "$root/src/ImageStreams.Cli/ImageStreams.Cli.csproj" >"$work/build-isctl.log" 2>&1 \
    || { cat "$work/build-isctl.log"; exit 1; }
isctl="$ISB_ARTIFACTS/bin/ImageStreams.Cli/release/isctl"

registry_port=$(free_port)
registry=127.0.0.1:$registry_port
mkdir -p "$work/registry"
cat >"$work/registry/config.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry/data}, delete: {enabled: true}}
http: {addr: $registry}
EOF
docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
registry_pid=$!
pids+=("$registry_pid")
wait_for "http://$registry/v2/"

umoci init --layout "$work/oci" >/dev/null
umoci new --image "$work/oci:base" >/dev/null
umoci config --image "$work/oci:base" --architecture amd64 --os linux --config.cmd /bin/sh >/dev/null
skopeo --insecure-policy copy --quiet --dest-tls-verify=false "oci:$work/oci:base" "docker://$registry/bench/app:base"

# CPU time (user + system) of a process, in seconds, and its peak resident memory, in MiB.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat"; }
peak_mib() { awk '/VmHWM/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"; }

printf '\n%-7s %9s %9s %10s %10s %9s %9s %9s %7s %9s %7s %s\n' tags checks/s req/check cpu-us/chk cpu-win-s cpu-all-s peak-MiB live-MiB lag-s ab-HEAD/s ratio bound
results=()
for n in $sizes; do
    store="$work/store-$n/store.db"
    "$bench" setup --registry "$registry" --store "$store" --tags "$n" >"$work/setup-$n.log"

    port=$(free_port)
    "$bench" serve --store "$store" --listen "127.0.0.1:$port" --interval 1s \
        --max-per-minute 100000000 --concurrency 64 --registry-concurrency "$concurrency" --registry-rate 1000000 \
        >"$work/serve-$n.log" 2>&1 &
    serve_pid=$!
    pids+=("$serve_pid")
    wait_for "http://127.0.0.1:$port/healthz"
    sleep "$warmup"
    curl -fs "http://127.0.0.1:$port/metrics" >"$work/m1-$n.txt"
    start=$(date +%s.%N)
    sleep "$window"
    curl -fs "http://127.0.0.1:$port/metrics" >"$work/m2-$n.txt"
    end=$(date +%s.%N)
    cpu_all=$(cpu_seconds "$serve_pid")
    peak=$(peak_mib "$serve_pid")
    live=$(curl -fs "http://127.0.0.1:$port/bench/gc" | awk '/resident_bytes/ { printf "%.1f\n", $2 / 1048576 }')
    kill -TERM "$serve_pid"
    wait "$serve_pid" || true

    delta() { echo "$(metric "$1" "$work/m2-$n.txt") - $(metric "$1" "$work/m1-$n.txt")" | bc -l; }
    checks=$(delta imagestreams_scheduled_import_checks_total)
    unchanged=$(delta 'imagestreams_scheduled_import_checks_total{result="Unchanged"}')
    reqs=$(delta imagestreams_registry_requests_total)
    cpu=$(delta process_cpu_seconds_total)
    lag=$(metric imagestreams_scheduled_import_oldest_due_lag_seconds "$work/m2-$n.txt")
    rate=$(echo "$checks / ($end - $start)" | bc -l)
    if [ "$(echo "$unchanged != $checks" | bc)" = 1 ]; then echo "run.sh: $n tags: only $unchanged of $checks checks were unchanged" >&2; fi
    bound=schedule
    if [ "$(echo "$lag > 1" | bc)" = 1 ]; then bound=registry; fi

    ab -i -k -n "$requests" -c "$concurrency" -H "Accept: $accept" "http://$registry/v2/bench/app/manifests/t0" >"$work/ab-$n.txt" 2>&1
    ab_rate=$(awk '/Requests per second/ { print $4 }' "$work/ab-$n.txt")
    ab_failed=$(awk '/Failed requests/ { print $3 }' "$work/ab-$n.txt")
    if [ "$ab_failed" != "0" ]; then echo "run.sh: ab saw $ab_failed failed requests" >&2; fi

    printf '%-7s %9.0f %9.3f %10.0f %10.2f %9.2f %9.1f %9.1f %7.2f %9.0f %6.0f%% %s\n' "$n" "$rate" "$(echo "$reqs / $checks" | bc -l)" \
        "$(echo "1000000 * $cpu / $checks" | bc -l)" "$cpu" "$cpu_all" "$peak" "$live" "$lag" "$ab_rate" "$(echo "100 * $rate / $ab_rate" | bc -l)" "$bound"
    results+=("$n $peak $live")
done

echo
echo "checks/s, req/check, cpu-us/chk, cpu-win-s: over a ${window}s window after ${warmup}s of warm-up, from the process's /metrics"
echo "  (requests are every request the registry client sent: HEADs, and any ping, token or GET);"
echo "cpu-all-s, peak-MiB: the whole life of the checking process, start-up and the first sync of every stream included;"
echo "live-MiB: resident memory after a full compacting collection at the end (what stays; start-up garbage gone);"
echo "lag-s: how long the oldest due check had waited at the end of the window; bound: what held the rate (see the top of run.sh);"
echo "ab-HEAD/s: ab -i -k -n $requests -c $concurrency with the same Accept header against the same registry, right after the window."
if [ "${#results[@]}" -ge 2 ]; then
    read -r n1 peak1 live1 <<<"${results[0]}"
    read -r n2 peak2 live2 <<<"${results[-1]}"
    for kind in peak live; do
        a=$([ $kind = peak ] && echo "$peak1" || echo "$live1")
        b=$([ $kind = peak ] && echo "$peak2" || echo "$live2")
        slope=$(echo "($b - $a) / ($n2 - $n1)" | bc -l)
        printf 'memory (%s): %.0f bytes per tag between %s and %s tags; extrapolated linearly to 100,000 tags: %.0f MiB\n' \
            "$kind" "$(echo "1024 * 1024 * $slope" | bc -l)" "$n1" "$n2" "$(echo "$b + (100000 - $n2) * $slope" | bc -l)"
    done
fi

# The server a user runs, at $large tags.
if [ "$large" -gt 0 ]; then
    echo
    echo "isctl serve at $large scheduled tags (defaults: 15m interval), ${start_window}s start-up window, ${idle_window}s idle window ..."
    data="$work/data-$large"
    "$bench" setup --registry "$registry" --store "$data/store.db" --tags "$large" >"$work/setup-$large.log"
    port=$(free_port)
    "$isctl" serve --listen "127.0.0.1:$port" --data-dir "$data" >"$work/isctl-$large.log" 2>&1 &
    isctl_pid=$!
    pids+=("$isctl_pid")
    started=$(date +%s.%N)
    wait_for "http://127.0.0.1:$port/healthz"
    rest=$(echo "$start_window - ($(date +%s.%N) - $started)" | bc -l)
    if [ "$(echo "$rest > 0" | bc)" = 1 ]; then sleep "$rest"; fi
    peak=$(peak_mib "$isctl_pid")
    cpu_start=$(cpu_seconds "$isctl_pid")
    curl -fs "http://127.0.0.1:$port/metrics" >"$work/i1.txt"
    t1=$(date +%s.%N)
    sleep "$idle_window"
    cpu_end=$(cpu_seconds "$isctl_pid")
    curl -fs "http://127.0.0.1:$port/metrics" >"$work/i2.txt"
    t2=$(date +%s.%N)
    resident=$(awk '/VmRSS/ { printf "%.1f\n", $2 / 1024 }' "/proc/$isctl_pid/status")
    tracked=$(metric imagestreams_scheduled_import_tags "$work/i2.txt")
    kill -TERM "$isctl_pid"
    wait "$isctl_pid" || true

    checks=$(echo "$(metric imagestreams_scheduled_import_checks_total "$work/i2.txt") - $(metric imagestreams_scheduled_import_checks_total "$work/i1.txt")" | bc -l)
    reqs=$(echo "$(metric imagestreams_registry_requests_total "$work/i2.txt") - $(metric imagestreams_registry_requests_total "$work/i1.txt")" | bc -l)
    printf '\n%-7s %9s %9s %11s %11s %9s %9s %9s\n' tags tracked peak-MiB rss-end-MiB start-cpu-s idle-cpu% checks/s req/check
    printf '%-7s %9.0f %9.1f %11.1f %11.2f %9.2f %9.1f %9.3f\n' "$large" "$tracked" "$peak" "$resident" "$cpu_start" \
        "$(echo "100 * ($cpu_end - $cpu_start) / ($t2 - $t1)" | bc -l)" "$(echo "$checks / ($t2 - $t1)" | bc -l)" \
        "$(echo "if ($checks > 0) $reqs / $checks else 0" | bc -l)"
    echo "peak-MiB: VmHWM of isctl serve after ${start_window}s (start-up included); rss-end-MiB: VmRSS at the end;"
    echo "start-cpu-s: CPU time of the first ${start_window}s; idle-cpu%: CPU over the next ${idle_window}s in percent of one core,"
    echo "  with no API traffic, only the scheduled checks (checks/s, req/check over the same window, from /metrics)."
fi
