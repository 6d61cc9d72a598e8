#!/usr/bin/env bash
# Runs every fuzz target (or those named) for FUZZ_SECONDS each, starting from its committed seed corpus
# in Fuzz/Corpus/TARGET (read only) and the corpus grown by earlier runs in .build-fuzz/corpus/TARGET.
# Prints one line of figures per target and exits non-zero if any target crashed or broke an invariant;
# the input is then in .build-fuzz/artifacts/TARGET/ (replay it with the binary and that file as argument).
#
#   hack/fuzz/run.sh                          # every target, FUZZ_SECONDS (300) each
#   FUZZ_SECONDS=30 hack/fuzz/run.sh FuzzCron # one target
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-300}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(FuzzCron FuzzTraceCSV FuzzGPUPoolManifest FuzzKubeconfig FuzzJSONTape FuzzClusterRequest FuzzPlanner)
fi
bin=$(swift build --package-path Fuzz --scratch-path .build-fuzz --show-bin-path)
mkdir -p .build-fuzz/logs
failed=()
printf '%-22s %8s %12s %10s %8s %8s %8s  %s\n' target seconds execs execs/s cov ft corpus result
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    artifacts=.build-fuzz/artifacts/$target
    log=.build-fuzz/logs/$target.log
    mkdir -p "$corpus" "$artifacts"
    # Leak detection is off: LeakSanitizer counts the Swift runtime's once-only allocations (lazy globals,
    # the standard library's compiled Regex programs, which hold cyclic boxes) as leaks of the first input
    # that happens to trigger them, so every target would "fail" on its first few inputs.
    options=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=3072 -max_len=8192
             -detect_leaks=0 -artifact_prefix="$artifacts/")
    [ -f "Fuzz/Dictionaries/$target.dict" ] && options+=(-dict="Fuzz/Dictionaries/$target.dict")
    # The Swift runtime's own crash handler would race ASan's and libFuzzer's reports.
    ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$bin/$target" "${options[@]}" "$corpus" "Fuzz/Corpus/$target" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    units=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
    result=ok
    if [ $status -ne 0 ]; then
        result="FAILED (exit $status, see $log)"
        failed+=("$target")
    fi
    printf '%-22s %8s %12s %10s %8s %8s %8s  %s\n' "$target" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${units:-?}" "$result"
done
if [ ${#failed[@]} -gt 0 ]; then
    for target in "${failed[@]}"; do
        echo "== $target"
        grep -E 'Fatal error|fuzz invariant|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY|Test unit written' ".build-fuzz/logs/$target.log" | head -8
    done
    echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}"
    exit 1
fi
echo "fuzz: ${#targets[@]} target(s), no crash"
