# Shell helpers the benchmark scripts share: `source "$root/bench/lib.sh"`, then `bench_work NAME` for a work
# directory and a list of background processes (`pids+=($!)`) that are stopped and removed on exit.

bench_work() { # name: sets $work and stops everything in $pids at exit
  work=$(mktemp -d "/tmp/bench-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f", d, b - a }'; } # start end [decimals]

wait_for_registry() { # host:port: until something answers on /v2/ (ours asks for credentials: 401 will do)
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$1/v2/")" != 000 ] && return 0
    sleep 0.1
  done
  echo "bench: nothing answers on $1" >&2
  exit 1
}
