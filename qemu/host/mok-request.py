#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mok-request.py CERT PASSWORD OUTDIR

What `mokutil --import CERT --simple-hash` writes, for the guest to write the
same through efivarfs (it has no mokutil): OUTDIR/MokNew, an EFI_SIGNATURE_LIST
holding the X.509 certificate CERT (DER) owned by shim's GUID, and
OUTDIR/MokAuth, SHA-256 of MokNew's data then PASSWORD in UCS-2 (what shim's
MokManager compares the typed password with: compute_pw_hash()). Each file is
as efivarfs reads and writes a variable: 4 bytes of attributes (non-volatile,
boot service and runtime access), then the data."""
import hashlib
import os
import struct
import sys
import uuid

SHIM_LOCK_GUID = uuid.UUID("605dab50-e046-4300-abb6-3dd810dd8b23")
EFI_CERT_X509_GUID = uuid.UUID("a5c059a1-94e4-4aa7-87b5-ab155c2bf072")
ATTRIBUTES = struct.pack("<I", 0x7)  # NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: mok-request.py CERT PASSWORD OUTDIR")
    cert_path, password, outdir = sys.argv[1:]
    cert = open(cert_path, "rb").read()
    if not cert.startswith(b"\x30\x82"):
        sys.exit(f"error: {cert_path} is not a DER certificate; give mok.pub (scripts/debian/mok-key.sh)")
    data = SHIM_LOCK_GUID.bytes_le + cert  # EFI_SIGNATURE_DATA
    header = EFI_CERT_X509_GUID.bytes_le + struct.pack("<III", 28 + len(data), 0, len(data))
    mok_new = header + data
    mok_auth = hashlib.sha256(mok_new + password.encode("utf-16-le")).digest()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "MokNew"), "wb") as f:
        f.write(ATTRIBUTES + mok_new)
    with open(os.path.join(outdir, "MokAuth"), "wb") as f:
        f.write(ATTRIBUTES + mok_auth)


if __name__ == "__main__":
    main()
