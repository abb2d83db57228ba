#!/usr/bin/env bash
# Builds the libFuzzer target (Fuzz/OrrmetaFuzz) with coverage instrumentation and
# AddressSanitizer, then fuzzes bytes → CSVTable.parse → CohortFile.load → analyze (every measure
# and method) → every report format; inputs starting with #orrmeta-spec or #orrmeta-manifest are
# batch specs (TOML) and manifests instead. Linux only (swiftc -sanitize=fuzzer). See Docs/robustness.md.
#
#   scripts/fuzz.sh                 # build, then fuzz for 600 s
#   scripts/fuzz.sh 3600            # fuzz for an hour
#   scripts/fuzz.sh build           # build only
#   scripts/fuzz.sh 600 -jobs=2     # extra arguments go to libFuzzer
#   scripts/fuzz.sh repro CRASHFILE # run one input (a crash artifact) and print what happened
#
# Work corpus: .build-fuzz/corpus (seeded from Fixtures/fuzz-corpus and Fixtures/fuzz-regressions,
# which stay small);
# crashes, timeouts and leaks: fuzz-artifacts/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != "Linux" ]; then
  echo "fuzz.sh: libFuzzer with Swift needs Linux (swiftc -sanitize=fuzzer)" >&2
  exit 2
fi

BUILD=.build-fuzz
SAN="${ORRMETA_FUZZ_SANITIZERS:-fuzzer,address}"

build() {
  # Every module of the fuzz product is instrumented (-sanitize=fuzzer adds SanitizerCoverage);
  # the link step gets libFuzzer's main. Only this product is built, in its own build directory.
  ORRMETA_FUZZ=1 swift build -c debug --build-path "$BUILD" --product orrmeta-fuzz \
    -Xswiftc "-sanitize=$SAN" 1>&2
}

BIN="$BUILD/debug/orrmeta-fuzz"
# The Swift runtime's backtracer would otherwise take over a crash and stall libFuzzer.
export SWIFT_BACKTRACE=enable=no
# TOMLKit's C shim leaks the strings and key lists it returns (batch-spec inputs): the same
# third-party suppressions as `make test-asan`; any other leak is still a finding.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt}"

case "${1:-600}" in
  build)
    build
    echo "$BIN"
    ;;
  repro)
    [ -x "$BIN" ] || build
    "$BIN" "${2:?usage: scripts/fuzz.sh repro FILE}"
    ;;
  *)
    SECONDS_TO_RUN="${1:-600}"
    shift || true
    build
    mkdir -p "$BUILD/corpus" fuzz-artifacts
    "$BIN" "$BUILD/corpus" Fixtures/fuzz-corpus Fixtures/fuzz-regressions \
      -max_total_time="$SECONDS_TO_RUN" -timeout=10 -max_len=8192 -rss_limit_mb=4096 \
      -dict=Fuzz/orrmeta.dict -artifact_prefix=fuzz-artifacts/ -print_final_stats=1 "$@"
    ;;
esac
