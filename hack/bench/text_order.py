#!/usr/bin/env python3
"""The operator's code that runs, mapped to the binary's function sections, for a link order that keeps it together.

  text_order.py faults BINARY PERF_SCRIPT ORDER_FILE
      Reads `perf script -F addr` output of `perf record -e page-faults -d` (one faulting address a line),
      maps every address inside BINARY's .text to the function symbol containing it (the binary is
      position-dependent, so addresses are the symbols' own), and appends the functions not yet listed to
      ORDER_FILE as lld `--symbol-ordering-file` lines (one symbol a line), in first-fault order. Appending
      makes repeated profiles a union: a function the kernel mapped around another one's fault ("fault-around",
      64 KB) faults itself once the previous order moved its neighbour away, and is then added.
  text_order.py resident PID BINARY
      Prints how many MB of each of BINARY's sections are resident in process PID (/proc/PID/pagemap; root).

Used by hack/bench/text-order.sh; docs/benchmarks.md "Lean operator binary" says why.
"""
import bisect
import os
import struct
import subprocess
import sys

PAGE = os.sysconf("SC_PAGE_SIZE")


def sections(binary):
    """(name, address, size) of every allocated section."""
    out = subprocess.run(["readelf", "-SW", binary], check=True, capture_output=True, text=True).stdout
    result = []
    for line in out.splitlines():
        line = line.replace("[ ", "[")
        fields = line.split()
        if len(fields) > 6 and fields[0].startswith("[") and fields[0] != "[Nr]" and fields[1].startswith("."):
            address, size = int(fields[3], 16), int(fields[5], 16)
            if address:
                result.append((fields[1], address, size))
    return result


def functions(binary):
    """Sorted (address, size, name) of the binary's function symbols."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary], check=True, capture_output=True, text=True).stdout
    result = []
    for line in out.splitlines():
        fields = line.split(" ", 3)
        if len(fields) == 4 and fields[2] in "tTwW":
            result.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
    result.sort()
    return result


def faults(binary, perf_script, order_file):
    text = next(s for s in sections(binary) if s[0] == ".text")
    symbols = functions(binary)
    starts = [s[0] for s in symbols]
    listed = []
    if os.path.exists(order_file):
        with open(order_file) as f:
            listed = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    seen = set(listed)
    added = []
    with open(perf_script) as f:
        for line in f:
            try:
                address = int(line.split()[0], 16)
            except (IndexError, ValueError):
                continue
            if not text[1] <= address < text[1] + text[2]:
                continue
            i = bisect.bisect_right(starts, address) - 1
            if i < 0 or address >= symbols[i][0] + max(symbols[i][1], 1):
                continue
            entry = symbols[i][2]
            if entry not in seen:
                seen.add(entry)
                added.append(entry)
    with open(order_file, "a") as f:
        for entry in added:
            f.write(entry + "\n")
    print(f"{len(added)} functions added, {len(listed) + len(added)} listed", file=sys.stderr)


def resident(pid, binary):
    path = os.path.realpath(binary)
    present = set()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            fields = line.split()
            if len(fields) < 6 or fields[5] != path:
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            pagemap.seek(start // PAGE * 8)
            data = pagemap.read((end - start) // PAGE * 8)
            for n, (entry,) in enumerate(struct.iter_unpack("<Q", data)):
                if entry >> 63:
                    present.add(start // PAGE + n)
    total = 0
    for name, address, size in sections(binary):
        pages = sum(1 for p in range(address // PAGE, (address + size - 1) // PAGE + 1) if p in present)
        if pages:
            total += pages
            print(f"{name:24} {pages * PAGE / 1048576:7.1f} MB of {size / 1048576:7.1f} MB")
    print(f"{'binary, resident':24} {len(present) * PAGE / 1048576:7.1f} MB")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "faults":
        faults(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "resident":
        resident(*sys.argv[2:])
    else:
        sys.exit(__doc__)
