#!/usr/bin/env bash
# A three-level cascade of rebase builds on the real server: base:latest (imported from Debian's docker-registry) ->
# level-1 -> level-2 -> level-3, each a BuildConfig FROM the previous level's tag with an image change trigger, built
# by the native builder. A new base image is pushed upstream and imported; the script prints the time from the import
# until level-3's new build is Complete, and each level's build duration. ROUNDS (default 3) new base images; BASE_MB
# (default 20) is the size of the base's layer.
#
# Environment: ISCTL (the command that runs isctl; default ./isctl of this checkout, which builds it when needed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds=${ROUNDS:-3}
base_mb=${BASE_MB:-20}
read -ra isctl <<< "${ISCTL:-$root/isctl}"

for tool in skopeo umoci docker-registry curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y skopeo umoci docker-registry curl jq)" >&2; exit 1; }
done

source "$root/bench/lib.sh"
bench_work cascade

layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:empty"
make_base() { # tag: a new base image (random layer)
  rm -rf "$work/bundle"
  umoci unpack --rootless --image "$layout:empty" "$work/bundle" >/dev/null
  head -c "$((base_mb * 1024 * 1024))" /dev/urandom > "$work/bundle/rootfs/base.bin"
  umoci repack --refresh-bundle --image "$layout:$1" "$work/bundle"
}

dr_port=$(free_port)
mkdir -p "$work/dr"
printf 'version: 0.1\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:%s}\n' "$work/dr/data" "$dr_port" > "$work/dr/config.yml"
docker-registry serve "$work/dr/config.yml" > "$work/dr/log" 2>&1 &
pids+=($!)
port=$(free_port)
"${isctl[@]}" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --write-client-config=false > "$work/serve.log" 2>&1 &
pids+=($!)
wait_for_registry "127.0.0.1:$dr_port"
wait_for_registry "127.0.0.1:$port"
export ISCTL_SERVER="http://127.0.0.1:$port" ISCTL_TOKEN
ISCTL_TOKEN=$(cat "$work/data/admin.token")
export ISCTL_CONFIG="$work/isctl.json"
cli() { "${isctl[@]}" -n bench "$@"; }

push_base() {
  make_base "$1"
  skopeo --insecure-policy copy --quiet --dest-tls-verify=false "oci:$layout:$1" "docker://127.0.0.1:$dr_port/library/base:latest"
}
phase() { cli get build "$1" -o json 2>/dev/null | jq -r '.status.phase // empty' || true; }
wait_complete() { # build: waits until Complete, fails when it ends otherwise
  for _ in $(seq 1 1200); do
    case "$(phase "$1")" in
      Complete) return 0 ;;
      Failed|Error|Cancelled) echo "bench: $1 did not complete:" >&2; cli logs "build/$1" >&2 || true; exit 1 ;;
    esac
    sleep 0.05
  done
  echo "bench: $1 did not complete in time" >&2
  exit 1
}
duration_ms() { cli get build "$1" -o json | jq -r '(.status.duration // 0) / 1000000 | floor'; }

cli new-project bench > /dev/null
push_base v1
cli import-image base:latest --from "127.0.0.1:$dr_port/library/base:latest" --confirm > /dev/null
from=base:latest
for level in 1 2 3; do
  cli create -f - > /dev/null <<YAML
apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata:
  name: level-$level
spec:
  source:
    dockerfile: |
      FROM $from
      LABEL level=$level
      ENV LEVEL=$level
  strategy:
    dockerStrategy:
      from: {kind: ImageStreamTag, name: "$from"}
  output:
    to: {kind: ImageStreamTag, name: "level-$level:latest"}
  triggers:
  - type: ImageChange
    imageChange: {}
YAML
  wait_complete "level-$level-1"
  from="level-$level:latest"
done

echo "three-level cascade of native rebase builds (base layer ${base_mb} MB), ${rounds} rounds:"
totals=()
for round in $(seq 1 "$rounds"); do
  n=$((round + 1))
  push_base "v$n"
  start=$(now)
  cli import-image base:latest > /dev/null
  wait_complete "level-3-$n"
  total=$(elapsed "$start" "$(now)")
  totals+=("$total")
  echo "  round $round: import to level-3-$n Complete ${total}s (each level's build: $(duration_ms "level-1-$n") ms, $(duration_ms "level-2-$n") ms, $(duration_ms "level-3-$n") ms)"
done
median=$(printf '%s\n' "${totals[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
builds=$(cli get builds -o name | wc -l)
echo "median: ${median}s from the import of a new base to the third level Complete; builds in all: $builds (3 first builds + 3 per round)"
