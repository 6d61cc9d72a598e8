# Fleetcast operator image, for users with a container engine. Build from the repository root:
#   docker build -t fleetcast:dev .
# Without an engine, `make image` builds the same image with umoci (hack/image/build-image.sh): both run
# hack/image/assemble-rootfs.sh and take user, entrypoint and ports from hack/image/image.env, and
# hack/check-deploy.py (in `make test`) fails when this file, that description or deploy/ disagree.

# ---- build: the Swift toolchain, libcurl's headers for CCurl, and the files the image carries ----
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-noble AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev libssl-dev pkg-config tzdata ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer so source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY hack/image ./hack/image
# No .git in the build context: fleetcast_build_info reports commit "unknown" (make image bakes it in).
RUN swift build -c release --product fleetcast --static-swift-stdlib \
 && bash hack/image/assemble-rootfs.sh "$(swift build -c release --static-swift-stdlib --show-bin-path)/fleetcast" /rootfs

# ---- runtime: only the binary, the libraries it loads, tzdata and CA certificates ----
FROM scratch
COPY --from=build /rootfs /
USER 65532:65532
EXPOSE 8443 8081
ENTRYPOINT ["/usr/local/bin/fleetcast"]
CMD ["operator"]
