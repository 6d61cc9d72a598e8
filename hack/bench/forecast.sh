#!/usr/bin/env bash
# Forecast accuracy and speed against statsmodels' ExponentialSmoothing and seasonal-naive on the four
# demand traces (issue #6 protocol). Installs statsmodels into .build/bench-venv idempotently, builds
# fleetcast in release mode, runs both sides in one run and prints a Markdown table.
# TRACES_DIR overrides where the traces are (default ../shared/data/traces from the package root);
# FLEETCAST_BIN runs a prebuilt binary instead of the release build (e.g. a copy kept for a before/after run).
set -euo pipefail
cd "$(dirname "$0")/../.."

traces_dir="${TRACES_DIR:-../shared/data/traces}"
venv=.build/bench-venv
if ! "$venv/bin/python" -c "import statsmodels" 2>/dev/null; then
  echo "forecast bench: installing statsmodels into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "statsmodels>=0.14"
fi

binary=${FLEETCAST_BIN:-}
if [ -z "$binary" ]; then
  swift build -c release --product fleetcast >&2
  binary="$(swift build -c release --show-bin-path)/fleetcast"
fi

"$venv/bin/python" hack/bench/forecast_peers.py --fleetcast "$binary" \
  "$traces_dir/servegen_m_small_gpus_1min.csv" \
  "$traces_dir/helios_earth_gpu_demand_1min.csv" \
  "$traces_dir/philly_active_nodes_1min.csv" \
  "$traces_dir/alibaba_dlrm_gpu_instances_1min.csv"
