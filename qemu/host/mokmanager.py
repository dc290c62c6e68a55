#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mokmanager.py LOG PASSWORD TIMEOUT QEMU-COMMAND...

The second of make mok-enroll's boots: run QEMU-COMMAND (its serial console
on stdio), and when shim starts MokManager for the pending MokNew, answer its
screens as a person would on a serial console: any key, "Enroll MOK",
"Continue", "Yes", PASSWORD, "Reboot" (each reached with Down and Enter). The
console goes to LOG. Exits 0 once every screen came and QEMU ended
("Reboot"; -no-reboot ends QEMU): only after a good password does MokManager
offer "Reboot" (the next boot shows whether the key is in); 1, naming the
screen it waited for, if a screen did not come within TIMEOUT seconds:
MokManager's screens changed, the password was refused, or shim never
started it."""
import os
import re
import select
import subprocess
import sys
import time

DOWN, ENTER = b"\x1b[B", b"\r"
ANSI = re.compile(rb"\x1b\[[0-9;=?]*[A-Za-z]")


def main():
    if len(sys.argv) < 5:
        sys.exit("usage: mokmanager.py LOG PASSWORD TIMEOUT QEMU-COMMAND...")
    log_path, password, timeout, cmd = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
    # (what to wait for on the screen, what to type then)
    script = [
        (b"Press any key to perform MOK management", b" "),
        (b"Enroll MOK", DOWN + ENTER),
        (b"View key 0", DOWN + ENTER),  # [Enroll MOK]: View key 0, Continue
        (b"Enroll the key(s)?", DOWN + ENTER),  # No, Yes
        (b"Password:", password.encode() + ENTER),
        (b"Reboot", ENTER),  # Perform MOK management: Reboot first
    ]
    log = open(log_path, "wb")
    qemu = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    screen = b""
    step = 0
    deadline = time.monotonic() + timeout
    while True:
        ready, _, _ = select.select([qemu.stdout], [], [], 0.5)
        if ready:
            chunk = os.read(qemu.stdout.fileno(), 65536)
            if not chunk:
                break
            log.write(chunk)
            log.flush()
            screen += ANSI.sub(b" ", chunk)
        if step < len(script) and script[step][0] in screen:
            time.sleep(1)  # let it finish drawing the screen
            qemu.stdin.write(script[step][1])
            qemu.stdin.flush()
            screen = b""
            step += 1
            deadline = time.monotonic() + timeout
        elif time.monotonic() > deadline:
            qemu.kill()
            what = script[step][0].decode() if step < len(script) else "QEMU to end after 'Reboot'"
            tail = re.sub(r"\s+", " ", screen[-300:].decode(errors="replace"))
            print(f"error: MokManager: no '{what}' within {timeout:.0f} s (its screens changed?); "
                  f"last seen: '{tail}'; console: {log_path}", file=sys.stderr)
            return 1
    qemu.wait()
    if step < len(script):
        print(f"error: QEMU ended before MokManager showed '{script[step][0].decode()}'; console: {log_path}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
