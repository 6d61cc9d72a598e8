#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (a separate package that depends on this one) in .build-fuzz,
# with coverage instrumentation and AddressSanitizer. See docs/fuzzing.md.
#
# Why these flags: `--sanitize fuzzer` makes SwiftPM link libFuzzer's `main` instead of renaming the
# executable's entry point; SwiftPM passes its sanitizers as separate `-sanitize=` flags and the Swift
# driver keeps only the last one, so `-Xswiftc -sanitize=fuzzer,address` (which comes after them) is what
# actually instruments every Swift module for both. `-parse-as-library` because the targets have no
# top-level code: libFuzzer calls their `LLVMFuzzerTestOneInput`.
set -euo pipefail
cd "$(dirname "$0")/../.."
# SwiftPM keeps the build plan of a path dependency (this package, seen from Fuzz/) across source files
# being added or moved in it, and then fails with "missing inputs" or "cannot find X in scope". Dropping
# the plan makes it re-read the sources; compiled objects are kept, so this costs only planning.
rm -f .build-fuzz/debug.yaml .build-fuzz/*/debug/description.json
swift build --package-path Fuzz --scratch-path .build-fuzz -j 2 \
    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library "$@" \
    2> >(grep -v "ld.gold: warning: Cannot export local symbol '__asan" >&2)
