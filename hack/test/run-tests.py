#!/usr/bin/env python3
"""Runs `swift test` (the command after `--`) and turns a hang into a failure that says where it hangs.

Why: a test that waits forever does not fail, it stops the run, and CI then ends at its own time limit with
the test process's buffered output lost and no name to look at. This runner follows Swift Testing's event
stream (`--event-stream-output-path`, one JSON record per event, written as it happens) and, when no test
has started or ended for `--stall-minutes` while tests are still running, or the run passes
`--limit-minutes`:

  1. prints the tests still running, each with how long it has run;
  2. prints every thread's backtrace of the test process (gdb, when it is installed), also kept in
     .build/test-hang/backtraces.txt;
  3. kills the test process and exits 1.

Otherwise it exits with the test command's status. Standard output and error are passed through line by
line (`stdbuf -oL -eL`), so a CI log shows each line when it is written, not when a buffer fills.

    python3 hack/test/run-tests.py [--stall-minutes 8] [--limit-minutes 40] -- swift test --skip-build
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / ".build" / "test-hang"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stall-minutes", type=float, default=8,
                        help="fail when no test started or ended for this long while tests run (default 8)")
    parser.add_argument("--limit-minutes", type=float, default=40,
                        help="fail when the whole run takes longer than this (default 40)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the swift test command")
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command
    if not command:
        parser.error("no test command: give it after --, e.g. -- swift test --skip-build")
    arguments.command = command
    return arguments


class EventStream:
    """Follows the event stream file, keeping the tests that started and have not ended."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.partial = b""
        self.running: dict[str, float] = {}
        self.last_event = time.monotonic()
        self.ended = 0

    def poll(self):
        if not self.path.exists():
            return
        with self.path.open("rb") as stream:
            stream.seek(self.offset)
            data = stream.read()
        self.offset += len(data)
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            self.take(line)

    def take(self, line: bytes):
        try:
            record = json.loads(line)
        except ValueError:
            return
        if record.get("kind") != "event":
            return
        payload = record.get("payload", {})
        kind, test = payload.get("kind"), payload.get("testID")
        if kind in ("testStarted", "testEnded", "testCaseStarted", "testCaseEnded", "testSkipped"):
            self.last_event = time.monotonic()
        if kind == "testStarted" and test:
            self.running[test] = time.monotonic()
        elif kind in ("testEnded", "testSkipped") and test:
            self.running.pop(test, None)
            self.ended += 1

    def innermost_running(self) -> list[tuple[str, float]]:
        """Running tests that are not merely suites around another running test, longest-running first."""
        names = list(self.running)
        inner = [name for name in names
                 if not any(other.startswith(name + ".") or other.startswith(name + "/") for other in names)]
        return sorted(((name, self.running[name]) for name in inner), key=lambda item: item[1])


def descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
                frontier.append(int(entry.name))
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def diagnose(process: subprocess.Popen, events: EventStream, reason: str):
    print(f"\nrun-tests: {reason}", file=sys.stderr)
    now = time.monotonic()
    running = events.innermost_running()
    print(f"run-tests: {len(running)} test(s) still running:", file=sys.stderr)
    for name, started in running:
        print(f"run-tests:   {name} (running for {now - started:.0f} s)", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    test_processes = [pid for pid in descendants(process.pid) if "PackageTests" in command_line(pid)
                      or ".xctest" in command_line(pid) or "swiftpm-testing-helper" in command_line(pid)]
    gdb = shutil.which("gdb")
    for pid in test_processes:
        if not gdb:
            print("run-tests: gdb is not installed, no backtraces", file=sys.stderr)
            break
        report = OUT / f"backtraces-{pid}.txt"
        try:
            result = subprocess.run([gdb, "-p", str(pid), "-batch", "-nx", "-ex", "set pagination off",
                                     "-ex", "thread apply all bt 40"], capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            print(f"run-tests: gdb did not finish reading pid {pid} within 5 minutes", file=sys.stderr)
            continue
        # gdb's stderr is mostly 'During symbol reading' notes about Clang module caches; keep the rest.
        notes = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("During symbol reading"))
        report.write_text(result.stdout + notes)
        print(f"run-tests: backtraces of {command_line(pid)[:120]} (pid {pid}), kept in {report}:", file=sys.stderr)
        print(result.stdout, file=sys.stderr)
    stop(process)


def stop(process: subprocess.Popen, sig=signal.SIGKILL):
    """Signals the command and every process under it: swift-test starts the test binary in a process group of
    its own, so signalling the command's group alone would leave the test process running."""
    for pid in descendants(process.pid):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait()


def main() -> int:
    arguments = parse_arguments()
    OUT.mkdir(parents=True, exist_ok=True)
    event_path = OUT / "events.jsonl"
    event_path.unlink(missing_ok=True)
    command = arguments.command + ["--event-stream-output-path", str(event_path), "--event-stream-version", "0"]
    if shutil.which("stdbuf"):
        command = ["stdbuf", "-oL", "-eL"] + command
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    events = EventStream(event_path)
    try:
        while process.poll() is None:
            time.sleep(1)
            events.poll()
            now = time.monotonic()
            if events.running and now - events.last_event > arguments.stall_minutes * 60:
                diagnose(process, events, f"no test started or ended for {arguments.stall_minutes:g} minutes: a hang")
                return 1
            if now - started > arguments.limit_minutes * 60:
                diagnose(process, events, f"the run took longer than {arguments.limit_minutes:g} minutes")
                return 1
    except KeyboardInterrupt:
        stop(process, signal.SIGTERM)
        return 130
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
