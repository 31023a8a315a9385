#!/usr/bin/env bash
# Builds a self-contained mtlj bundle for an air-gapped CUDA host (no internet, no JDK):
#   natives archive: the libtorch GPU natives jar (changes only with the libtorch version; send it once)
#   app archive:     a jlink'd Java runtime, mtlj and its Java dependencies, launchers, and (--with-tests) the
#                    test classes with the JUnit console launcher
# Each archive is xz-compressed and cut into parts of at most PART_MIB MiB (default 60) with a SHA-256 list.
# On the host: benchmarks/gpu/unpack.sh (shipped inside the app archive too) reassembles, checks and unpacks.
#
#   benchmarks/gpu/bundle.sh [--with-tests] [--app-only | --natives-only] [--out DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
out=target/gpu-bundle
with_tests=0
app_only=0
natives_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --with-tests) with_tests=1 ;;
    --app-only) app_only=1 ;;
    --natives-only) natives_only=1 ;;
    --out) out="$2"; shift ;;
    *) echo "bundle.sh: unknown option '$1' (allowed: --with-tests, --app-only, --natives-only, --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
part_mib=${PART_MIB:-60}
version=$(./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout)
torch_version=$(./mvnw -B -q help:evaluate -Dexpression=pytorch.version -DforceStdout)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"

./mvnw -B -q -Pgpu -DskipTests package
./mvnw -B -q -Pgpu dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$stage/deps"

# natives: only the GPU natives jar of libtorch
natives_name="mtlj-gpu-natives-$torch_version"
if [ "$app_only" = 0 ]; then
  mkdir -p "$stage/natives/mtlj-gpu/lib"
  mv "$stage"/deps/pytorch-*-linux-x86_64-gpu.jar "$stage/natives/mtlj-gpu/lib/"
  tar -C "$stage/natives" -cf - mtlj-gpu | xz -9 -T0 > "$stage/$natives_name.tar.xz"
  (cd "$stage" && split -b "${part_mib}M" -d -a 2 "$natives_name.tar.xz" "$root/$out/$natives_name.tar.xz.part")
  (cd "$out" && sha256sum "$natives_name".tar.xz.part* > "$natives_name.sha256")
else
  rm -f "$stage"/deps/pytorch-*-linux-x86_64-gpu.jar
fi
if [ "$natives_only" = 1 ]; then ls -l "$out"; exit 0; fi

# app: runtime image + jars + launchers
app="$stage/app/mtlj-gpu"
mkdir -p "$app/lib" "$app/bin"
cp "$stage"/deps/*.jar "$app/lib/"
cp target/mtlj.jar "$app/lib/mtlj-$version.jar"
cp benchmarks/gpu/host/mtlj benchmarks/gpu/host/bench benchmarks/gpu/host/cuda-env.sh benchmarks/gpu/unpack.sh "$app/bin/"
./mvnw -B -q -DskipTests install                 # the benchmarks build against the installed mtlj (classes only)
./mvnw -B -q -f benchmarks/pom.xml package
cp benchmarks/target/mtlj-benchmarks.jar "$app/lib/mtlj-benchmarks-$version.jar"
# jdeps over all jars fails on some of them (multi-release/module conflicts), so the list is explicit: java.desktop
# for XChart's charts, java.xml for Logback, java.sql for Jackson, jdk.unsupported for JavaCPP.
modules="java.base,java.desktop,java.xml,java.sql,java.management,java.naming,jdk.unsupported,jdk.zipfs"
if [ "$with_tests" = 1 ]; then
  ./mvnw -B -q -Pgpu -DskipTests test-compile
  ./mvnw -B -q -Pgpu dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$stage/testdeps"
  mkdir -p "$app/test/lib"
  cp -r target/test-classes "$app/test/classes"
  for j in "$stage"/testdeps/*.jar; do [ -e "$app/lib/$(basename "$j")" ] || [[ "$j" == *linux-x86_64-gpu* ]] || cp "$j" "$app/test/lib/"; done
  cp "$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.10.3/junit-platform-console-standalone-1.10.3.jar" \
    "$app/test/lib/" 2>/dev/null || ./mvnw -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.10.3 \
    -DoutputDirectory="$app/test/lib"
  cp benchmarks/gpu/host/test "$app/bin/"
fi
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$app/jre"
app_name="mtlj-gpu-app-$version"
tar -C "$stage/app" -cf - mtlj-gpu | xz -9 -T0 > "$stage/$app_name.tar.xz"
rm -f "$out/$app_name".tar.xz.part*
(cd "$stage" && split -b "${part_mib}M" -d -a 2 "$app_name.tar.xz" "$root/$out/$app_name.tar.xz.part")
(cd "$out" && sha256sum "$app_name".tar.xz.part* > "$app_name.sha256")
cp benchmarks/gpu/unpack.sh "$out/"
ls -l "$out"
