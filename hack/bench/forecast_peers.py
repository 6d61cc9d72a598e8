#!/usr/bin/env python3
"""Rolling-origin forecast benchmark: Fleetcast's models against statsmodels' ExponentialSmoothing
(additive Holt-Winters, the engine of the predictive horizontal pod autoscaler) and seasonal-naive.

Protocol (issue #6): 5-minute bins of the peak; origins every 2 h over the last 5 days of each trace;
horizon 2 h; q = 0.95; each origin fitted only on the 14 days of history before it. Fleetcast runs as
`fleetcast forecast --backtest` (same protocol, same binning) and this script runs the peers, then prints
one Markdown table. The peers' upper quantile is the mean plus z_q times the spread (standard deviation)
of their in-sample residuals, as the issue asks.
"""
import argparse
import json
import math
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

STEP = 300
DAY_BINS = 86_400 // STEP
HORIZON = 7_200
EVERY = 7_200
SPAN = 5 * 86_400
HISTORY_BINS = 14 * DAY_BINS
Q = 0.95
Z = statistics.NormalDist().inv_cdf(Q)


def peak_bins(path):
    """5-minute peaks of a timestamp_seconds,gpus trace, bins aligned to multiples of 300 s from t=0."""
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    index = np.floor(data[:, 0] / STEP).astype(np.int64)
    first = int(index.min())
    peaks = np.full(int(index.max()) - first + 1, np.nan)
    np.fmax.at(peaks, index - first, data[:, 1])
    return first, peaks


def origins(first, count):
    """Bin indices of the origins: every 2 h over the last 5 days, each with a full horizon after it."""
    end = first + count
    out, origin = [], end - SPAN // STEP
    while origin + HORIZON // STEP <= end:
        if origin > first:
            out.append(origin)
        origin += EVERY // STEP
    return out


class Accuracy:
    def __init__(self):
        self.n = self.abs_err = self.abs_act = self.pinball = self.covered = 0.0
        self.seconds = 0.0

    def add(self, mean, upper, actual):
        for m, u, y in zip(mean, upper, actual):
            if math.isnan(y):
                continue
            self.n += 1
            self.abs_err += abs(y - m)
            self.abs_act += abs(y)
            d = y - u
            self.pinball += Q * d if d >= 0 else (Q - 1) * d
            self.covered += 1 if y <= u else 0

    def row(self, origins_count):
        return {"wape": self.abs_err / self.abs_act if self.abs_act else None,
                "pinball": self.pinball / self.n, "coverage": self.covered / self.n,
                "seconds": self.seconds / origins_count}


def holt_winters(history, steps):
    model = ExponentialSmoothing(history, trend="add", seasonal="add", seasonal_periods=DAY_BINS,
                                 initialization_method="heuristic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit()
    mean = fit.forecast(steps)
    spread = float(np.std(fit.resid))
    return mean, mean + Z * spread


def seasonal_naive(history, steps):
    mean = history[len(history) - DAY_BINS:len(history) - DAY_BINS + steps]
    residuals = history[DAY_BINS:] - history[:-DAY_BINS]
    spread = float(np.nanstd(residuals))
    return mean, mean + Z * spread


def run_peers(path):
    first, peaks = peak_bins(path)
    steps = HORIZON // STEP
    rows = {}
    chosen = origins(first, len(peaks))
    for name, method in (("statsmodels-hw", holt_winters), ("seasonal-naive", seasonal_naive)):
        accuracy = Accuracy()
        for origin in chosen:
            local = origin - first
            history = peaks[max(0, local - HISTORY_BINS):local]
            history = history[~np.isnan(history)] if np.isnan(history).any() else history
            start = time.perf_counter()
            mean, upper = method(history, steps)
            accuracy.seconds += time.perf_counter() - start
            accuracy.add(np.asarray(mean), np.asarray(upper), peaks[local:local + steps])
        rows[name] = accuracy.row(len(chosen))
    return len(chosen), rows


def run_fleetcast(binary, path):
    output = subprocess.run(
        [binary, "forecast", "--trace", path, "--backtest", "--every", "2h", "--horizon", "2h", "--from", "5d",
         "--step", "5m", "--quantile", str(Q), "--format", "json"],
        check=True, capture_output=True, text=True).stdout
    report = json.loads(output)
    rows = {}
    for model in report["models"]:
        name = "fleetcast-" + model["model"]
        rows[name] = {"wape": model["wape"], "pinball": model["pinball"], "coverage": model["coverage"],
                      "seconds": model["fitForecastSeconds"], "chosen": model["chosen"]}
    return report["origins"], rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fleetcast", required=True, help="path to the release fleetcast binary")
    parser.add_argument("traces", nargs="+", help="demand-series CSV files")
    args = parser.parse_args()
    verdicts = []
    print("| trace | model | WAPE | pinball (q=0.95) | coverage | fit+forecast per origin |")
    print("|---|---|---:|---:|---:|---:|")
    for path in args.traces:
        name = path.rsplit("/", 1)[-1].removesuffix(".csv")
        n_fleet, rows = run_fleetcast(args.fleetcast, path)
        n_peer, peers = run_peers(path)
        if n_fleet != n_peer:
            sys.exit(f"{name}: origin counts differ (fleetcast {n_fleet}, peers {n_peer})")
        rows.update(peers)
        for model, row in rows.items():
            extra = ""
            if model == "fleetcast-auto" and row.get("chosen"):
                extra = " (chose " + ", ".join(f"{k}×{v}" for k, v in sorted(row["chosen"].items())) + ")"
            print(f"| {name} | {model}{extra} | {row['wape']:.4f} | {row['pinball']:.3f} | {row['coverage']:.3f} "
                  f"| {row['seconds'] * 1000:.1f} ms |")
        auto = rows["fleetcast-auto"]
        best_peer = min(peers["statsmodels-hw"]["pinball"], peers["seasonal-naive"]["pinball"])
        speedup = peers["statsmodels-hw"]["seconds"] / auto["seconds"] if auto["seconds"] > 0 else float("inf")
        verdicts.append((name, n_fleet, auto["pinball"] < best_peer, auto["pinball"] / best_peer, speedup))
    print()
    print("| trace | origins | auto beats both peers on pinball | auto / better peer | statsmodels time / auto time |")
    print("|---|---:|---|---:|---:|")
    for name, count, beats, ratio, speedup in verdicts:
        print(f"| {name} | {count} | {'yes' if beats else 'no'} | {ratio:.3f} | {speedup:.0f}× |")
    wins = sum(1 for v in verdicts if v[2])
    worst = max(v[3] for v in verdicts)
    slowest = min(v[4] for v in verdicts)
    print()
    print(f"Targets: lower pinball than both peers on {wins}/{len(verdicts)} traces (target ≥ 3); "
          f"worst ratio to the better peer {worst:.3f} (target ≤ 1.1); "
          f"smallest speed-up over statsmodels {slowest:.0f}× (target ≥ 50×).")


if __name__ == "__main__":
    main()
