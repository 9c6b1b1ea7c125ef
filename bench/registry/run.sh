#!/usr/bin/env bash
# The integrated registry against Debian's docker-registry, in the same run: the same skopeo copy of a ~200 MB image
# (random, so incompressible, layers made with umoci) pushed from an OCI layout, then pulled to a local directory.
# Each round makes a new image (skopeo would otherwise mount blobs it knows from an earlier round instead of uploading
# them) and pushes it to both servers. Prints the best time of each step over ROUNDS rounds, the ratio
# (docker-registry time / ours: above 1 means ours is faster) and the peak resident memory (VmHWM) of both servers.
#
# Environment: SIZE_MB (default 200), LAYERS (4), ROUNDS (5),
#              ISCTL (the command that runs isctl; default ./isctl of this checkout, which builds it when needed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size_mb=${SIZE_MB:-200}
layers=${LAYERS:-4}
rounds=${ROUNDS:-5}
read -ra isctl <<< "${ISCTL:-$root/isctl}"

for tool in skopeo umoci docker-registry curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y skopeo umoci docker-registry curl)" >&2; exit 1; }
done

source "$root/bench/lib.sh"
bench_work registry
peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# CPU seconds (user + system) a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }

layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:empty"
make_image() { # tag [MB]: a new image of random layers
  rm -rf "$work/bundle"
  umoci unpack --rootless --image "$layout:empty" "$work/bundle" >/dev/null
  for i in $(seq 1 "$layers"); do
    head -c "$((${2:-$size_mb} * 1024 * 1024 / layers))" /dev/urandom > "$work/bundle/rootfs/data-$i"
    umoci repack --refresh-bundle --image "$layout:$1" "$work/bundle"
  done
}

echo "bench: starting docker-registry and isctl serve..."
dr_port=$(free_port)
mkdir -p "$work/dr"
cat > "$work/dr/config.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/dr/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$dr_port}
EOF
docker-registry serve "$work/dr/config.yml" > "$work/dr/log" 2>&1 &
dr_pid=$!
pids+=("$dr_pid")

is_port=$(free_port)
"${isctl[@]}" serve --listen "127.0.0.1:$is_port" --data-dir "$work/is" --write-client-config=false > "$work/is.log" 2>&1 &
is_pid=$!
pids+=("$is_pid")
wait_for_registry "127.0.0.1:$dr_port"
wait_for_registry "127.0.0.1:$is_port"
admin_token=$(cat "$work/is/admin.token")
# skopeo logs in to ours with the admin's token (the token flow), and needs no credentials for docker-registry.
creds_for() { if [ "$1" = "127.0.0.1:$is_port" ]; then echo "admin:$admin_token"; fi; }
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $admin_token" \
  -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}' "http://127.0.0.1:$is_port/api/v1/namespaces"

# One untimed push and pull of a small image each: the figures are throughput, not .NET's JIT warming up.
make_image warmup 8
for host in "127.0.0.1:$dr_port" "127.0.0.1:$is_port"; do
  creds=$(creds_for "$host")
  skopeo --insecure-policy copy --quiet --dest-tls-verify=false ${creds:+--dest-creds "$creds"} "oci:$layout:warmup" "docker://$host/bench/warmup:latest"
  rm -rf "$work/pulled"
  skopeo --insecure-policy copy --quiet --src-tls-verify=false ${creds:+--src-creds "$creds"} "docker://$host/bench/warmup:latest" "dir:$work/pulled"
done

declare -A best cpu
record() { # name seconds
  if [ -z "${best[$1]:-}" ] || awk -v a="$2" -v b="${best[$1]}" 'BEGIN { exit !(a < b) }'; then best[$1]=$2; fi
}

for round in $(seq 1 "$rounds"); do
  echo "bench: round $round: making a ${size_mb} MB image of ${layers} random layers with umoci, then copying it"
  make_image "img-$round"
  image_bytes=$(du -sb "$work/bundle/rootfs" | cut -f1)
  # The servers take turns going first, so neither always runs on a warmer page cache.
  order="docker-registry imagestreams"; [ $((round % 2)) -eq 0 ] && order="imagestreams docker-registry"
  for target in $order; do
    if [ "$target" = docker-registry ]; then host="127.0.0.1:$dr_port"; pid=$dr_pid; else host="127.0.0.1:$is_port"; pid=$is_pid; fi
    cpu_before=$(cpu_s "$pid")
    ref="$host/bench/img-$round:latest"
    creds=$(creds_for "$host")
    start=$(now)
    skopeo --insecure-policy copy --quiet --dest-tls-verify=false ${creds:+--dest-creds "$creds"} "oci:$layout:img-$round" "docker://$ref"
    record "$target-push" "$(elapsed "$start" "$(now)")"
    rm -rf "$work/pulled"
    start=$(now)
    skopeo --insecure-policy copy --quiet --src-tls-verify=false ${creds:+--src-creds "$creds"} "docker://$ref" "dir:$work/pulled"
    record "$target-pull" "$(elapsed "$start" "$(now)")"
    cpu[$target]=$(awk -v a="${cpu[$target]:-0}" -v b="$cpu_before" -v c="$(cpu_s "$pid")" 'BEGIN { printf "%.2f", a + c - b }')
  done
done

mb=$(awk -v b="$image_bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
echo
echo "image: $mb MB in $layers layers; best of $rounds rounds (seconds); server CPU is per push+pull, averaged"
printf "%-16s %8s %8s %10s %10s %12s %14s\n" server push pull "push MB/s" "pull MB/s" "peak RSS MB" "server CPU s"
for target in docker-registry imagestreams; do
  pid=$dr_pid; [ "$target" = imagestreams ] && pid=$is_pid
  push=${best[$target-push]}; pull=${best[$target-pull]}
  printf "%-16s %8s %8s %10.0f %10.0f %12s %14.2f\n" "$target" "$push" "$pull" \
    "$(awk -v m="$mb" -v t="$push" 'BEGIN { print m / t }')" "$(awk -v m="$mb" -v t="$pull" 'BEGIN { print m / t }')" "$(peak_mb "$pid")" \
    "$(awk -v c="${cpu[$target]}" -v r="$rounds" 'BEGIN { print c / r }')"
done
awk -v dp="${best[docker-registry-push]}" -v ip="${best[imagestreams-push]}" -v dl="${best[docker-registry-pull]}" -v il="${best[imagestreams-pull]}" 'BEGIN {
  printf "ratio (docker-registry time / imagestreams time, >= 1.00 meets the target): push %.2f, pull %.2f, push+pull %.2f\n", dp / ip, dl / il, (dp + dl) / (ip + il)
}'
