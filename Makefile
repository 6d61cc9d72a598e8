# Fleetcast developer entry points. `make test` is what CI runs (.ci/run).
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: deps build test clean

## deps: install the system packages the build and tests need (idempotent)
deps:
	@bash hack/install-deps.sh

## build: compile every target
build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

## test: install deps, build, and run every test suite
test: deps
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS)

clean:
	rm -rf .build
