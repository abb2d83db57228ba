# orrmeta — the README's commands. Each target installs GSL and pkg-config first when missing.
SWIFT ?= swift

.PHONY: deps build release reproduce test bench clean

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

clean:
	rm -rf .build
