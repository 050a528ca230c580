#!/usr/bin/env python3
"""Corpus generator and JSON checker for tests/e2e_replay.sh.

  replay_corpus.py gen DIR            write the input files and DIR/expected.json
  replay_corpus.py check EXPECTED SCENARIO ACTUAL.json
                                      compare `scmpwatch replay --format json` output with
                                      the expectation of one scenario, exactly

Every SECCOMP record written is remembered with what a correct replay must report for it
(workload, arch, syscall name and number, action, code, time, executable, pid), so the
expected report is computed independently of scmpwatch. Standard library only.
"""
import re
import gzip
import json
import random
import sys
import zlib

# (audit arch, syscall= as logged, arch as reported, syscall name or None)
SYSCALLS = [
    (0xC000003E, 90, "x86_64", "chmod"),
    (0xC000003E, 257, "x86_64", "openat"),
    (0xC000003E, 165, "x86_64", "mount"),
    (0xC000003E, 99999, "x86_64", None),  # a number libseccomp does not know
    (0xC000003E, 0x40000101, "x32", "openat"),  # x32: x86_64 + the 0x40000000 bit
    (0x40000003, 295, "x86", "openat"),
    (0xC00000B7, 40, "aarch64", "mount"),
    (0x40000028, 322, "arm", "openat"),
    (0xC0000015, 286, "ppc64le", "openat"),
    (0x80000016, 288, "s390x", "openat"),
    (0xC00000F3, 56, "riscv64", "openat"),
    (0x00000008, 4288, "mips", "openat"),
    (0x12345678, 7, "0x12345678", None),  # an architecture nobody knows
]
# (code= value or None when the line has no code=, action as reported)
ACTIONS = [
    (0x7FFC0000, "log"),
    (0x7FFC0000, "log"),
    (0x7FFC0000, "log"),
    (0x80000000, "kill_process"),
    (0x00000000, "kill_thread"),
    (0x00050000, "errno"),
    (0x00030000, "trap"),
    (0x7FF00000, "trace"),
    (0x7FC00000, "user_notif"),
    (0x12340000, "unknown"),
    (None, "unknown"),
]
# executables as raw bytes; comm is the basename's first 15 bytes
EXES = [
    b"/usr/bin/app",
    b"/opt/my app/bin/server",  # hex-encoded (space)
    b"/usr/sbin/nginx",
    b"(null)",  # exe=(null), written unquoted
    b"/tmp/caf\xc3\xa9",  # hex-encoded (UTF-8)
    b"/tmp/bad\xff",  # hex-encoded, invalid UTF-8: reported with U+FFFD
    b'/srv/quote"d',  # hex-encoded (quote)
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def encode(value):
    """An audit string value as the kernel writes it: quoted, or upper-case hex."""
    if value == b"(null)":
        return value
    if all(0x20 < c < 0x7F and c != 0x22 for c in value):
        return b'"' + value + b'"'
    return value.hex().upper().encode()


class Corpus:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.serial = 1000
        self.files = {}  # name as passed to replay -> list of (kind, record or None)

    def record(self):
        """A random SECCOMP record (what it must be reported as)."""
        r = self.rnd
        arch, nr, arch_name, name = r.choice(SYSCALLS)
        code, action = r.choice(ACTIONS)
        exe = r.choice(EXES)
        self.serial += 1
        return {
            "arch": arch,
            "nr": nr,
            "arch_name": arch_name,
            "name": name,
            "code": code,
            "action": action,
            "exe": exe,
            "comm": exe.rsplit(b"/", 1)[-1][:15] or b"x",
            "pid": r.choice([100, 101, 102]) if r.random() < 0.7 else r.randint(2, 4000000),
            "sec": r.randint(1795875000, 1795879999),
            "ms": r.randint(0, 999),
            "serial": self.serial,
            "subj": r.random() < 0.5,
        }

    @staticmethod
    def body(rec):
        f = [b"auid=4294967295 uid=0 gid=0 ses=4294967295"]
        if rec["subj"]:
            f.append(b"subj=unconfined")
        f.append(b"pid=%d comm=%s exe=%s" % (rec["pid"], encode(rec["comm"]), encode(rec["exe"])))
        sig = 31 if rec["action"] in ("kill_process", "kill_thread") else 0
        f.append(b"sig=%d arch=%x syscall=%d compat=0 ip=0x7f4192faed57" % (sig, rec["arch"], rec["nr"]))
        if rec["code"] is not None:
            f.append(b"code=0x%x" % rec["code"])
        return b" ".join(f)

    @staticmethod
    def stamp(rec):
        return b"audit(%d.%03d:%d)" % (rec["sec"], rec["ms"], rec["serial"])

    def syslog_time(self):
        return b"%s %2d %02d:%02d:%02d" % (
            self.rnd.choice(MONTHS).encode(), self.rnd.randint(1, 28), self.rnd.randint(0, 23),
            self.rnd.randint(0, 59), self.rnd.randint(0, 59))

    def seccomp_line(self, fmt, rec):
        st, body = self.stamp(rec), self.body(rec)
        if fmt == "auditd":
            return b"type=SECCOMP msg=" + st + b": " + body
        if fmt == "node":
            return b"node=host-%d type=SECCOMP msg=" % self.rnd.randint(1, 3) + st + b": " + body
        if fmt == "enriched":
            return (b"type=SECCOMP msg=" + st + b": " + body + b"\x1dAUID=\"unset\" UID=\"root\" "
                    b"GID=\"root\" ARCH=x86_64 SYSCALL=chmod arch=b7 syscall=1")
        if fmt == "crlf":
            return b"type=SECCOMP msg=" + st + b": " + body + b"\r"
        if fmt == "old":
            return b"type=UNKNOWN[1326] msg=" + st + b": " + body
        if fmt == "dmesg":
            return b"[%5d.%06d] audit: type=1326 " % (self.rnd.randint(1, 99999), self.rnd.randint(0, 999999)) + st + b": " + body
        if fmt == "kernlog":
            return (self.syslog_time() + b" host kernel: [%5d.%06d] audit: type=1326 " % (
                self.rnd.randint(1, 99999), self.rnd.randint(0, 999999)) + st + b": " + body)
        if fmt == "journal-k":
            return self.syslog_time() + b" host kernel: audit: type=1326 " + st + b": " + body
        if fmt == "kmsg":
            return b"5,%d,%d,-;audit: type=1326 " % (self.rnd.randint(1, 99999), self.rnd.randint(1, 10**9)) + st + b": " + body
        if fmt == "journald":
            rec["sec"] = rec["ms"] = None  # journald's audit reader writes no audit stamp
            return self.syslog_time() + b" host audit[%d]: SECCOMP " % rec["pid"] + body
        raise ValueError(fmt)

    def other_line(self, fmt):
        r = self.rnd
        self.serial += 1
        st = b"audit(%d.%03d:%d)" % (r.randint(1795875000, 1795879999), r.randint(0, 999), self.serial)
        choices = {
            "audit": [
                b"type=SYSCALL msg=" + st + b": arch=c000003e syscall=90 success=no exit=-1 "
                b"pid=5 comm=\"x\" exe=\"/x\" key=(null)",
                b"type=PROCTITLE msg=" + st + b": proctitle=2F62696E2F7368",
                b"type=EOE msg=" + st + b":",
                b"node=h type=SYSCALL msg=" + st + b": arch=c000003e syscall=1",
                b"",
            ],
            "kernel": [
                self.syslog_time() + b" host kernel: [  12.345678] e1000: eth0 NIC Link is Up",
                self.syslog_time() + b" host kernel: audit: type=1300 " + st + b": arch=c000003e syscall=90 "
                b"comm=x type=1326 audit(1.1:1): arch=c000003e syscall=1",
                self.syslog_time() + b" host myapp[12]: saw type=SECCOMP events arch=c000003e syscall=1",
                b"[  125.000001] kauditd_printk_skb: 12 callbacks suppressed",
                self.syslog_time() + b" host audit[77]: AVC apparmor=\"DENIED\" operation=\"open\"",
                b"\r",
            ],
        }
        return r.choice(choices["audit" if fmt in ("auditd", "node", "enriched", "crlf", "old") else "kernel"])

    def malformed_line(self, fmt):
        self.serial += 1
        st = b"audit(1795875000.000:%d)" % self.serial
        if fmt in ("auditd", "node", "enriched", "crlf", "old"):
            return self.rnd.choice([
                b"type=SECCOMP msg=" + st + b": pid=1 comm=\"x\" exe=\"/x\" syscall=1 code=0x7ffc0000",
                b"type=SECCOMP msg=" + st + b": pid=1 arch=c000003e syscall=abc",
                b"type=SECCOMP msg=" + st + b": arch=x86_64 syscall=chmod",
            ])
        if fmt == "journald":
            return self.syslog_time() + b" host audit[1]: SECCOMP pid=1 comm=\"x\""
        return b"[  122.854464] audit: type=1326 " + st + b": auid=4294967295 uid=0 gid=0"

    def make_file(self, name, fmts, n, *, oversized=(), garbage=False, final_newline=True):
        """n lines mixing records (formats from fmts), others, malformed lines."""
        items = []
        for _ in range(n):
            fmt = self.rnd.choice(fmts)
            p = self.rnd.random()
            if p < 0.70:
                rec = self.record()
                items.append(("seccomp", self.seccomp_line(fmt, rec), rec))
            elif p < 0.97:
                items.append(("other", self.other_line(fmt), None))
            else:
                items.append(("malformed", self.malformed_line(fmt), None))
        for size in oversized:
            line = b"type=SECCOMP msg=audit(1.1:1): arch=c000003e syscall=1 comm=\"" + b"A" * size + b"\""
            items.insert(self.rnd.randint(0, len(items)), ("oversized", line, None))
        if garbage:
            junk = bytes(b for b in (self.rnd.randint(0, 255) for _ in range(3000)) if b != 0x0A)
            items.insert(self.rnd.randint(0, len(items)), ("other", junk, None))
            items.insert(self.rnd.randint(0, len(items)), ("other", b"\0" * 64, None))
            items.insert(self.rnd.randint(0, len(items)), ("other", b"type=SEC\0COMP x\0y", None))
        data = b"\n".join(line for _, line, _ in items)
        if final_newline:
            data += b"\n"
        self.files[name] = items
        return data


def build(outdir):
    c = Corpus(20261128)
    files = {}
    auditd = ["auditd", "auditd", "node", "enriched", "crlf", "old"]
    files["audit.log"] = c.make_file("audit.log", auditd, 4000, oversized=[70000, 1 << 20], garbage=True)
    # rotated logs compressed as they are; kern.log.2.gz in two gzip members ("cat a.gz b.gz")
    files["audit.log.1.gz"] = gzip.compress(c.make_file("audit.log.1.gz", auditd, 3000, oversized=[100000]), mtime=0)
    kern = c.make_file("kern.log.2.gz", ["kernlog"], 3000)
    cut = kern.index(b"\n", len(kern) // 2) + 1
    files["kern.log.2.gz"] = gzip.compress(kern[:cut], mtime=0) + gzip.compress(kern[cut:], mtime=0)
    files["dmesg.txt"] = c.make_file("dmesg.txt", ["dmesg"], 1500)
    files["journal.txt"] = c.make_file("journal.txt", ["journal-k", "journald"], 1500, garbage=True)
    files["kmsg.txt"] = c.make_file("kmsg.txt", ["kmsg"], 1000, final_newline=False)
    files["stdin.log"] = c.make_file("<stdin>", auditd + ["kernlog", "journald"], 2000, oversized=[1 << 20])
    # journald's audit reader alone: no audit stamps, so first/last seen are null
    files["journald.txt"] = c.make_file("journald.txt", ["journald"], 300)
    # a truncated rotation: only the complete lines zlib can inflate before the cut count
    whole = c.make_file("trunc.log.gz", auditd, 3000)
    z = gzip.compress(whole, mtime=0)
    z = z[: len(z) * 2 // 3]
    d = zlib.decompressobj(wbits=31)
    avail = d.decompress(z)
    complete = avail[: avail.rindex(b"\n") + 1].count(b"\n")
    c.files["trunc.log.gz"] = c.files["trunc.log.gz"][:complete]
    files["trunc.log.gz"] = z
    for name, data in files.items():
        with open(f"{outdir}/{name}", "wb") as f:
            f.write(data)

    scenarios = {
        "main": ["audit.log", "audit.log.1.gz", "kern.log.2.gz", "dmesg.txt", "<stdin>", "journal.txt", "kmsg.txt"],
        "missing": ["audit.log", "kmsg.txt"],  # with a missing file between them
        "truncated": ["trunc.log.gz", "dmesg.txt"],
        "journald": ["journald.txt"],
    }
    errors = {"missing": 1, "truncated": 1}
    expected = {name: expect(c, inputs, errors.get(name, 0)) for name, inputs in scenarios.items()}
    with open(f"{outdir}/expected.json", "w") as f:
        json.dump(expected, f, indent=1)


def jstr(b):
    """Bytes as the JSON report shows them: one U+FFFD per invalid byte."""
    out, i = [], 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                out.append(b[i:i + n].decode("utf-8"))
                i += n
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def expect(c, inputs, read_errors):
    st = {"lines": 0, "seccomp": 0, "malformed": 0, "oversized": 0, "other": 0}
    where = []
    entries, workloads = {}, {}
    lost = 0
    for name in inputs:
        for lineno, (kind, line, rec) in enumerate(c.files[name], 1):
            st["lines"] += 1
            st[kind] += 1
            # printk rate limiting: "kauditd_printk_skb: N callbacks suppressed" is known loss
            m = re.search(rb"kauditd_printk_skb: (\d+) callbacks suppressed", line or b"")
            if kind == "other" and m:
                lost += int(m.group(1))
            if kind == "malformed" and len(where) < 5:
                where.append(f"{name}:{lineno}")
            if kind != "seccomp":
                continue
            wkey = b"exe:" + rec["exe"]
            code = rec["code"]
            k = (wkey, rec["arch"], rec["nr"], 0xFFFFFFFF if code is None else code)
            e = entries.setdefault(k, {"arch": rec["arch_name"], "name": rec["name"], "nr": rec["nr"],
                                       "action": rec["action"],
                                       "code": None if code is None else "0x%08x" % code,
                                       "count": 0, "first_seen": None, "last_seen": None,
                                       "executables": [jstr(rec["exe"])], "pids": set()})
            e["count"] += 1
            e["pids"].add(rec["pid"])
            w = workloads.setdefault(wkey, {"events": 0, "first_seen": None, "last_seen": None})
            w["events"] += 1
            if rec["sec"] is not None:
                t = rec["sec"] * 1000 + rec["ms"]
                for o in (e, w):
                    o["first_seen"] = t if o["first_seen"] is None else min(o["first_seen"], t)
                    o["last_seen"] = t if o["last_seen"] is None else max(o["last_seen"], t)
    out = []
    for wkey in sorted(workloads, key=lambda k: (-workloads[k]["events"], k)):
        w = workloads[wkey]
        sys_keys = sorted((k for k in entries if k[0] == wkey), key=lambda k: (-entries[k]["count"], k[1], k[2], k[3]))
        syscalls = []
        for k in sys_keys:
            e = dict(entries[k])
            pids = e.pop("pids")
            e["processes"] = min(len(pids), 16)
            e["processes_truncated"] = len(pids) > 16
            syscalls.append(e)
        out.append({"container": None, "key": jstr(wkey), "events": w["events"],
                    "first_seen": w["first_seen"], "last_seen": w["last_seen"],
                    "executables": [jstr(wkey[4:])], "syscalls": syscalls})
    st.update({"read_errors": read_errors, "malformed_lines": where, "unattributed": 0, "lost": lost})
    return {"input": st, "workloads": out}


def ms(v):
    """A JSON timestamp (seconds, float) as integer milliseconds; None stays None."""
    return None if v is None else round(v * 1000)


def check(expected_path, scenario, actual_path):
    want = json.load(open(expected_path))[scenario]
    got = json.load(open(actual_path))
    errors = []

    def eq(what, a, b):
        if a != b:
            errors.append(f"{what}: got {a!r}, want {b!r}")

    for k, v in want["input"].items():
        eq(f"input.{k}", got["input"].get(k), v)
    eq("input.dropped_at_bounds", got["input"].get("dropped_at_bounds"),
       {"workloads": 0, "entries": 0, "executables": 0})
    eq("number of workloads", len(got["workloads"]), len(want["workloads"]))
    for i, (g, w) in enumerate(zip(got["workloads"], want["workloads"])):
        where = f"workloads[{i}] ({w['key']})"
        for k in ("container", "key", "events", "executables"):
            eq(f"{where}.{k}", g.get(k), w[k])
        for k in ("first_seen", "last_seen"):
            eq(f"{where}.{k}", ms(g.get(k)), w[k])
        eq(f"{where}: number of syscalls", len(g["syscalls"]), len(w["syscalls"]))
        for j, (gs, ws) in enumerate(zip(g["syscalls"], w["syscalls"])):
            sw = f"{where}.syscalls[{j}] ({ws['arch']} {ws['name']} {ws['action']})"
            for k in ("arch", "name", "nr", "action", "code", "count", "executables", "processes",
                      "processes_truncated"):
                eq(f"{sw}.{k}", gs.get(k), ws[k])
            for k in ("first_seen", "last_seen"):
                eq(f"{sw}.{k}", ms(gs.get(k)), ws[k])
    total = sum(s["count"] for w in got["workloads"] for s in w["syscalls"])
    eq("sum of counts", total, want["input"]["seccomp"])
    if errors:
        print(f"replay_corpus: scenario {scenario}: {len(errors)} differences", file=sys.stderr)
        for e in errors[:40]:
            print("  " + e, file=sys.stderr)
        return 1
    n_sys = sum(len(w["syscalls"]) for w in want["workloads"])
    print(f"replay_corpus: scenario {scenario}: {want['input']['seccomp']} records, "
          f"{len(want['workloads'])} workloads, {n_sys} syscall entries: all equal")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "gen":
        build(argv[2])
        return 0
    if len(argv) == 5 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
