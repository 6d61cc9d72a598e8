# Fleetcast developer entry points. `make test` is what CI runs (.ci/run).
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: deps build test soak fuzz fuzz-build bench crd protobuf-schema check-deploy helm-test observability-test image image-test demo clean

## deps: install the system packages the build and tests need (idempotent), and bake the git commit into
## the next build (hack/build-info.sh writes .build/fleetcast-build-info.h for fleetcast_build_info)
deps:
	@bash hack/install-deps.sh
	@bash hack/build-info.sh

## build: compile every target
build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

## test: install deps, build, and run every test suite, then each fuzz target briefly (FUZZ_CI_SECONDS, 30) and a
## short chaos soak (SOAK_CI_MINUTES, 4). hack/test/run-tests.py fails the run, naming the tests still running and
## printing the test process's backtraces, when no test starts or ends for TEST_STALL_MINUTES (10): a hang
test: deps
	$(SWIFT) build --build-tests $(SWIFT_BUILD_FLAGS)
	python3 hack/test/run-tests.py --stall-minutes $(TEST_STALL_MINUTES) -- $(SWIFT) test --skip-build $(SWIFT_BUILD_FLAGS)
	python3 hack/check-deploy.py --self-test --chart deploy/helm/fleetcast deploy
	python3 hack/check-architecture.py --self-test
	.build/helm-venv/bin/python hack/helm/test-chart.py "$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast"
	python3 hack/observability/test-observability.py "$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast"
	python3 hack/soak/soak.py --minutes $(SOAK_CI_MINUTES) --quiet-minutes 2 --seed 1 \
		--fleetcast "$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast"
	bash hack/fuzz/build.sh
	FUZZ_SECONDS=$(FUZZ_CI_SECONDS) bash hack/fuzz/run.sh

FUZZ_SECONDS ?= 300
FUZZ_CI_SECONDS ?= 30
TEST_STALL_MINUTES ?= 10
SOAK_MINUTES ?= 30
SOAK_CI_MINUTES ?= 4

## soak: two operator replicas against the virtual cluster under random faults for SOAK_MINUTES (30), every
## invariant checked (hack/soak/soak.py; docs/operator.md "Chaos soak"). make soak SOAK_MINUTES=120 SOAK_SEED=7
soak: deps
	$(SWIFT) build --product fleetcast $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build --product fleetcast-dev $(SWIFT_BUILD_FLAGS)
	python3 hack/soak/soak.py --minutes $(SOAK_MINUTES) --seed $(or $(SOAK_SEED),1) \
		--fleetcast "$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast"

## fuzz-build: build the libFuzzer targets of Fuzz/ into .build-fuzz (-sanitize=fuzzer,address; docs/fuzzing.md)
fuzz-build: deps
	bash hack/fuzz/build.sh

## fuzz: run every fuzz target for FUZZ_SECONDS (300) from its seed corpus; make fuzz FUZZ_TARGETS="FuzzCron"
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash hack/fuzz/run.sh $(FUZZ_TARGETS)

## bench: run every benchmark script in hack/bench/ (each appends its results to docs/benchmarks.md by hand)
bench: deps
	@set -e; for script in hack/bench/*.sh; do [ -e "$$script" ] || continue; echo "== $$script"; bash "$$script"; done

## demo: the operator against a virtual cluster with simulated GPU nodes, a scheduled burst and a live table
## (about 5 minutes; docs/demo.md). Extra flags: make demo DEMO_FLAGS="--keep-running"
demo: deps
	$(SWIFT) build --product fleetcast $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build --product fleetcast-dev $(SWIFT_BUILD_FLAGS)
	"$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast-dev" demo $(DEMO_FLAGS)

## check-deploy: render deploy/ with kubectl kustomize and the Helm chart with Helm's library, and check objects,
## references, RBAC (the chart's must equal deploy/rbac) and security settings
check-deploy: deps
	python3 hack/check-deploy.py --self-test --chart deploy/helm/fleetcast deploy

## helm-test: lint the chart, render and schema-check value sets, then install, upgrade and uninstall it into
## `fleetcast-dev dev-cluster --authorize-rbac` with Helm's own client and run the operator as its ServiceAccount
helm-test: deps
	$(SWIFT) build --product fleetcast $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build --product fleetcast-dev $(SWIFT_BUILD_FLAGS)
	.build/helm-venv/bin/python hack/helm/test-chart.py "$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast"

## observability-test: check the Grafana dashboard's structure, run promtool check/test rules on the alerts, and
## scrape the operator with a real Prometheus until every dashboard and rule expression returns data
observability-test: deps
	$(SWIFT) build --product fleetcast $(SWIFT_BUILD_FLAGS)
	$(SWIFT) build --product fleetcast-dev $(SWIFT_BUILD_FLAGS)
	python3 hack/observability/test-observability.py "$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast"

## image: build the operator's OCI image without a container engine (umoci): the release binary, the libraries it
## loads, tzdata and CA certificates, user 65532; .build/image/oci (fleetcast:dev) and .build/image/fleetcast-oci.tar
image: deps
	bash hack/image/build-image.sh

## image-test: unpack the image and run it from its root filesystem as its non-root user (chroot): --version,
## then the operator against a dev-cluster until a pool is reconciled
image-test: image
	bash hack/image/test-image.sh

## crd: regenerate crds/fleetcast.dev_gpupools.yaml from the Swift schema (a test fails when it is stale);
## crds/ is a kustomization: install it with `kubectl apply -k crds/`
crd:
	$(SWIFT) build --product fleetcast $(SWIFT_BUILD_FLAGS)
	"$$($(SWIFT) build --show-bin-path $(SWIFT_BUILD_FLAGS))/fleetcast" crd > crds/fleetcast.dev_gpupools.yaml

## protobuf-schema: regenerate the virtual cluster's protobuf schema table from ../shared/reference/k8s-proto
## (ProtobufWireFormatTests fails when it is stale)
protobuf-schema:
	python3 hack/protobuf/generate-schema.py

clean:
	rm -rf .build .build-fuzz
