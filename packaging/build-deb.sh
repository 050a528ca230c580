#!/usr/bin/env bash
# Build the Debian package: packaging/build-deb.sh [OUTDIR]   (default build/deb)
# Copies the tracked tree (git ls-files) into OUTDIR/scmpwatch-VERSION/ with packaging/debian/
# as its debian/, writes debian/changelog from the CMake project version and the commit, runs
# dpkg-buildpackage (binary only, unsigned) and lintian on the result. Prints the .deb path.
# Installs what it needs (debhelper, lintian...) with packaging/install-deps.sh package.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
out=${1:-$top/build/deb}
packaging/install-deps.sh package
version=$(sed -n 's/^project(scmpwatch VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "build-deb.sh: no project version in CMakeLists.txt" >&2; exit 1; }
src=$out/scmpwatch-$version
rm -rf "$src" "$out"/scmpwatch_"$version"_*
mkdir -p "$src"
git ls-files -z | xargs -0 cp --parents -t "$src"
cp -r packaging/debian "$src/debian"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
date=$(git log -1 --format=%cD 2>/dev/null || date -R)
cat >"$src/debian/changelog" <<CL
scmpwatch ($version) unstable; urgency=medium

  * Built from commit $commit.

 -- scmpwatch maintainers <maintainers@users.noreply.r-seed-82b6f6ec.example>  $date
CL
(cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
  tail -40 "$out/build.log" >&2; echo "build-deb.sh: dpkg-buildpackage failed ($out/build.log)" >&2; exit 1; }
deb=$(ls "$out"/scmpwatch_"$version"_*.deb)
echo "== lintian $deb"
lintian --fail-on error "$deb" # warnings kept: packaging/lintian-kept.txt
echo "$deb"
