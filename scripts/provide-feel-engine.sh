#!/usr/bin/env bash
# Build Camunda's FEEL engine as a line-oriented JVM process (tools/feel-reference) for the FEEL
# differential suite (tests/interop/feel), and print the path of the runnable jar on stdout.
#
# The jar is built with Maven from Maven Central into a cache outside the repository:
#   ${ZEEBE_S3_CONNECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeebe-s3-connector}/feel-engine-<version>/
# It is reused while the pinned version and the sources stay the same, and rebuilt when they change.
# Everything but the path goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCES=tools/feel-reference
die() { echo "provide-feel-engine: $*" >&2; exit 1; }

command -v java >/dev/null || die "java is not installed; the FEEL differential suite needs Java 17+ (e.g. apt-get install openjdk-17-jdk-headless)"
command -v mvn >/dev/null || die "mvn is not installed; the FEEL differential suite needs Maven 3.8+ (e.g. apt-get install maven)"
JAVA_MAJOR=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${JAVA_MAJOR:-0}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed, found ${JAVA_MAJOR:-unknown}"

VERSION=$(sed -n 's:.*<version.feel-engine>\(.*\)</version.feel-engine>.*:\1:p' "$SOURCES/pom.xml")
[ -n "$VERSION" ] || die "no <version.feel-engine> pin in $SOURCES/pom.xml"

CACHE_ROOT="${ZEEBE_S3_CONNECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeebe-s3-connector}"
CACHE="$CACHE_ROOT/feel-engine-$VERSION"
JAR="$CACHE/feel-reference.jar"
# the fingerprint of what the jar is built from: the pom (with the pin) and every source file
FINGERPRINT=$(cd "$SOURCES" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9  # one build at a time; a second caller waits and then reuses it

if [ -f "$JAR" ] && [ "$(cat "$CACHE/fingerprint" 2>/dev/null)" = "$FINGERPRINT" ]; then
    echo "$JAR"
    exit 0
fi

echo "provide-feel-engine: building the FEEL reference (feel-engine $VERSION) into $CACHE" >&2
BUILD="$CACHE/build"
rm -rf "$BUILD" && mkdir -p "$BUILD"
cp -R "$SOURCES/pom.xml" "$SOURCES/src" "$BUILD/"
if ! (cd "$BUILD" && mvn -B -q -DskipTests package) >"$CACHE/build.log" 2>&1; then
    tail -40 "$CACHE/build.log" >&2
    die "the Maven build failed (full log: $CACHE/build.log); Maven Central must be reachable for the first build"
fi
cp "$BUILD/target/feel-reference.jar" "$JAR.tmp" && mv "$JAR.tmp" "$JAR"
echo "$FINGERPRINT" >"$CACHE/fingerprint"
rm -rf "$BUILD"
echo "$JAR"
