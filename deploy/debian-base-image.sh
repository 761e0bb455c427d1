#!/bin/sh
# Builds a Java 17 base image tarball from Debian packages, for an image build on a machine that
# reaches Debian's package mirror but no container registry (run as root; needs debootstrap, which
# `apt-get install debootstrap` provides, and about 1 GB in target/):
#   deploy/debian-base-image.sh
#   ./mvnw -B package -DskipTests -Dquarkus.profile=pg -Dquarkus.container-image.build=true \
#       -Dquarkus.jib.docker-executable-name="$PWD/deploy/docker-load-to-tar.sh" \
#       -Dquarkus.jib.base-jvm-image="tar://$PWD/target/base-image/debian-jre17.tar"
# The mirror is the one apt on this machine uses (or $DEBIAN_MIRROR); the suite is $DEBIAN_SUITE
# (default: this machine's, e.g. bookworm).
set -eu
cd "$(dirname "$0")/.."
out=target/base-image
suite="${DEBIAN_SUITE:-$(. /etc/os-release && echo "$VERSION_CODENAME")}"
mirror="${DEBIAN_MIRROR:-$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { print $2; exit }')}"
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
fi
[ -n "$mirror" ] || { echo "debian-base-image.sh: no Debian mirror found; set DEBIAN_MIRROR" >&2; exit 1; }

rm -rf "$out" && mkdir -p "$out"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates "$suite" "$out/rootfs" "$mirror"
rm -rf "$out"/rootfs/var/cache/apt/archives/*.deb "$out"/rootfs/var/lib/apt/lists/* \
  "$out"/rootfs/usr/share/doc "$out"/rootfs/usr/share/man
tar --numeric-owner -C "$out/rootfs" -cf "$out/layer.tar" .
diff_id=$(sha256sum "$out/layer.tar" | cut -d' ' -f1)
arch=$(dpkg --print-architecture)
cat > "$out/config.json" <<JSON
{"architecture":"$arch","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"]},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
echo "[{\"Config\":\"config.json\",\"RepoTags\":[\"gpuplan-base:$suite-jre17\"],\"Layers\":[\"layer.tar\"]}]" > "$out/manifest.json"
tar -C "$out" -cf "$out/debian-jre17.tar" manifest.json config.json layer.tar
rm -rf "$out/rootfs" "$out/layer.tar"
echo "Base image: $PWD/$out/debian-jre17.tar"
