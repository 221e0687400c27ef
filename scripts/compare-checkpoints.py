#!/usr/bin/env python3
"""Compares two checkpoint.ddim files section by section (the format of
runtime/base/checkpoint.h: "DDIMCKPT", a uint32 version and section count,
then each section's 32-byte NUL-padded name, uint64 byte length and bytes,
then a CRC-32 of all before it; little-endian).

    scripts/compare-checkpoints.py A.ddim B.ddim [--ignore config ...]

Prints one line per section (name, sizes, same or differs) and exits 0 when
every section not ignored is byte-identical and both files hold the same
sections in the same order, 1 otherwise."""
import argparse
import struct
import sys
import zlib


def read_sections(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"DDIMCKPT":
        sys.exit(f"{path}: not a checkpoint (no DDIMCKPT magic)")
    (crc,) = struct.unpack_from("<I", data, len(data) - 4)
    if zlib.crc32(data[:-4]) != crc:
        sys.exit(f"{path}: CRC mismatch")
    _version, count = struct.unpack_from("<II", data, 8)
    at, sections = 16, []
    for _ in range(count):
        name = data[at:at + 32].rstrip(b"\0").decode()
        (size,) = struct.unpack_from("<Q", data, at + 32)
        sections.append((name, data[at + 40:at + 40 + size]))
        at += 40 + size
    return sections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--ignore", nargs="*", default=[], help="sections allowed to differ")
    args = parser.parse_args()
    a, b = read_sections(args.a), read_sections(args.b)
    same = [name for name, _ in a] == [name for name, _ in b]
    if not same:
        print(f"section lists differ: {[n for n, _ in a]} vs {[n for n, _ in b]}")
    for (name, da), (_, db) in zip(a, b):
        identical = da == db
        note = "identical" if identical else ("differs (ignored)" if name in args.ignore else "DIFFERS")
        print(f"  {name:<20} {len(da):>10} {len(db):>10} bytes  {note}")
        same = same and (identical or name in args.ignore)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
