#!/usr/bin/env bash
# Builds the root filesystem of Sluice's offline JRE base: a jlink runtime made from the build machine's JDK 17,
# the shared libraries it links against, and a non-root user. Jib puts the application layers on top of it
# (profile `offline-image`), so images can be built on a machine that cannot reach a container registry.
#
#   images/build-jre-rootfs.sh [output-dir]      # default: images/target/rootfs
#
# The production images use a maintained JRE base from a registry instead (see docs/images.md).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$ROOT/images/target/rootfs}"
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
JLINK="$JAVA_HOME/bin/jlink"
[ -x "$JLINK" ] || { echo "jlink not found under JAVA_HOME=$JAVA_HOME" >&2; exit 1; }
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "17' || { echo "JAVA_HOME must be a JDK 17" >&2; exit 1; }

# What the proxy (Netty, Micrometer, Bouncy Castle) and the operator (fabric8, JOSDK, Jackson, SnakeYAML) use
# from the JDK (standalone mode's echo backends use jdk.httpserver), plus JFR and the management agent so a running pod can be profiled.
MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,\
java.sql,java.xml,java.instrument,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.management,\
jdk.management.agent,jdk.jfr,jdk.naming.dns,jdk.zipfs,jdk.httpserver

rm -rf "$OUT"
mkdir -p "$OUT"
"$JLINK" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
  --output "$OUT/opt/java/openjdk"

# Every shared library the runtime needs, with the dynamic loader, copied (not linked) to the same paths.
copy_lib() {
  local src="$1"
  local dest="$OUT$src"
  [ -e "$dest" ] && return 0
  mkdir -p "$(dirname "$dest")"
  cp -L "$src" "$dest"
}
while IFS= read -r lib; do
  copy_lib "$lib"
done < <(find "$OUT/opt/java/openjdk" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
  | xargs -0 ldd 2>/dev/null | grep -o '/[^ ]*\.so[^ ]*' | grep -v "^$OUT" | sort -u)
# libjvm.so is found through the runtime's own paths; the loader path comes from PT_INTERP
copy_lib "$(readlink -f /lib64/ld-linux-x86-64.so.2)"
mkdir -p "$OUT/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$OUT/lib64/ld-linux-x86-64.so.2"
# name service switch modules glibc loads at run time for user and host lookups
for nss in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
           /lib/x86_64-linux-gnu/libresolv.so.2; do
  [ -e "$nss" ] && copy_lib "$nss"
done

# the non-root user every Sluice container runs as, a writable /tmp, and the CA bundle of the build machine
mkdir -p "$OUT/etc" "$OUT/tmp" "$OUT/proc" "$OUT/home/sluice"
chmod 1777 "$OUT/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nsluice:x:65532:65532:sluice:/home/sluice:/sbin/nologin\n' > "$OUT/etc/passwd"
printf 'root:x:0:\nsluice:x:65532:\n' > "$OUT/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$OUT/etc/nsswitch.conf"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$OUT/etc/ssl/certs"
  cp -L /etc/ssl/certs/ca-certificates.crt "$OUT/etc/ssl/certs/ca-certificates.crt"
fi
echo "JRE root filesystem in $OUT ($(du -sh "$OUT" | cut -f1))"
