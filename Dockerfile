# Fleetcast operator image. Build from the repository root:
#   docker build -t fleetcast:dev .
# No container engine runs on the development machines, so it is not built here: hack/check-deploy.py
# (in `make test`) only checks that it agrees with deploy/ on user, ports and command. Build it where an
# engine is available.

# ---- build: the Swift toolchain, plus libcurl's headers for the CCurl system library ----
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-noble AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
RUN swift build -c release --product fleetcast --static-swift-stdlib \
 && mkdir -p /staging \
 && cp "$(swift build -c release --show-bin-path)/fleetcast" /staging/ \
 && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/

# ---- runtime: slim Ubuntu with what the static binary still loads or reads ----
FROM ubuntu:noble
# libcurl4t64: the API client's transport (noble's name for libcurl4).
# tzdata: IANA time zones for GPUPool schedules (cron windows in e.g. Europe/Berlin).
# ca-certificates: TLS to API servers whose CA is not given explicitly.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4t64 tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /staging/fleetcast /usr/local/bin/fleetcast
COPY --from=build /staging/swift-backtrace-static /usr/local/libexec/swift-backtrace-static
# Readable crash backtraces in the logs, without an interactive debugger.
ENV SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/libexec/swift-backtrace-static
# The same non-root user the Deployment's securityContext asks for.
USER 65532:65532
EXPOSE 8443 8081
ENTRYPOINT ["/usr/local/bin/fleetcast"]
CMD ["operator"]
