#!/usr/bin/env bash
# Build the scmpwatch container image from this checkout, offline: no base image, no registry,
# no network. What the DaemonSet (scmpwatch-daemonset.yaml) runs.
#
#   packaging/kubernetes/build-image.sh [--tag NAME:TAG] [--binary FILE] [--build-dir DIR]
#                                       [--rootfs-tar FILE] [--no-import]
#
#  1. builds scmpwatch with CMake (Release, prefix /usr, no tests) in build/image, or takes
#     --binary FILE (a build of your own, e.g. the one the tests run);
#  2. assembles a minimal root file system: /usr/bin/scmpwatch, the shipped rules in
#     /usr/share/scmpwatch/rules, /etc/scmpwatch/rules.d, GNU tar as /usr/bin/tar (what
#     `kubectl cp` runs in the container to copy the state out), every shared library ldd
#     names for those two and the dynamic loader (at the paths ldd prints), /etc/passwd and
#     /etc/group with root only, and the empty directories the runtime mounts over (/proc /sys
#     /dev /tmp /run /var/lib/scmpwatch). No shell, no package manager;
#  3. `docker import`s it (the daemon of $DOCKER_HOST; $DOCKER names the client, default
#     docker) as scmpwatch:VERSION (VERSION from CMakeLists.txt), ENTRYPOINT
#     /usr/bin/scmpwatch, CMD watch, PATH=/usr/bin (kubectl exec and cp name "scmpwatch" and
#     "tar"), SCMPWATCH_RULES_DIR=/usr/share/scmpwatch/rules (where the rules are, whatever
#     prefix a --binary was configured with). --rootfs-tar FILE also keeps the tarball (reproducible:
#     sorted, owner 0, mtime $SOURCE_DATE_EPOCH or 0); --no-import stops there.
# Prints the image tag (or the tarball) on the last line. Installs the build dependencies with
# packaging/install-deps.sh build when it builds.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^project(scmpwatch VERSION \([0-9.]*\).*/\1/p' "$top/CMakeLists.txt")
[ -n "$version" ] || { echo "build-image.sh: no project version in $top/CMakeLists.txt" >&2; exit 1; }
tag=scmpwatch:$version binary= build=$top/build/image tarball= import=1
usage() { sed -n '5,6p' "$0" | sed 's/^# *//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=${2:?}; shift 2 ;;
    --binary) binary=${2:?}; shift 2 ;;
    --build-dir) build=${2:?}; shift 2 ;;
    --rootfs-tar) tarball=${2:?}; shift 2 ;;
    --no-import) import=; shift ;;
    -h | --help) usage ;;
    *) echo "build-image.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$import" ] || [ -n "$tarball" ] || { echo "build-image.sh: --no-import needs --rootfs-tar FILE" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

if [ -z "$binary" ]; then
  "$top/packaging/install-deps.sh" build
  echo "== build (Release) in $build" >&2
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DSCW_TESTS=OFF -DSCW_BENCH=OFF >/dev/null
  cmake --build "$build" -j"${JOBS:-$(nproc)}" --target scmpwatch >/dev/null
  DESTDIR=$work/install cmake --install "$build" >/dev/null
  binary=$work/install/usr/bin/scmpwatch
  rules=$work/install/usr/share/scmpwatch/rules
  local_rules=$work/install/etc/scmpwatch/rules.d
else
  [ -x "$binary" ] || { echo "build-image.sh: '$binary' is not an executable" >&2; exit 1; }
  rules=$top/rules
  local_rules=$top/packaging/etc
fi

echo "== root file system" >&2
mkdir -p "$root"/{usr/bin,usr/share/scmpwatch/rules,etc/scmpwatch/rules.d,proc,sys,dev,run,tmp,var/lib/scmpwatch}
chmod 1777 "$root/tmp"
chmod 0700 "$root/var/lib/scmpwatch"
install -m 0644 "$rules"/*.yaml "$root/usr/share/scmpwatch/rules/"
install -m 0644 "$local_rules"/*.yaml "$root/etc/scmpwatch/rules.d/"
# FILE copied to DEST with the libraries and the loader it needs, at the paths ldd prints (the
# loader's built-in search path covers Debian's multiarch directories: no ld.so.cache needed).
with_libs() {
  local file=$1 dest=$2 libs lib
  install -m 0755 "$file" "$root$dest"
  ldd "$file" | grep -q "not found" && { ldd "$file" >&2; echo "build-image.sh: a library of '$file' is missing" >&2; exit 1; }
  libs=$(ldd "$file" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' || true)
  if [ -z "$libs" ] && ! ldd "$file" 2>&1 | grep -q "not a dynamic executable"; then
    echo "build-image.sh: ldd found no libraries for '$file'" >&2; exit 1
  fi
  for lib in $libs; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}
with_libs "$binary" /usr/bin/scmpwatch
# GNU tar, for `kubectl cp` (it runs "tar cf - -C DIR -- FILE" in the container).
with_libs "$(command -v tar)" /usr/bin/tar
printf 'root:x:0:0:root:/:/usr/bin/scmpwatch\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
# The image is the binary, its rules and libraries: check it runs from there alone, as in the
# container (its own /proc, the image's environment only).
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v chroot >/dev/null; then
  in_root() {
    env -i PATH=/usr/bin SCMPWATCH_RULES_DIR=/usr/share/scmpwatch/rules \
      "$(command -v unshare)" --mount --fork /bin/sh -c \
      'mount -t proc proc "$0/proc" && c=$1 && shift && exec "$c" "$0" "$@"' \
      "$root" "$(command -v chroot)" "$@"
  }
  in_root /usr/bin/scmpwatch --version >/dev/null ||
    { echo "build-image.sh: /usr/bin/scmpwatch does not run inside the root file system" >&2; exit 1; }
  in_root /usr/bin/scmpwatch rules check /usr/share/scmpwatch/rules/default.yaml >/dev/null ||
    { echo "build-image.sh: the shipped rules do not load inside the root file system" >&2; exit 1; }
  listed=$(in_root /usr/bin/tar cf - -C /usr/share -- scmpwatch | tar tf -) || listed=
  grep -qx scmpwatch/rules/default.yaml <<<"$listed" ||
    { echo "build-image.sh: tar (for kubectl cp) does not work inside the root file system" >&2; exit 1; }
fi

tar_out=${tarball:-$work/rootfs.tar}
tar --sort=name --mtime="@${SOURCE_DATE_EPOCH:-0}" --owner=0 --group=0 --numeric-owner \
  -C "$root" -cf "$tar_out" .
if [ -z "$import" ]; then
  echo "$tar_out"
  exit 0
fi
echo "== docker import as $tag" >&2
"${DOCKER:-docker}" import \
  --change 'ENTRYPOINT ["/usr/bin/scmpwatch"]' --change 'CMD ["watch"]' --change 'USER 0' \
  --change 'WORKDIR /' --change 'ENV PATH=/usr/bin' \
  --change 'ENV SCMPWATCH_RULES_DIR=/usr/share/scmpwatch/rules' \
  --change "LABEL org.opencontainers.image.title=scmpwatch" \
  --change "LABEL org.opencontainers.image.version=$version" \
  --change "LABEL scmpwatch.rootfs=$(sha256sum "$tar_out" | cut -c1-16)" \
  "$tar_out" "$tag" >/dev/null
echo "$tag"
