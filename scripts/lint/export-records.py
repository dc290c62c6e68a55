#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""export-records.py OBJECT

Print the `.export_symbol` records of a 64-bit little-endian ELF object (a
module's .o before modpost), one line each, as modpost reads them
(scripts/mod/modpost.c, check_export_symbol()): the label's symbol
(`__export_symbol_<sym>`), the license string, the namespace string (`-` if
empty), the record's size, the symbol its pointer is relocated to and the
relocation's type, which must be the machine's absolute 64-bit one
(R_X86_64_64 on x86_64, R_AARCH64_ABS64 on arm64). Used to show that the Rust
export macros write what C's EXPORT_SYMBOL* write.
"""
import struct
import sys

# e_machine -> (name, its absolute 64-bit relocation type, that type's name)
MACHINES = {62: ("x86_64", 1, "R_X86_64_64"), 183: ("arm64", 257, "R_AARCH64_ABS64")}


def cstr(data, off):
    return data[off:data.index(b"\0", off)].decode()


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = open(sys.argv[1], "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit(f"export-records.py: {sys.argv[1]} is not a 64-bit little-endian ELF file")
    machine, = struct.unpack_from("<H", data, 0x12)
    if machine not in MACHINES:
        sys.exit(f"export-records.py: {sys.argv[1]} is for ELF machine {machine}; add it to MACHINES")
    arch, abs64, abs64_name = MACHINES[machine]
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = secs[shstrndx][4]
    name = {i: cstr(data, names + s[0]) for i, s in enumerate(secs)}
    sec = {v: i for i, v in name.items()}
    if ".export_symbol" not in sec:
        sys.exit(f"export-records.py: {sys.argv[1]} has no .export_symbol section")
    ex = sec[".export_symbol"]
    body = data[secs[ex][4]:secs[ex][4] + secs[ex][5]]
    symtab = secs[sec[".symtab"]]
    strtab = secs[symtab[6]][4]
    syms = []
    for off in range(symtab[4], symtab[4] + symtab[5], 24):
        st_name, _info, _other, shndx, value, _size = struct.unpack_from("<IBBHQQ", data, off)
        syms.append((cstr(data, strtab + st_name), shndx, value))
    # The pointer of each record: a relocation in .rela.export_symbol.
    target = {}
    rela = secs[sec[".rela.export_symbol"]]
    for off in range(rela[4], rela[4] + rela[5], 24):
        r_offset, r_info, _addend = struct.unpack_from("<QQq", data, off)
        if r_info & 0xFFFFFFFF != abs64:
            sys.exit(f"export-records.py: a relocation of type {r_info & 0xFFFFFFFF} in .export_symbol"
                     f" of {sys.argv[1]}; {arch} records take {abs64_name}")
        target[r_offset] = syms[r_info >> 32][0]
    labels = sorted((v, n) for n, s, v in syms if s == ex and n.startswith("__export_symbol_"))
    for i, (start, label) in enumerate(labels):
        end = labels[i + 1][0] if i + 1 < len(labels) else len(body)
        license = cstr(body, start)
        ns = cstr(body, start + len(license) + 1)
        ptr = (start + len(license) + len(ns) + 2 + 7) // 8 * 8
        print(label[len("__export_symbol_"):], license or "-", ns or "-", end - start, target.get(ptr, "?"),
              abs64_name if ptr in target else "?")


if __name__ == "__main__":
    main()
