#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of scripts/lib.sh. debian_archive: which archive each Debian suite
comes from, read by the real apt-get from the apt sources of a Debian 12
machine (one-line sources.list) and of a Debian 13 machine (deb822
debian.sources), each given to apt by APT_CONFIG; the machine's release is
the test's, not this machine's. apt_install: nothing to install is nothing
done; without root it stops, naming why and the command to run as root.

Run from the top of the tree: python3 -m unittest discover -s scripts -p 'test_*.py'
"""
import os
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN = "http://deb.debian.org/debian"
SECURITY = "http://deb.debian.org/debian-security"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"

BOOKWORM_LIST = f"""deb {DEBIAN} bookworm main
deb {DEBIAN} bookworm-updates main
deb {SECURITY} bookworm-security main
"""
TRIXIE_SOURCES = f"""Types: deb
URIs: {DEBIAN}
Suites: trixie trixie-updates
Components: main
Signed-By: {KEYRING}

Types: deb
URIs: {SECURITY}
Suites: trixie-security
Components: main
Signed-By: {KEYRING}
"""


class DebianArchiveTest(unittest.TestCase):
    def archive(self, codename, suite, list_text="", sources_text="", **env):
        """debian_archive SUITE on a machine of CODENAME with those apt sources:
        (exit status, stdout, stderr)."""
        with tempfile.TemporaryDirectory() as d:
            parts = os.path.join(d, "sources.list.d")
            os.makedirs(os.path.join(d, "lists", "partial"))
            os.makedirs(parts)
            with open(os.path.join(d, "sources.list"), "w") as f:
                f.write(list_text)
            if sources_text:
                with open(os.path.join(parts, "debian.sources"), "w") as f:
                    f.write(sources_text)
            conf = os.path.join(d, "apt.conf")
            with open(conf, "w") as f:
                f.write(f'Dir::Etc::SourceList "{d}/sources.list";\n'
                        f'Dir::Etc::SourceParts "{parts}";\n'
                        f'Dir::State::Lists "{d}/lists";\n')
            clean = {k: v for k, v in os.environ.items() if not k.startswith("DEBIAN_")}
            script = f'. "$1/lib.sh"; debian_codename() {{ echo {codename}; }}; debian_archive "$2"'
            p = subprocess.run(["bash", "-c", script, "sh", HERE, suite], capture_output=True, text=True,
                               env={**clean, "APT_CONFIG": conf, **env})
            return p.returncode, p.stdout.strip(), p.stderr.strip()

    def assertArchive(self, codename, suite, want, **kw):
        rc, out, err = self.archive(codename, suite, **kw)
        self.assertEqual((rc, out), (0, want), err)

    def test_bookworm_machine(self):
        for suite, want in [("bookworm", DEBIAN), ("bookworm-security", SECURITY),
                            ("trixie-backports", DEBIAN), ("trixie-security", SECURITY)]:
            with self.subTest(suite=suite):
                self.assertArchive("bookworm", suite, want, list_text=BOOKWORM_LIST)

    def test_trixie_machine(self):
        # The suites the project reads on a Debian 13 machine, none of
        # bookworm's listed there.
        for suite, want in [("bookworm", DEBIAN), ("bookworm-security", SECURITY),
                            ("bookworm-updates", DEBIAN), ("trixie-backports", DEBIAN),
                            ("trixie-security", SECURITY)]:
            with self.subTest(suite=suite):
                self.assertArchive("trixie", suite, want, sources_text=TRIXIE_SOURCES)

    def test_a_suite_listed_itself_wins(self):
        listed = BOOKWORM_LIST + "deb http://mirror.example/debian trixie-backports main\n"
        self.assertArchive("bookworm", "trixie-backports", "http://mirror.example/debian", list_text=listed)

    def test_a_mirror_of_the_machine_serves_each_archive(self):
        mirror = TRIXIE_SOURCES.replace("deb.debian.org", "mirror.example")
        self.assertArchive("trixie", "bookworm-security", "http://mirror.example/debian-security",
                           sources_text=mirror)
        self.assertArchive("trixie", "bookworm", "http://mirror.example/debian", sources_text=mirror)

    def test_overrides_are_per_archive(self):
        kw = {"sources_text": TRIXIE_SOURCES, "DEBIAN_MIRROR": "http://m/debian"}
        self.assertArchive("trixie", "trixie-backports", "http://m/debian", **kw)
        self.assertArchive("trixie", "bookworm-security", SECURITY, **kw)
        self.assertArchive("trixie", "bookworm-security", "http://m/debian-security",
                           DEBIAN_SECURITY_MIRROR="http://m/debian-security", **kw)

    def test_no_security_archive_listed_says_what_to_set(self):
        only_main = f"deb {DEBIAN} trixie main\n"
        rc, out, err = self.archive("trixie", "bookworm-security", list_text=only_main)
        self.assertEqual((rc, out), (1, ""))
        self.assertIn("set DEBIAN_SECURITY_MIRROR=URI", err)
        self.assertEqual(len(err.splitlines()), 1, err)


class AptInstallTest(unittest.TestCase):
    def run_lib(self, uid, *args):
        """apt_install ARGS with id saying uid and a fake apt-get first on PATH (it records its
        arguments): no test installs anything. Its result, and what apt-get was asked."""
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "apt-get")
            with open(fake, "w") as f:
                f.write(f'#!/bin/sh\necho "$*" >>{d}/calls\n')
            os.chmod(fake, 0o755)
            script = f'. "$1/lib.sh"; id() {{ echo {uid}; }}; shift; apt_install "$@"'
            p = subprocess.run(["bash", "-c", script, "sh", HERE, *args], capture_output=True, text=True,
                               env={**os.environ, "TMPDIR": d, "PATH": d + ":" + os.environ["PATH"]})
            calls = open(os.path.join(d, "calls")).read() if os.path.exists(os.path.join(d, "calls")) else ""
        return p, calls

    def test_nothing_missing_is_nothing_done(self):
        p, calls = self.run_lib(1000, "x needs y", "1 s")
        self.assertEqual((p.returncode, p.stderr, calls), (0, "", ""))

    def test_without_root_it_says_what_to_run(self):
        p, calls = self.run_lib(1000, "make lint needs chromium", "1 min", "chromium", "mtools")
        self.assertEqual((p.returncode, calls), (1, ""))
        self.assertIn("error: make lint needs chromium; run as root: apt-get update && "
                      "apt-get install -y --no-install-recommends chromium mtools", p.stderr)

    def test_as_root_it_installs(self):
        p, calls = self.run_lib(0, "x needs y", "1 s", "mtools")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("installing mtools (x needs y)", p.stderr)
        self.assertEqual(calls, "update\ninstall -y --no-install-recommends mtools\n")

if __name__ == "__main__":
    unittest.main()
