# orrmeta — the README's commands. Each target installs GSL and pkg-config first when missing.
SWIFT ?= swift

.PHONY: deps build release reproduce test bench bench-compare clean fuzz test-asan test-tsan

deps:
	@./scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product orrmeta

# The main job: reproduce the ALK reference meta-analysis from the bundled fixtures
# (Fixtures/alk-nsclc: cohorts.csv and published.toml; see Docs/reproduction.md).
reproduce: release
	./.build/release/orrmeta reproduce

# The whole test suite (XCTest and Swift Testing).
test: deps
	$(SWIFT) test --parallel

# Robustness (Docs/robustness.md): libFuzzer for FUZZ_SECONDS (Linux), the suite under sanitizers.
FUZZ_SECONDS ?= 600
fuzz: deps
	./scripts/fuzz.sh $(FUZZ_SECONDS)

test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt $(SWIFT) test --sanitize=address --build-path .build-asan

test-tsan: deps
	$(SWIFT) test --sanitize=thread --build-path .build-tsan

# Benchmarks (Docs/performance.md): orrmeta alone, then side by side with metafor and statsmodels
# (scripts/bench-compare --install installs those first).
bench: deps
	$(SWIFT) build -c release --product orrmeta
	$(SWIFT) run -c release orrmeta-bench

bench-compare: deps
	./scripts/bench-compare

clean:
	rm -rf .build
