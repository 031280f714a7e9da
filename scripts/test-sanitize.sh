#!/usr/bin/env bash
# The test suite under AddressSanitizer and ThreadSanitizer (issue 15): every test and every `fusionai`
# process the CLI tests start run instrumented, so an out-of-bounds access, use-after-free, leak or
# data race in the project's code fails the run. Each sanitizer builds in a folder of its own
# (.build/sanitize-address, .build/sanitize-thread), so the normal debug build is left as it is.
# `make test` does not run this (two more builds and runs of the suite; times in README's Guarantees);
# `make test-sanitize` does.
#
# Both run the whole suite: on a shared 2-core machine its tests took 549-606 s under AddressSanitizer
# and 660-673 s under ThreadSanitizer (README, Guarantees), so no part needs leaving out, the parallel
# paths included (parallelMap/parallelChunks and what runs on them: predict, explain, train, features,
# cohort, prepare, scan, variants, seqlets, motifs; the CLI runs one thread a core by default).
# FUSIONAI_SANITIZE_FILTER (a swift test --filter expression) runs a part, for a quick look.
#
# Usage: scripts/test-sanitize.sh [address|thread ...]   (default: both; make test-sanitize)
#        FUSIONAI_SANITIZE_FILTER='PredictCLITests|TrainerTests' scripts/test-sanitize.sh thread
set -euo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)

status=0
for s in "${sanitizers[@]}"; do
    case $s in
    address | thread) ;;
    *) echo "test-sanitize: unknown sanitizer '$s' (address or thread)" >&2; exit 2 ;;
    esac
    build=.build/sanitize-$s
    log=$build/test.log
    mkdir -p "$build"
    started=$SECONDS
    echo "test-sanitize: building with --sanitize=$s in $build" >&2
    # lld, as scripts/fuzz.sh links its sanitizer builds (gold stopped there with an internal error).
    if ! "$swift" build --build-tests --sanitize="$s" --build-path "$build" -Xswiftc -use-ld=lld \
        >"$build/build.log" 2>&1; then
        grep -E "error" "$build/build.log" | head -20 >&2
        echo "test-sanitize: the $s build failed (log: $build/build.log)" >&2
        exit 1
    fi
    built=$SECONDS
    filter=()
    [ -z "${FUSIONAI_SANITIZE_FILTER:-}" ] || filter=(--filter "$FUSIONAI_SANITIZE_FILTER")
    # The CLI tests run the instrumented binary of this build path, never an uninstrumented one that
    # FUSIONAI_BIN may name in the caller's environment.
    export FUSIONAI_BIN=$PWD/$build/debug/fusionai FUSIONAI_REQUIRE_BROWSER=1
    # Every report, from the test runner or any fusionai process it starts, goes to a file of its own
    # in $reports: a report from a run whose exit status a test does not check still fails this script.
    reports=$build/reports
    rm -rf "$reports" && mkdir -p "$reports"
    # allocator_may_return_null: a huge malloc fails as it does outside the sanitizers (libhdf5 asks for
    # one on some damaged files, HostileFileTests, and reports the file unreadable when it fails)
    # instead of aborting the run.
    common=allocator_may_return_null=1:log_path=$PWD/$reports/$s
    # Leaks: checked in every fusionai process (the CLI tests hand them FUSIONAI_CHILD_ASAN_OPTIONS), not
    # in the test runner: XCTest on Linux never frees its test cases, so everything they hold (a genome,
    # a model) would be reported as leaked. scripts/lsan-suppressions.txt: leaks in Foundation,
    # ZIPFoundation and libhdf5, each explained there.
    export ASAN_OPTIONS=$common:detect_leaks=0 FUSIONAI_CHILD_ASAN_OPTIONS=$common:detect_leaks=1
    export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0
    # halt_on_error: the first race ends the process, so its test fails too. No suppressions: none of
    # the races it could report (OpenBLAS's threads, libdispatch, Foundation) has come up.
    export TSAN_OPTIONS=$common:halt_on_error=1
    set +e
    "$swift" test --skip-build --sanitize="$s" --build-path "$build" "${filter[@]}" >"$log" 2>&1
    rc=$?
    set -e
    executed=$(grep -E "^\s*Executed [0-9]+ tests?," "$log" | tail -1 | sed -E 's/^\s*//; s/ in .*//' || true)
    echo "test-sanitize: $s: build $((built - started)) s, tests $((SECONDS - built)) s: ${executed:-no summary}" \
        "(exit $rc, log $log)" >&2
    # A report is an error, a race or a leak; "failed to allocate" warnings (allocator_may_return_null)
    # are the refused allocations above, not findings.
    pattern="ERROR: (Address|Leak|Thread)Sanitizer|WARNING: ThreadSanitizer: |SUMMARY: "
    found=$(grep -lE "$pattern" "$reports"/* 2>/dev/null | wc -l || true)
    if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then
        grep -hE "$pattern" "$reports"/* 2>/dev/null | head -20 >&2 || true
        grep -E "error: |failed \(" "$log" | head -20 >&2 || true
        echo "test-sanitize: $s found a problem: exit $rc, $found reports in $reports (log $log)" >&2
        status=1
    fi
done
exit $status
