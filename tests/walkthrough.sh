#!/usr/bin/env bash
# walkthrough.sh: the README's walkthrough, as a script: take an enforcing profile, see it
# break the app, make its log-only copy, run the app in staging under it while scmpwatch
# watches, read the proposals, write the tuned profile, run the app enforcing under it. The lines between the "walkthrough" markers are the README's
# block, character for character: tests/e2e_docker_journey.sh runs this script and fails when
# the README's copy differs, so the two cannot drift.
#
#   tests/walkthrough.sh DIR    (as root; DIR holds app-profile.json; the files are made there)
#
# It expects `docker` (a daemon with the image scwbusybox:1: busybox and tests/data/e2e/app.sh
# as /app.sh) and `scmpwatch` on PATH. The test runs a private dockerd, so its `scmpwatch`
# on PATH adds that daemon's --runtime-root options to `watch`; a default Docker install
# needs none.
set -euo pipefail
cd "${1:?usage: walkthrough.sh DIR}"

# --- walkthrough ---
# 0. Today: the enforcing profile refuses what it does not list, and the app fails.
docker run --rm --network none --security-opt seccomp=app-profile.json scwbusybox:1 /app.sh ||
  echo "app failed: exit $?"

# 1. A log-only copy for staging: what the profile would refuse is allowed and logged.
scmpwatch profile logify app-profile.json -o app-staging.json

# 2. Watch (as root), in the background; the file 'watching' appears once it listens.
scmpwatch watch --state state.json --interval 2 --ready-file watching &
watcher=$!
until [ -e watching ]; do sleep 0.1; done

# 3. Run the service in staging under the log-only profile, until it has done its work.
docker run -d --name app-staging --network none \
  --security-opt seccomp=app-staging.json scwbusybox:1 /app.sh --serve
until docker logs app-staging | grep 'app: done'; do sleep 0.1; done

# 4. Staging is over: stop the watcher (it writes a last snapshot) and read the proposals,
#    as text and as JSON (for jq or a CI job).
kill "$watcher" && wait "$watcher"
scmpwatch suggest --state state.json
scmpwatch suggest --state state.json --format json --output proposals.json

# 5. Write the tuned profiles (one per profile group) and their diffs.
scmpwatch suggest --state state.json --format profile --output tuned/

# 6. Promote: the app runs enforcing under its tuned profile.
docker rm -f app-staging
docker run --rm --network none --security-opt seccomp=tuned/scwbusybox.json scwbusybox:1 /app.sh
# --- end walkthrough ---
