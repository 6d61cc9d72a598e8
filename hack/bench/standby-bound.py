#!/usr/bin/env python3
"""An optimistic bound on what any causal policy can reach on a demand trace with a standby tier
(issue #20's target: >= 99.9 % of GPU-time served at <= 1.15x the oracle's cost).

The policy modelled is better than anything that can be built, on purpose:
  * running nodes follow the previous minute's demand with no start-up time at all, plus k idle nodes;
  * scale-down is instant (no stabilization), and nodes are billed by the minute;
  * a rise beyond the k idle nodes is served once standby nodes resume, after the resume time's mean
    (log-normal p50/p90 given), during which it is unmet; the standby tier is unlimited and free in the
    table. Its price is printed after it for a tier sized for the largest rise within one start-up time
    (what must come from somewhere before new nodes can), held all the time: not a bound (capacity held
    from an earlier rise can cover part of a later one), an order of magnitude.
The trace is per minute and a rise is only known when it happens, so the first resume of each rise is
paid in unmet GPU-time. The oracle runs exactly ceil(demand / GPUs per node) nodes every minute.

It prints, for a constant k = 0..8, cost / oracle and served share; then the same with k chosen per hour
of the day *in hindsight* (greedily, the most unmet GPU-time saved per node-hour first) until the served
target is reached or the cost target spent. If even that misses the served target, no causal policy with real start-up times, a paid standby
tier and scale-down hysteresis can meet it on this trace.

Usage: python3 hack/bench/standby-bound.py TRACE.csv [--from-day 7] [--gpus-per-node 8]
       [--resume-p50 35] [--resume-p90 60] [--cost-target 1.15] [--served-target 0.999]
"""
import argparse
import csv
import math
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trace")
    parser.add_argument("--from-day", type=float, default=7, help="score from this day on (default 7, the benches' warm-up)")
    parser.add_argument("--gpus-per-node", type=int, default=8)
    parser.add_argument("--resume-p50", type=float, default=35, help="seconds (default 35)")
    parser.add_argument("--resume-p90", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--cost-target", type=float, default=1.15)
    parser.add_argument("--served-target", type=float, default=0.999)
    parser.add_argument("--standby-price", type=float, default=0.1, help="a standby node-hour, per running one (default 0.1)")
    parser.add_argument("--startup-minutes", type=float, default=6, help="a new node's start-up (default 6, the benches' p50)")
    arguments = parser.parse_args()
    try:
        with open(arguments.trace, newline="") as handle:
            rows = [(float(row["timestamp_seconds"]), float(row["gpus"])) for row in csv.DictReader(handle)]
    except (OSError, KeyError, ValueError) as error:
        sys.exit(f"standby-bound: {arguments.trace}: not a demand series with timestamp_seconds,gpus ({error})")
    if len(rows) < 3 or any(b[0] - a[0] != 60 for a, b in zip(rows, rows[1:])):
        sys.exit(f"standby-bound: {arguments.trace}: needs a demand series at a 60 s step")
    if not (0 < arguments.resume_p50 < arguments.resume_p90):
        sys.exit("standby-bound: --resume-p50 must be positive and below --resume-p90")
    gpus = [value for _, value in rows]
    start = max(1, int(arguments.from_day * 1440))
    if start >= len(gpus):
        sys.exit(f"standby-bound: {arguments.trace}: shorter than --from-day {arguments.from_day}")
    size = arguments.gpus_per_node
    sigma = math.log(arguments.resume_p90 / arguments.resume_p50) / 1.2815515655446004
    resume = arguments.resume_p50 * math.exp(sigma * sigma / 2) / 60   # mean, in minutes
    demand, previous = gpus[start:], gpus[start - 1:-1]
    oracle = sum(math.ceil(value / size) for value in demand) / 60
    total = sum(demand) / 60

    def unmet_and_cost(minutes, idle):
        cost = unmet = 0.0
        for i in minutes:
            running = math.ceil(previous[i] / size) + idle(i)
            cost += max(running, math.ceil(demand[i] / size)) / 60
            unmet += max(0.0, demand[i] - running * size) * resume / 60
        return unmet, cost

    everything = range(len(demand))
    print(f"{arguments.trace}: scored {len(demand)} minutes from day {arguments.from_day:g}, {total:.0f} GPU-hours demanded, "
          f"oracle {oracle:.1f} node-hours; resume mean {resume * 60:.1f} s; "
          f"{100 * (1 - arguments.served_target):.1f} % unserved allows {total * (1 - arguments.served_target):.1f} GPU-hours")
    print("| running idle nodes | cost ÷ oracle | served |")
    print("|---|---:|---:|")
    for k in range(9):
        unmet, cost = unmet_and_cost(everything, lambda i: k)
        print(f"| constant {k} | {cost / oracle:.3f} | {100 * (1 - unmet / total):.3f} % |")

    hours = [[i for i in everything if (start + i) // 60 % 24 == hour] for hour in range(24)]
    idle = [0] * 24
    unmet_by_hour = [unmet_and_cost(hours[h], lambda i: 0)[0] for h in range(24)]
    base_cost = unmet_and_cost(everything, lambda i: 0)[1]
    budget, spent = arguments.cost_target * oracle - base_cost, 0.0
    while 1 - sum(unmet_by_hour) / total < arguments.served_target:
        best = None
        for h in range(24):
            saved = unmet_by_hour[h] - unmet_and_cost(hours[h], lambda i, k=idle[h] + 1: k)[0]
            price = len(hours[h]) / 60
            if saved > 0 and (best is None or saved / price > best[0]):
                best = (saved / price, h, price, saved)
        if best is None or spent + best[2] > budget:
            break
        _, h, price, saved = best
        idle[h] += 1
        spent += price
        unmet_by_hour[h] -= saved
    served = 1 - sum(unmet_by_hour) / total
    window = max(1, round(arguments.startup_minutes))
    rise = max(max(demand[i:i + window + 1]) - demand[i] for i in range(len(demand) - window))
    standby = math.ceil(rise / size) * arguments.standby_price * len(demand) / 60
    print(f"| per hour of day, in hindsight, until {100 * arguments.served_target:g} % or {arguments.cost_target:g}x: {idle} | "
          f"{(base_cost + spent) / oracle:.3f} | {100 * served:.3f} % |")

    print(f"standby for the largest rise within {window} min ({rise:.0f} GPUs, {math.ceil(rise / size)} nodes) at "
          f"{arguments.standby_price:g} of a running node: +{standby / oracle:.3f} x oracle for a tier of that size")


if __name__ == "__main__":
    main()
