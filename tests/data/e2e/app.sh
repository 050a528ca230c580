#!/bin/sh
# The staging workload of the walkthrough (baked into the test image as /app.sh): ordinary
# work, then two calls its team's profile forgot (chmod and mknod: harmless, three times each)
# and one it must not get (unshare of a user namespace: a container-escape building block).
# Prints one line per step; exits 1 at the first harmless call refused. With --serve it then
# stays up (sleeps) like a service, until stopped.
set -e
cd /tmp
for f in a b c; do echo data >"$f"; done
chmod 600 a b c
echo "app: chmod ok"
rm -f p1 p2 p3
mknod p1 p
mknod p2 p
mknod p3 p
echo "app: mknod ok"
if unshare -U true 2>/dev/null; then echo "app: unshare allowed"; else echo "app: unshare refused"; fi
echo "app: done"
if [ "${1:-}" = --serve ]; then exec sleep 3600; fi
