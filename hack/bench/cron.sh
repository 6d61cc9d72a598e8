#!/usr/bin/env bash
# Speed of CronExpression.nextFireTime and RecurringWindow.nextWindow: compiles Sources/Cron together with
# hack/bench/cron/main.swift into one optimised binary and prints a table. Usage: bash hack/bench/cron.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swiftc -O -wmo -module-name CronBench Sources/Cron/*.swift hack/bench/cron/main.swift -o "$out/cron-bench"
"$out/cron-bench"
