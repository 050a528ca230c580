#!/usr/bin/env bash
# e2e_docker_replicas: three containers of one image under one log-only profile (replicas)
# make one proposal: one profile group of 3 containers, every syscall seen in "3 of 3", counts
# summed, one tuned profile. A fourth container of the same image under another profile stays
# apart. Skips (77) when dockerd cannot be installed or started, saying why.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/watch_lib.sh"
. "$here/lib/runtimes.sh"
name=e2e_docker_replicas
tmp=$(mktemp -d)
cleanup() {
  local rc=$?
  rt_keep_on_failure "$rc" "$tmp" "$name"
  [ -n "${watch_pid:-}" ] && kill -9 "$watch_pid" 2>/dev/null || true
  rt_dockerd_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
rt_need_packages
rt_dockerd_start "$name"

"$SCMPWATCH" profile logify -q "$rt_data/app-profile.json" -o "$tmp/staging.json" || fail "logify"
state=$tmp/state.json
start_watch --state "$state" --interval 1 "${rt_watch_roots[@]}"
for c in web-1 web-2 web-3; do
  rt_docker run -d --name "$c" --network none --security-opt "seccomp=$tmp/staging.json" \
    "$rt_image" /app.sh --serve >/dev/null || fail "docker run $c"
done
# the odd one: same image, another profile (log-only for chmod, allows everything else)
rt_docker run -d --name other --network none --security-opt "seccomp=$rt_data/log-chmod.json" \
  "$rt_image" /app.sh --serve >/dev/null || fail "docker run other"
for c in web-1 web-2 web-3 other; do
  for _ in $(seq 1 100); do
    rt_docker logs "$c" 2>/dev/null | grep -qx 'app: done' && break
    sleep 0.1
  done
  rt_docker logs "$c" 2>/dev/null | grep -qx 'app: done' || fail "$c did not finish: $(rt_docker logs "$c" 2>&1)"
done
sleep 1.5
stop_watch TERM || fail "watcher exit status $? on SIGTERM"

# While the containers run (their task config.json files are the profiles read).
"$SCMPWATCH" suggest --state "$state" --format json --output "$tmp/proposals.json" || fail "suggest --format json"
"$SCMPWATCH" suggest --state "$state" >"$tmp/proposals.txt" || fail "suggest (text)"
"$SCMPWATCH" suggest --state "$state" --format profile --output "$tmp/tuned/" || fail "suggest --format profile"
ids=()
for c in web-1 web-2 web-3 other; do ids+=("$(rt_docker inspect -f '{{.Id}}' "$c")"); done

json_check "$tmp/proposals.json" \
  "web = ['docker:' + i for i in '${ids[*]:0:3}'.split()]; other = 'docker:${ids[3]}'" \
  "for k in web: w = workload('docker', k[7:]); assert counts(w) == {'chmod': 3, 'mknodat': 3, 'unshare': 1}, counts(w)" \
  "assert counts(workload('docker', other[7:])) == {'chmod': 3}, counts(workload('docker', other[7:]))" \
  "gs = [g for g in doc['profiles'] if set(g['workloads']) & set(web + [other])]" \
  "assert len(gs) == 2, [(g['name'], g['workloads']) for g in gs]" \
  "g = [g for g in gs if other not in g['workloads']][0]" \
  "assert sorted(g['workloads']) == sorted(web) and g['members'] == 3 and g['member_kind'] == 'container', g['workloads']" \
  "assert g['name'] == 'scwbusybox-2', g['name']" \
  "d = {x['syscall']: (x['decision'], x['count'], x['seen_in'], x['coverage']) for x in g['proposals']}" \
  "assert d == {'chmod': ('allow', 9, 3, '3 of 3'), 'mknodat': ('allow', 9, 3, '3 of 3'), 'unshare': ('review', 3, 3, '3 of 3')}, d" \
  "assert g['tuned']['allow'] == ['chmod', 'mknodat'], g['tuned']" \
  "o = [g for g in gs if other in g['workloads']][0]" \
  "assert o['workloads'] == [other] and o['members'] == 1, o['workloads']" \
  "assert o['name'] == 'scwbusybox', o['name']  # both named after the image: 'other' < 'web-1' keeps it, every run" \
  "open('$tmp/groups', 'w').write(g['name'] + ' ' + o['name'] + '\\n')"
read -r group ogroup <"$tmp/groups"
grep -q "^profile $group: .*(from the container runtime), log-only" "$tmp/proposals.txt" ||
  fail "the text report has no section for profile group '$group'"
grep -qE "^  3 containers: docker web-[123] \(" "$tmp/proposals.txt" || fail "the text report does not list the 3 containers"
grep -q "in 3 of 3 containers" "$tmp/proposals.txt" || fail "the text report has no '3 of 3' coverage"
[ -s "$tmp/tuned/$group.json" ] && [ -s "$tmp/tuned/$ogroup.json" ] || fail "tuned/: $(ls "$tmp/tuned")"
[ "$(grep -c '"chmod"' "$tmp/tuned/$group.json")" -eq 1 ] || fail "chmod not added once to $group.json"
watch_pid=
echo "$name: ok (3 replicas -> group '$group', coverage 3 of 3; the other profile -> '$ogroup')"
