# Sourced by the benchmark scripts (from the repository root): where the dev traces are, and the
# fleetcast binary to run.
#   bench_traces        sets $traces to ../shared/data/traces (or ../../shared/data/traces from a git
#                       worktree kept in wt/NAME); exits 2 when neither exists
#   bench_fleetcast     sets $bin to $FLEETCAST_BIN (a prebuilt binary, e.g. a copy kept for a
#                       before/after run) or to the release build of fleetcast, built first

bench_traces() {
  traces=../shared/data/traces
  [ -d "$traces" ] || traces=../../shared/data/traces
  if [ ! -d "$traces" ]; then echo "$(basename "$0"): traces not found in ../shared/data/traces" >&2; exit 2; fi
}

bench_fleetcast() {
  bin=${FLEETCAST_BIN:-}
  if [ -z "$bin" ]; then
    swift build -c release --product fleetcast >/dev/null
    bin=$(swift build -c release --show-bin-path)/fleetcast
  fi
}
