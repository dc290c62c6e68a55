#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vmsnap.py SNAPDIR TIMEOUT QEMU-ARGS...

Make the snapshot of a booted VM that qemu/host/run.sh restores its guests
from (qemu/host/snapshot.sh): boot QEMU-ARGS (a guest whose /init has
demo_mode=snapshot, its console on -serial stdio, read here, and the job
port's device; this program adds the port's chardev, a pipe nobody writes
to, and a QMP socket) until the guest prints "rust-demo-kmod: ready"
(qemu/guest/job.sh: it has printed the boot's kernel log and waits for its
job), then save it with QEMU's migration
(QMP `migrate` to "exec:cat > SNAPDIR/vm.snap"), a live one, so that QEMU
starts a restored guest running. The boot is judged like any other: no ready
line within TIMEOUT seconds, a kernel line of qemu/bad-log-patterns (a panic,
an oops, a WARN, ...), or a migration that fails or does not end in time fails
it, and nothing is left in SNAPDIR but the console, SNAPDIR/boot.log.
Exit status 0 when SNAPDIR/vm.snap was made.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verdict import BAD  # noqa: E402  (the one list of bad kernel lines)

READY = "rust-demo-kmod: ready"


def judge_boot(lines):
    """The problems of a snapshot boot's console lines (none: it may be saved)."""
    problems = [f"the boot logged: {l}" for l in lines if BAD.search(l)]
    if not any(l.strip() == READY for l in lines):
        problems.append(f"the guest never printed '{READY}'")
    return problems


class Qmp:
    """A QMP connection: one command at a time, events skipped."""

    def __init__(self, path, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise TimeoutError("QEMU's QMP socket never answered")
                time.sleep(0.02)
        self.file = self.sock.makefile("rw")
        json.loads(self.file.readline())  # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.file.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.file.flush()
        while True:
            reply = json.loads(self.file.readline())
            if "error" in reply:
                raise RuntimeError(f"QMP {name}: {reply['error'].get('desc')}")
            if "return" in reply:
                return reply["return"]


def make(snapdir, timeout, qemu_args):
    """Boot, judge, save; returns a list of problems (empty: made)."""
    deadline = time.monotonic() + timeout
    log_path, snap = os.path.join(snapdir, "boot.log"), os.path.join(snapdir, "vm.snap")
    with tempfile.TemporaryDirectory() as tmp:
        sock, job = os.path.join(tmp, "qmp.sock"), os.path.join(tmp, "job")
        for end in ("in", "out"):
            os.mkfifo(f"{job}.{end}")
        qemu = subprocess.Popen(qemu_args + ["-chardev", f"pipe,id=job,path={job}",
                                             "-qmp", f"unix:{sock},server=on,wait=off"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, qemu.kill)
        killer.start()
        lines = []
        try:
            with open(log_path, "w") as log:
                for raw in qemu.stdout:
                    line = raw.decode(errors="replace").rstrip("\r\n")
                    lines.append(line)
                    log.write(line + "\n")
                    if line.strip() == READY:
                        break
            problems = judge_boot(lines)
            if not killer.is_alive():
                problems.append(f"no ready line within {timeout:g} s")
            elif qemu.poll() is not None:
                last = next((l for l in reversed(lines) if l.strip()), "nothing")
                problems.append(f"QEMU exited (status {qemu.returncode}) before the guest was ready; "
                                f"its last line: {last}")
            if problems:
                return problems
            qmp = Qmp(sock, deadline)
            qmp.cmd("migrate", uri=f"exec:cat > {snap}.tmp")
            while True:
                status = qmp.cmd("query-migrate").get("status")
                if status == "completed":
                    break
                if status in ("failed", "cancelled") or time.monotonic() > deadline:
                    return [f"QEMU's migration to {snap}.tmp ended '{status}'"]
                time.sleep(0.02)
            qmp.cmd("quit")
            os.rename(f"{snap}.tmp", snap)
            return []
        except (OSError, RuntimeError, TimeoutError, ValueError) as e:
            return [f"{type(e).__name__}: {e}"]
        finally:
            killer.cancel()
            if qemu.poll() is None:
                qemu.kill()
            qemu.wait()
            if os.path.exists(f"{snap}.tmp"):
                os.unlink(f"{snap}.tmp")


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__.split("\n\n")[0])
    snapdir, timeout, qemu_args = argv[1], float(argv[2]), argv[3:]
    problems = make(snapdir, timeout, qemu_args)
    for p in problems:
        print(f"error: the snapshot boot failed: {p}; see {os.path.join(snapdir, 'boot.log')}",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
