#!/usr/bin/env python3
"""Chaos soak: two operator replicas against the virtual cluster with simulated GPU infrastructure and a
replayed day of demand, under random faults, with Fleetcast's invariants checked throughout.

Processes (all real binaries, all on loopback):
  * `fleetcast-dev dev-cluster --infra hack/soak/infra.yaml --workload <day> --speed S`: the API server, a
    Cluster API MachineDeployment that deletes Machines in Random order, and pods following the demand;
  * two `fleetcast operator --leader-elect` replicas, each behind its own TCP proxy so one can be cut off.

Faults, drawn at random (seeded) while the chaos phase lasts: a light one every 8-16 s, a disruptive one
(blind-pods, kill-leader, partition, clock-skew) at most once per 90 s:
  api-5xx         503s on the next 10 requests (fault injection endpoint)
  blind-pods      list and watch of pods fail for longer than the stale limit (the operator must not scale down)
  watch-drop      every open watch is closed
  gone-410        the watch history is compacted and watches closed, so informers relist
  refuse          the API server closes its listeners and refuses connections for 2 s (what a
                  restart with its store kept looks like to clients: the store stays in memory)
  kill-leader     the leader is killed with SIGKILL mid-run and restarted a few seconds later
  partition       one replica's proxy drops every connection and refuses new ones for 20 s
  clock-skew      one replica is restarted under faketime with its clock 20 s ahead

Invariants (any violation fails the run):
  one writer      two different replicas never write the target's replicas less than 4 s apart (a new
                  leader can only take over after the old lease expired: lease 15 s − renew deadline 10 s)
  limits          the MachineDeployment's replicas never exceed spec.nodes.max or what the budget pays for
  blind           no scale-down is written while pods cannot be listed or watched, past the stale limit
  disruption      no running pod is evicted or killed by a scale-down (the infrastructure counts them)
  history         the demand history misses at most one bin in a row
  convergence     after the faults stop the pool converges (Ready, not Degraded, desired = replicas)

Usage: python3 hack/soak/soak.py [--minutes M] [--quiet-minutes Q] [--seed N] [--fleetcast BIN]
Exit: 0 all invariants held; 1 a violation; 2 the soak could not run.
"""
import argparse
import base64
import collections
import json
import math
import os
import random
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
POOL = os.path.join(ROOT, "hack/soak/gpupool.yaml")
INFRA = os.path.join(ROOT, "hack/soak/infra.yaml")
STALE_SECONDS = 10
LEASE_HANDOVER_SECONDS = 4
# After a disruptive fault (failover, partition, blindness) the next waits this long: more than one
# one-minute history bin plus the 15 s lease, so each can cost at most one bin of demand history.
DISRUPTION_COOLDOWN_SECONDS = 90


class Proxy(threading.Thread):
    """A TCP proxy in front of the API server for one replica; `partition` cuts it off."""

    def __init__(self, target_port):
        super().__init__(daemon=True)
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.connections = []
        self.cut_until = 0.0

    def partition(self, seconds):
        with self.lock:
            self.cut_until = time.monotonic() + seconds
            for connection in self.connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                connection.close()
            self.connections.clear()

    def run(self):
        while True:
            client, _ = self.listener.accept()
            with self.lock:
                if time.monotonic() < self.cut_until:
                    client.close()
                    continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        for side in (source, sink):
            try:
                side.close()
            except OSError:
                pass


class Cluster:
    """Reads through the API server with the admin token (urllib over TLS with the cluster's CA)."""

    def __init__(self, kubeconfig):
        with open(kubeconfig) as handle:
            config = yaml.safe_load(handle)
        cluster = config["clusters"][0]["cluster"]
        self.server = cluster["server"]
        self.port = int(self.server.rsplit(":", 1)[1])
        self.token = config["users"][0]["user"]["token"]
        self.context = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())

    def request(self, method, path, body=None, timeout=5):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.server + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self.context, timeout=timeout) as response:
            return json.loads(response.read() or b"{}")

    def get(self, path):
        """The object, or None when the read failed (faults hit the monitor's reads too)."""
        for _ in range(3):
            try:
                return self.request("GET", path)
            except Exception:
                time.sleep(0.2)
        return None

    def fault(self, action):
        for _ in range(10):
            try:
                return self.request("POST", "/fleetcast.dev/admin/faults", action)
            except Exception:
                time.sleep(0.5)
        raise RuntimeError(f"could not inject {action}")


