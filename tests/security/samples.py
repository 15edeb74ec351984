"""Small real files for upload tests: Office 97-2003 compound files (with or without a VBA
project) and PDFs carrying active content. Written here, byte by byte, so no binary sample is
committed; each follows its format closely enough for olefile/oletools and pypdf to read."""

from __future__ import annotations

import struct

SECTOR = 512
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
MINI_CUTOFF = 4096


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file holding `streams` ("Macros/VBA/dir": b"…"); storages are
    created from the paths. Streams are padded to the mini-stream cutoff, so every stream lives
    in regular sectors and no mini stream is needed."""
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": None}]
    index = {"": 0}
    for full_path, data in streams.items():
        parts = full_path.split("/")
        for depth in range(1, len(parts) + 1):
            path = "/".join(parts[:depth])
            if path in index:
                continue
            is_stream = depth == len(parts)
            entries.append(
                {
                    "name": parts[depth - 1],
                    "type": 2 if is_stream else 1,
                    "children": [],
                    "data": data.ljust(MINI_CUTOFF, b"\0") if is_stream else None,
                }
            )
            index[path] = len(entries) - 1
            entries[index["/".join(parts[: depth - 1])]]["children"].append(index[path])

    directory_sectors = -(-len(entries) * 128 // SECTOR)
    next_sector = 1 + directory_sectors
    fat = [FATSECT] + [s + 2 for s in range(directory_sectors - 1)] + [END]
    for entry in entries:
        if entry["data"] is None:
            continue
        count = len(entry["data"]) // SECTOR + (1 if len(entry["data"]) % SECTOR else 0)
        entry["start"] = next_sector
        fat += [next_sector + i + 1 for i in range(count - 1)] + [END]
        next_sector += count
    assert len(fat) <= SECTOR // 4, "sample too large for one FAT sector"
    fat += [FREE] * (SECTOR // 4 - len(fat))

    def direntry(number: int) -> bytes:
        if number >= len(entries):
            return (
                b"\0" * 64
                + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM)
                + (b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", 0, 0))
            )
        entry = entries[number]
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        siblings = _siblings(entries)
        left, right = NOSTREAM, siblings.get(number, NOSTREAM)
        child = entry["children"][0] if entry["children"] else NOSTREAM
        start = entry.get("start", END)
        size = len(entry["data"]) if entry["data"] is not None else 0
        return (
            name.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(name), entry["type"], 1, left, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, MINI_CUTOFF, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    body = struct.pack(f"<{SECTOR // 4}I", *fat)
    directory = b"".join(direntry(n) for n in range(directory_sectors * SECTOR // 128))
    data = b"".join(entry["data"] for entry in entries if entry["data"] is not None)
    return header + body + directory + data


def _siblings(entries) -> dict[int, int]:
    """Children of a storage chained as right siblings (a degenerate but valid tree)."""
    links = {}
    for entry in entries:
        children = entry["children"]
        for a, b in zip(children, children[1:], strict=False):
            links[a] = b
    return links


def word97(*, macros: bool = False) -> bytes:
    streams = {"WordDocument": b"\xec\xa5" + b"Word 97-2003", "1Table": b"table"}
    if macros:
        streams.update(
            {
                "Macros/PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'
                b"Document=ThisDocument",
                "Macros/VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00",
                "Macros/VBA/dir": b"\x01",
                "Macros/VBA/ThisDocument": b'Sub AutoOpen()\r\nShell "cmd"\r\nEnd Sub',
            }
        )
    return ole_bytes(streams)


def excel97(*, macros: bool = False) -> bytes:
    streams = {"Workbook": b"\x09\x08" + b"Excel 97-2003"}
    if macros:
        streams.update(
            {
                "_VBA_PROJECT_CUR/PROJECT": b"Document=ThisWorkbook",
                "_VBA_PROJECT_CUR/VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00",
                "_VBA_PROJECT_CUR/VBA/dir": b"\x01",
            }
        )
    return ole_bytes(streams)


def pdf_with(catalog_extra: bytes = b"", page_extra: bytes = b"", objects: bytes = b"") -> bytes:
    """A one-page PDF whose catalog and page carry `catalog_extra`/`page_extra` entries, with a
    correct cross-reference table so pypdf reads it strictly."""
    bodies = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]" + page_extra + b">>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    out += objects
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)
