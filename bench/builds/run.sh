#!/usr/bin/env bash
# A rebase rebuild: an application image (no RUN step) rebuilt after its base image changed, by the native builder
# and by buildah rebuilding the same Dockerfile, in the same run, against one Debian docker-registry.
#
# Each round pushes a new base (the previous one plus a small "security fix" layer) and rebuilds the application
# three ways:
#   native        the native builder (BuildBench, through AddImageBuilders as the build controller calls it): pulls the
#                 base's manifest and config, mounts its layers, pushes config and manifest;
#   buildah-cold  buildah as the server runs it: a private, empty --root per build (pulls the whole base), then push;
#   buildah-warm  buildah with a --root kept from the first build (pulls only the changed base layer), then push.
# Prints each round, then the median seconds of each way, the ratios (buildah / native; the target is at least 10),
# and the bytes each way added to the registry's blob store (what it uploaded that the registry did not have).
#
# Environment: ROUNDS (default 3), BASE_MB (size of the base's random layer, default 60), APP_MB (the application's
# files, default 2). Needs: dotnet, docker-registry, skopeo, umoci, buildah, curl, python3; run as root (buildah).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds=${ROUNDS:-3}
base_mb=${BASE_MB:-60}
app_mb=${APP_MB:-2}

for tool in dotnet docker-registry skopeo umoci buildah curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y docker-registry skopeo umoci buildah curl)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/bench-builds.XXXXXX)
registry_pid=""
cleanup() {
  [ -n "$registry_pid" ] && { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# The bytes of every blob the registry stores (layers, configs, manifests); mounts add none.
blob_bytes() { find "$work/registry/docker/registry/v2/blobs" -type f -name data -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench: building BuildBench..."
dotnet build "$root/bench/builds/BuildBench" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
bench_dll="$root/bench/builds/BuildBench/bin/Release/net10.0/BuildBench.dll"

port=$(free_port)
host="127.0.0.1:$port"
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry}, delete: {enabled: true}}
http: {addr: $host}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://$host/v2/" && break; sleep 0.1; done

echo "bench: making a ${base_mb} MB base with umoci..."
layout="$work/oci"
umoci init --layout "$layout"
umoci new --image "$layout:base"
umoci unpack --rootless --image "$layout:base" "$work/bundle" >/dev/null
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/usr/lib"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
head -c "$((base_mb * 1024 * 1024))" /dev/urandom > "$work/bundle/rootfs/usr/lib/libbase.so"
umoci repack --image "$layout:base" "$work/bundle"
umoci config --image "$layout:base" --config.cmd /bin/sh --config.env PATH=/usr/sbin:/usr/bin:/sbin:/bin >/dev/null
push_base() { skopeo --insecure-policy copy --quiet --dest-tls-verify=false "oci:$layout:base" "docker://$host/library/base:latest"; }
base_digest() { skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$host/library/base:latest"; }
push_base

context="$work/app"
mkdir -p "$context/app"
head -c "$((app_mb * 1024 * 1024))" /dev/urandom | base64 > "$context/app/bundle.js"
echo '<h1>bench</h1>' > "$context/app/index.html"
cat > "$context/Dockerfile" <<'DOCKERFILE'
ARG BASE=placeholder
FROM ${BASE}
ENV APP_HOME=/srv/app
LABEL org.example.app=bench
WORKDIR /srv/app
COPY app/ ./
EXPOSE 8080
USER 1001
CMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/srv/app"]
DOCKERFILE

native() { dotnet "$bench_dll" "$context" "$host/library/base:latest" "$host/team/app-native:latest"; }
buildah_build() { # ROOT OUTPUT: bud on the current base by digest, then push
  local r="$1" out="$2" digest
  digest=$(base_digest)
  buildah --root "$r/root" --runroot "$r/runroot" --storage-driver vfs bud --quiet --isolation chroot --tls-verify=false \
    --layers=false --pull-always --build-arg "BASE=$host/library/base@$digest" -t "localhost/bench:latest" "$context" >/dev/null
  buildah --root "$r/root" --runroot "$r/runroot" --storage-driver vfs push --quiet --tls-verify=false \
    "localhost/bench:latest" "docker://$host/team/$out:latest" >/dev/null
}

echo "bench: first builds (not timed)..."
native >/dev/null
buildah_build "$work/warm" app-buildah-warm
buildah_build "$work/cold0" app-buildah-cold
rm -rf "$work/cold0"

printf '\n%-6s %-14s %10s %16s\n' round way seconds "bytes to registry"
: > "$work/native.times"; : > "$work/cold.times"; : > "$work/warm.times"
native_bytes=0; cold_bytes=0; warm_bytes=0; native_reported=0
for round in $(seq 1 "$rounds"); do
  # The new base: the old one plus a small layer.
  mkdir -p "$work/bundle/rootfs/etc"
  echo "fix $round $(date +%s%N)" > "$work/bundle/rootfs/etc/security-fix"
  umoci repack --refresh-bundle --image "$layout:base" "$work/bundle"
  push_base

  before=$(blob_bytes); start=$(now)
  line=$(native)
  t=$(elapsed "$start" "$(now)"); grown=$(( $(blob_bytes) - before ))
  read -r inproc uploaded builder digest <<< "$line"
  [ "$builder" = native ] || { echo "bench: the native builder was not used ($builder)" >&2; exit 1; }
  echo "$inproc" >> "$work/native.times"; native_bytes=$((native_bytes + grown)); native_reported=$((native_reported + uploaded))
  printf '%-6s %-14s %10s %16s   (%ss with process start; %s bytes uploaded by its own count)\n' "$round" native "$inproc" "$grown" "$t" "$uploaded"

  before=$(blob_bytes); start=$(now)
  buildah_build "$work/cold$round" app-buildah-cold
  t=$(elapsed "$start" "$(now)"); grown=$(( $(blob_bytes) - before )); rm -rf "$work/cold$round"
  echo "$t" >> "$work/cold.times"; cold_bytes=$((cold_bytes + grown))
  printf '%-6s %-14s %10s %16s\n' "$round" buildah-cold "$t" "$grown"

  before=$(blob_bytes); start=$(now)
  buildah_build "$work/warm" app-buildah-warm
  t=$(elapsed "$start" "$(now)"); grown=$(( $(blob_bytes) - before ))
  echo "$t" >> "$work/warm.times"; warm_bytes=$((warm_bytes + grown))
  printf '%-6s %-14s %10s %16s\n' "$round" buildah-warm "$t" "$grown"
done

n=$(median < "$work/native.times"); c=$(median < "$work/cold.times"); w=$(median < "$work/warm.times")
echo
echo "rebase rebuild, median of $rounds rounds (base ${base_mb} MB + a new small layer each round; application ${app_mb} MB):"
printf '  native        %8.3f s   %12d bytes to the registry in all rounds (%d uploaded by its count)\n' "$n" "$native_bytes" "$native_reported"
printf '  buildah-cold  %8.3f s   %12d bytes to the registry in all rounds\n' "$c" "$cold_bytes"
printf '  buildah-warm  %8.3f s   %12d bytes to the registry in all rounds\n' "$w" "$warm_bytes"
awk -v n="$n" -v c="$c" -v w="$w" 'BEGIN {
  printf "  ratio buildah-cold / native: %.1fx\n", c / n
  printf "  ratio buildah-warm / native: %.1fx   (target: at least 10x)\n", w / n
}'