class Replica:
    def __init__(self, index, binary, directory, kubeconfig, proxy):
        self.index = index
        self.name = f"soak-{index}"
        self.binary = binary
        self.directory = directory
        self.proxy = proxy
        self.kubeconfig = os.path.join(directory, f"{self.name}.kubeconfig")
        with open(kubeconfig) as handle:
            config = yaml.safe_load(handle)
        config["clusters"][0]["cluster"]["server"] = f"https://127.0.0.1:{proxy.port}"
        with open(self.kubeconfig, "w") as handle:
            yaml.safe_dump(config, handle)
        self.log = os.path.join(directory, f"{self.name}.log")
        self.process = None
        self.restarting = False
        self.skew = 0
        self.runs = []  # (start wall time, skew) per process start, to read log timestamps back

    def start(self, skew=0):
        self.skew = skew
        metrics, health = free_port(), free_port()
        command = [self.binary, "operator", "--kubeconfig", self.kubeconfig, "--leader-elect",
                   "--leader-election-namespace", "default", "--sync-period-seconds", "5",
                   "--stale-observation-seconds", str(STALE_SECONDS), "--log-format", "json",
                   "--metrics-bind-address", f"127.0.0.1:{metrics}", "--health-probe-bind-address", f"127.0.0.1:{health}"]
        environment = dict(os.environ, POD_NAME=self.name, POD_NAMESPACE="default")
        if skew:
            command = ["faketime", "-f", f"+{skew}s"] + command
            environment["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        log = open(self.log, "a")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, env=environment)
        self.runs.append((time.time(), skew))

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def scale_writes(self):
        """(harness time, from, to) of every "Scaled target" line, clock skew taken back out."""
        writes = []
        with open(self.log, errors="replace") as handle:
            for line in handle:
                if '"Scaled target"' not in line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                stamp = parse_time(entry.get("ts", ""))
                skew = 0
                for started, run_skew in self.runs:
                    if stamp - run_skew >= started - 1:
                        skew = run_skew
                writes.append((stamp - skew, int(entry["from"]), int(entry["to"])))
        return writes


def parse_time(text):
    # 2026-12-05T19:05:13.123456Z
    date, _, rest = text.partition("T")
    clock = rest.rstrip("Z")
    year, month, day = (int(x) for x in date.split("-"))
    hour, minute, second = clock.split(":")
    days = days_from_civil(year, month, day)
    return days * 86400 + int(hour) * 3600 + int(minute) * 60 + float(second)


def days_from_civil(year, month, day):
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demand_day(path, seed):
    """One day of one-minute demand for a pool of 4-GPU nodes: a diurnal swing between 2 and 22 GPUs,
    noise and a few bursts, so the soak sees scale-ups and scale-downs."""
    rng = random.Random(seed)
    with open(path, "w") as handle:
        handle.write("timestamp_seconds,gpus\n")
        for minute in range(1440):
            level = 12 - 10 * math.cos(2 * math.pi * minute / 1440)
            burst = 6 if minute % 233 < 12 else 0
            handle.write(f"{minute * 60},{max(0, round(level + burst + rng.uniform(-2, 2)))}\n")


class Soak:
    def __init__(self, arguments):
        self.arguments = arguments
        self.rng = random.Random(arguments.seed)
        self.directory = tempfile.mkdtemp(prefix="fleetcast-soak-")
        self.violations = []
        self.faults = collections.Counter()
        self.blind_windows = []  # (start, end): pods could not be listed or watched
        self.recoveries = []
        self.samples = 0
        self.restarts = collections.Counter()
        self.stop = threading.Event()
        with open(POOL) as handle:
            spec = yaml.safe_load(handle)["spec"]
        budget_nodes = int(spec["budget"]["maxHourlyCost"] // spec["nodes"]["hourlyCost"])
        self.limit = min(spec["nodes"]["max"], budget_nodes)

    def violation(self, kind, message):
        self.violations.append((kind, message))
        print(f"VIOLATION {kind}: {message}", flush=True)

    def start(self):
        seconds = (self.arguments.minutes + self.arguments.quiet_minutes) * 60
        trace = os.path.join(self.directory, "day.csv")
        demand_day(trace, self.arguments.seed)
        kubeconfig = os.path.join(self.directory, "admin.kubeconfig")
        self.cluster_out = os.path.join(self.directory, "dev-cluster.out")
        speed = max(1.0, 86400 / seconds)
        self.dev_cluster = subprocess.Popen(
            [os.path.join(os.path.dirname(self.arguments.fleetcast), "fleetcast-dev"), "dev-cluster", "--kubeconfig-out", kubeconfig, "--infra", INFRA,
             "--workload", trace, "--pool-label", "fleetcast.dev/pool=soak", "--pod-gpus", "1",
             "--speed", f"{speed:.1f}", "--seed", str(self.arguments.seed)],
            cwd=ROOT, stdout=open(self.cluster_out, "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while not os.path.exists(kubeconfig) or os.path.getsize(kubeconfig) == 0:
            if self.dev_cluster.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dev-cluster did not start:\n" + open(self.cluster_out).read())
            time.sleep(0.2)
        time.sleep(0.5)
        self.cluster = Cluster(kubeconfig)
        subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "apply", "-f", POOL], check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        self.replicas = []
        for index in range(2):
            proxy = Proxy(self.cluster.port)
            proxy.start()
            replica = Replica(index, self.arguments.fleetcast, self.directory, kubeconfig, proxy)
            replica.start()
            self.replicas.append(replica)

    def leader(self):
        lease = self.cluster.get("/apis/coordination.k8s.io/v1/namespaces/default/leases/fleetcast-operator-leader")
        holder = (lease or {}).get("spec", {}).get("holderIdentity") or ""
        for replica in self.replicas:
            if holder.startswith(replica.name + "_") and replica.alive():
                return replica
        return None

    def monitor(self):
        while not self.stop.is_set():
            deployment = self.cluster.get("/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/soak")
            if deployment is not None:
                replicas = deployment.get("spec", {}).get("replicas", 0)
                self.samples += 1
                if replicas > self.limit:
                    self.violation("limits", f"MachineDeployment replicas {replicas} > {self.limit} (max and budget)")
            for replica in self.replicas:
                code = replica.process.poll() if replica.process else None
                if code is None or replica.restarting:
                    continue
                if code not in (0, 1, -signal.SIGKILL, -signal.SIGTERM):
                    # Anything else (a trap, an abort, an uncaught signal) is a crash.
                    self.violation("crash", f"{replica.name} exited with {code}; see {replica.log}")
                # A replica that stopped on its own (exit 1: leadership lost, as controller-runtime does)
                # is restarted as the kubelet would restart its pod.
                self.restarts[replica.name] += 1
                replica.start(skew=replica.skew)
            self.stop.wait(1)

    def inject(self, kind):
        self.faults[kind] += 1
        now = time.time()
        if kind == "api-5xx":
            self.cluster.fault({"action": "fail", "code": 503, "times": 10, "retryAfterSeconds": 1})
        elif kind == "blind-pods":
            seconds = STALE_SECONDS + 12
            self.cluster.fault({"action": "dropWatches"})
            self.cluster.fault({"action": "fail", "code": 503, "times": 100000, "method": "GET", "pathContains": "/pods"})
            self.blind_windows.append((now, now + seconds))
            time.sleep(seconds)
            self.cluster.fault({"action": "clear"})
            self.recoveries.append(("blind-pods", self.wait_until_current(now + seconds)))
        elif kind == "watch-drop":
            self.cluster.fault({"action": "dropWatches"})
        elif kind == "gone-410":
            self.cluster.fault({"action": "compactHistory"})
            self.cluster.fault({"action": "dropWatches"})
        elif kind == "refuse":
            self.cluster.fault({"action": "refuseConnections", "milliseconds": 2000})
        elif kind == "kill-leader":
            leader = self.leader()
            if leader is None:
                self.faults[kind] -= 1
                return
            leader.restarting = True
            leader.kill(signal.SIGKILL)
            time.sleep(3)
            leader.start()
            leader.restarting = False
            self.recoveries.append(("kill-leader", self.wait_for_leader(now)))
        elif kind == "partition":
            replica = self.rng.choice(self.replicas)
            replica.proxy.partition(20)
            time.sleep(20)
        elif kind == "clock-skew":
            replica = self.rng.choice(self.replicas)
            replica.restarting = True
            replica.kill(signal.SIGTERM)
            replica.start(skew=20)
            replica.restarting = False

    def wait_for_leader(self, since):
        """Seconds from the kill until a replica logs that it acquired the lease."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for replica in self.replicas:
                with open(replica.log, errors="replace") as handle:
                    for line in handle:
                        if '"Acquired lease' in line:
                            try:
                                stamp = parse_time(json.loads(line)["ts"]) - replica.skew
                            except (ValueError, KeyError):
                                continue
                            if stamp > since:
                                return stamp - since
            time.sleep(0.5)
        self.violation("convergence", "no replica acquired the lease within 60 s of the leader's death")
        return float("inf")

    def wait_until_current(self, since):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pool = self.cluster.get("/apis/fleetcast.dev/v1alpha1/namespaces/default/gpupools/soak")
            conditions = {c["type"]: c for c in (pool or {}).get("status", {}).get("conditions", [])}
            if conditions.get("Degraded", {}).get("status") == "False":
                return time.time() - since
            time.sleep(0.5)
        self.violation("convergence", "still Degraded 60 s after pods could be listed again")
        return float("inf")

    def chaos(self):
        """Light faults every 8–16 s; a disruptive one (the leader killed or cut off, pods
        unlistable, a skewed restart) at most once per cooldown, so a history gap can be traced to
        the one fault that caused it."""
        light = ["api-5xx", "watch-drop", "gone-410", "refuse"]
        disruptive = ["blind-pods", "kill-leader", "partition"] + (["clock-skew"] if self.arguments.clock_skew else [])
        end = time.monotonic() + self.arguments.minutes * 60
        time.sleep(20)  # let the pool settle and a leader be elected
        next_disruptive = time.monotonic()
        while time.monotonic() < end:
            if time.monotonic() >= next_disruptive and self.rng.random() < 0.5:
                self.inject(self.rng.choice(disruptive))
                next_disruptive = time.monotonic() + DISRUPTION_COOLDOWN_SECONDS
            else:
                self.inject(self.rng.choice(light))
            time.sleep(self.rng.uniform(8, 16))
        self.cluster.fault({"action": "clear"})

    def converge(self):
        for replica in self.replicas:
            if not replica.alive():
                replica.start()
        started = time.time()
        deadline = time.monotonic() + self.arguments.quiet_minutes * 60
        steady = 0
        while time.monotonic() < deadline:
            pool = self.cluster.get("/apis/fleetcast.dev/v1alpha1/namespaces/default/gpupools/soak") or {}
            deployment = self.cluster.get("/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments/soak") or {}
            status = pool.get("status", {})
            conditions = {c["type"]: c["status"] for c in status.get("conditions", [])}
            desired = status.get("nodes", {}).get("desired")
            ok = (conditions.get("Ready") == "True" and conditions.get("Degraded") == "False"
                  and desired is not None and desired == deployment.get("spec", {}).get("replicas"))
            if ok and steady == 0:
                streak_started = time.time()   # the first of the samples that stay steady
            steady = steady + 1 if ok else 0
            if steady >= 10 and not hasattr(self, "converged_after"):
                self.converged_after = streak_started - started
            time.sleep(1)
        if not hasattr(self, "converged_after"):
            self.violation("convergence", "the pool did not converge in the quiet phase")

    def check_writes(self):
        writes = sorted((when, replica.name, old, new) for replica in self.replicas for (when, old, new) in replica.scale_writes())
        for (t1, r1, _, _), (t2, r2, _, _) in zip(writes, writes[1:]):
            if r1 != r2 and t2 - t1 < LEASE_HANDOVER_SECONDS:
                self.violation("one writer", f"{r1} and {r2} wrote the target {t2 - t1:.1f} s apart")
        for when, name, old, new in writes:
            if new < old:
                for start, end in self.blind_windows:
                    if start + STALE_SECONDS + 2 <= when <= end:
                        self.violation("blind", f"{name} scaled down {old}→{new} while pods could not be listed")
        self.writes = writes

    def check_disruption(self):
        self.disrupted = 0
        scale_downs = []
        with open(self.cluster_out, errors="replace") as handle:
            for line in handle:
                marker = " pods disrupted by scale-down"
                if marker in line:
                    self.disrupted = max(self.disrupted, int(line.split(marker)[0].rsplit(" ", 1)[-1].split(",")[-1]))
                elif any(f" {kind} " in line for kind in ("machineDeleting", "podEvicted", "podKilled")):
                    scale_downs.append(line.rstrip())
        if self.disrupted:
            # Which Machines went and why (delete-machine, unhealthy, or a healthy one the order picked), and
            # the pods they took: on a CI machine the logs are gone, so the evidence goes in the output.
            print("\n".join(["scale-downs in the virtual infrastructure:"] + scale_downs))
            self.violation("disruption", f"{self.disrupted} running pods disrupted by scale-down")

    def check_history(self, chaos_started):
        maps = self.cluster.get("/api/v1/configmaps") or {}
        history = None
        for item in maps.get("items", []):
            if item["metadata"]["name"] in ("default.soak.demand-history", "soak-demand-history"):
                history = json.loads(item.get("data", {}).get("history.json", "null") or "null")
        if not history:
            self.violation("history", "no demand history ConfigMap")
            return
        counts = struct.unpack(f"<{len(base64.b64decode(history['counts'])) // 2}H", base64.b64decode(history["counts"]))
        step, first = history["step"], history["firstBin"]
        begin = int((chaos_started + 60) // step) - first
        end = int((time.time() - 60) // step) - first
        run = longest = 0
        for count in counts[max(begin, 0):max(end, 0)]:
            run = run + 1 if count == 0 else 0
            longest = max(longest, run)
        self.longest_gap = longest
        if longest > 1:
            self.violation("history", f"{longest} demand-history bins in a row were lost")

    def run(self):
        self.start()
        watcher = threading.Thread(target=self.monitor, daemon=True)
        watcher.start()
        chaos_started = time.time()
        try:
            self.chaos()
            self.converge()
        finally:
            self.stop.set()
            watcher.join(5)
        self.check_writes()
        self.check_disruption()
        self.check_history(chaos_started)
        self.report()

    def report(self):
        print()
        print(f"chaos {self.arguments.minutes} min, quiet {self.arguments.quiet_minutes} min, seed {self.arguments.seed}, "
              f"{self.samples} limit samples, {len(self.writes)} target writes")
        print("| fault | injected |\n|---|---|")
        for kind, count in sorted(self.faults.items()):
            print(f"| {kind} | {count} |")
        print()
        for kind, seconds in self.recoveries:
            print(f"recovery after {kind}: {seconds:.1f} s")
        print("restarts after stopping on their own (lease lost): "
              + (", ".join(f"{name} {count}" for name, count in sorted(self.restarts.items())) or "none"))
        print(f"converged {getattr(self, 'converged_after', float('nan')):.1f} s into the quiet phase; "
              f"pods disrupted by scale-down: {self.disrupted}; longest history gap: {getattr(self, 'longest_gap', '-')} bins")
        print(f"invariant violations: {len(self.violations)}")
        for kind, message in self.violations:
            print(f"  {kind}: {message}")
        checks = 6
        failed = len({kind for kind, _ in self.violations})
        print(f"{checks - failed} passed, {failed} failed")

    def cleanup(self):
        for replica in getattr(self, "replicas", []):
            replica.kill(signal.SIGTERM)
        if getattr(self, "dev_cluster", None) and self.dev_cluster.poll() is None:
            self.dev_cluster.send_signal(signal.SIGINT)
            try:
                self.dev_cluster.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.dev_cluster.kill()
        if not self.arguments.keep:
            subprocess.run(["rm", "-rf", self.directory])
        else:
            print(f"logs kept in {self.directory}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30, help="length of the chaos phase (default 30)")
    parser.add_argument("--quiet-minutes", type=float, default=3, help="faults stopped, waiting for convergence (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fleetcast", default=None, help="the fleetcast binary; fleetcast-dev is taken from beside it (default: the debug build)")
    parser.add_argument("--no-clock-skew", dest="clock_skew", action="store_false", help="leave out the clock-skew fault")
    parser.add_argument("--keep", action="store_true", help="keep the logs and kubeconfigs")
    arguments = parser.parse_args()
    if arguments.fleetcast is None:
        path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        arguments.fleetcast = os.path.join(path, "fleetcast")
    if arguments.clock_skew and subprocess.run(["sh", "-c", "command -v faketime"], capture_output=True).returncode != 0:
        print("soak: faketime is not installed (hack/install-deps.sh installs it)", file=sys.stderr)
        sys.exit(2)
    soak = Soak(arguments)
    try:
        soak.run()
    except Exception as error:
        print(f"soak: could not run: {error}", file=sys.stderr)
        arguments.keep = True
        soak.cleanup()
        sys.exit(2)
    if soak.violations:
        arguments.keep = True   # the logs are what a violation is diagnosed from
    soak.cleanup()
    sys.exit(1 if soak.violations else 0)


if __name__ == "__main__":
    main()
