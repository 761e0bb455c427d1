#!/bin/sh
# Stands in for the `docker` executable in a Quarkus Jib build on a machine without Docker:
#   ./mvnw package -Dquarkus.container-image.build=true \
#       -Dquarkus.jib.docker-executable-name="$PWD/deploy/docker-load-to-tar.sh"
# Quarkus' Jib extension has no tar output: without a push it hands the finished image to
# `docker load` on stdin. This answers `docker info` and saves what `docker load` receives as a
# `docker save`-style tarball, $GPUPLAN_IMAGE_TAR (default target/gpuplan-image.tar), which
# `docker load -i`, `podman load -i`, `ctr images import` or `kind load image-archive` take.
# It cannot stand in for anything else (a docker:// base image needs a real daemon).
set -eu
case "${1:-}" in
  info)
    case "$(uname -m)" in
      aarch64 | arm64) arch=aarch64 ;;
      *) arch=x86_64 ;;
    esac
    printf '{"OSType":"linux","Architecture":"%s"}\n' "$arch"
    ;;
  load)
    out="${GPUPLAN_IMAGE_TAR:-$(cd "$(dirname "$0")/.." && pwd)/target/gpuplan-image.tar}"
    mkdir -p "$(dirname "$out")"
    cat > "$out.part"
    mv "$out.part" "$out"
    echo "Wrote image tarball $out ($(wc -c < "$out") bytes)"
    ;;
  *)
    echo "docker-load-to-tar.sh: 'docker $*' is not supported here; only 'info' and 'load' are." >&2
    exit 1
    ;;
esac
