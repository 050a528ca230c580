#!/usr/bin/env bash
# Install the Debian 12 packages scmpwatch needs, by purpose, skipping what is present.
#   packaging/install-deps.sh build   compiler, CMake and the libraries the binary links
#   packaging/install-deps.sh test    + cmocka, auparse (differential oracle), clang (fuzzing),
#                                     tmux (a real terminal for e2e_review_tmux.sh)
#   packaging/install-deps.sh e2e     + runc, docker.io, busybox-static, git (end-to-end tests)
#   packaging/install-deps.sh bench   + auditd (ausearch), GNU time, jq, auparse (bench/run*.sh)
#   packaging/install-deps.sh runtimes  + podman (rootful and rootless), crun, containerd (ctr),
#                                     LXC, systemd-nspawn, runc, busybox-static (e2e_rt_*.sh)
#   packaging/install-deps.sh package + debhelper, lintian (packaging/build-deb.sh)
#   packaging/install-deps.sh metrics + prometheus (promtool; e2e_watch_metrics.sh scrapes the
#                                     watcher with a real Prometheus), curl, python3
#   packaging/install-deps.sh k8s     + kubectl (kubernetes-client, unless a kubectl is on PATH:
#                                     another package may own /usr/bin/kubectl), python3-yaml,
#                                     python3-kubernetes (its API models check the manifest's
#                                     fields offline) for e2e_k8s_daemonset.sh
#   packaging/install-deps.sh browser + chromium (headless: e2e_report_browser.sh renders the
#                                     HTML report and screenshots it; bench/html.sh), python3
# Several purposes may be given. Needs root (or sudo) only when something is missing.
set -euo pipefail

build=(build-essential cmake pkg-config libseccomp-dev libyaml-dev libjansson-dev zlib1g-dev
  libsystemd-dev)
test=(libcmocka-dev libaudit-dev libauparse-dev clang clang-format libclang-rt-14-dev python3 procps
  tmux)
e2e=(runc docker.io busybox-static iproute2 git)
bench=(auditd time jq libauparse-dev)
package=(debhelper dpkg-dev lintian git)
metrics=(prometheus curl python3)
k8s=(python3 python3-yaml python3-kubernetes)
browser=(chromium python3)
# Rootless Podman needs newuidmap/newgidmap (uidmap), fuse-overlayfs and slirp4netns (pulled by
# podman but listed: rootless runs fail without them); conmon is Podman's monitor; lxc-busybox
# is LXC's own template (in lxc); systemd-container brings systemd-nspawn.
runtimes=(podman conmon crun runc containerd lxc systemd-container uidmap fuse-overlayfs
  slirp4netns busybox-static python3 iproute2 util-linux)

want=()
[ $# -gt 0 ] || set -- build
for purpose in "$@"; do
  case "$purpose" in
    build) want+=("${build[@]}") ;;
    test) want+=("${build[@]}" "${test[@]}") ;;
    e2e) want+=("${e2e[@]}") ;;
    bench) want+=("${build[@]}" "${bench[@]}") ;;
    package) want+=("${build[@]}" "${package[@]}") ;;
    runtimes) want+=("${runtimes[@]}") ;;
    metrics) want+=("${metrics[@]}") ;;
    browser) want+=("${browser[@]}") ;;
    k8s)
      want+=("${k8s[@]}")
      command -v kubectl >/dev/null || want+=(kubernetes-client)
      ;;
    *) echo "install-deps.sh: unknown purpose '$purpose' (build, test, e2e, bench, runtimes, package, metrics, k8s, browser)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# Tests run in parallel and several install what they need (a browser, runtimes, the .deb):
# one dpkg at a time, everything of ours that runs apt or dpkg takes this lock, and what is
# still missing is looked at again once it is held.
if [ -z "$sudo" ] && command -v flock >/dev/null; then
  exec 9>/var/lock/scmpwatch-apt.lock
  flock 9
  still=()
  for p in "${missing[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || still+=("$p")
  done
  [ ${#still[@]} -eq 0 ] && exit 0
  missing=("${still[@]}")
fi
echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# auditd must not start a daemon that would take the audit socket from the tests: policy-rc.d
# keeps services from starting during the install (we never need auditd running).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
