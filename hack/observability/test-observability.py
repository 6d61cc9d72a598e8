#!/usr/bin/env python3
"""Checks Fleetcast's dashboard and alerts for real.

1. deploy/grafana/fleetcast-dashboard.json is structurally what Grafana loads: schemaVersion, unique panel
   ids, grid positions, every panel and target on the `${datasource}` variable, every `$variable` defined,
   no hard-coded GPUs-per-node constant.
2. `promtool check rules` and `promtool test rules` (deploy/prometheus/fleetcast-rules.test.yaml, a test
   per alert).
3. End to end: `fleetcast-dev dev-cluster --authorize-rbac --infra` (a simulated GPU pool with quick start-ups),
   `fleetcast operator --leader-elect --metrics-secure` reconciling a GPUPool whose demand exceeds its
   maximum, and a real Prometheus (Debian's package; its own loopback port, config and storage) scraping it
   over TLS with a ServiceAccount token bound to fleetcast-metrics-reader and evaluating the rules. Every
   PromQL expression of the dashboard and of the rules must return data, except those listed in
   EXPECTED_EMPTY with the reason; the alerts this scenario should raise must be pending in ALERTS.

Usage: python3 hack/observability/test-observability.py PATH/TO/fleetcast   (the built binary; fleetcast-dev beside it)
Prints one line per test and ends with "N passed, N failed"; exit 1 when any failed.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "fleetcast-dashboard.json")
RULES = os.path.join(ROOT, "deploy", "prometheus", "fleetcast-rules.yaml")
RULE_TESTS = os.path.join(ROOT, "deploy", "prometheus", "fleetcast-rules.test.yaml")
READER_ROLE = os.path.join(ROOT, "deploy", "rbac", "metrics-reader-clusterrole.yaml")
# Every wait is bounded; the pool is reconciled within seconds and Prometheus scrapes every second.
WAIT_SECONDS = 150

# Expressions that legitimately return nothing in the end-to-end scenario (a healthy operator, no errors).
EXPECTED_EMPTY = {
    "absent(fleetcast_build_info)": "the operator is scraped, so nothing is absent (FleetcastOperatorAbsent)",
    'max(leader_election_master_status{name="fleetcast-operator-leader"}) < 1': "the one replica leads (FleetcastNoLeader)",
    "time() - fleetcast_pool_forecast_fitted_timestamp_seconds > 1800": "the forecast was fitted seconds ago (FleetcastForecastStale)",
    "sum by (namespace, gpupool) (rate(fleetcast_reconcile_errors_total[10m])) > 0":
        "no reconcile fails, so the error counter has no series (FleetcastReconcileErrors)",
    "sum by (namespace, gpupool) (rate(fleetcast_reconcile_errors_total[30s]))": "no reconcile fails, so the error counter has no series",
    **{f'fleetcast_pool_standby_{gauge}{{namespace=~".*", gpupool=~".*"}}':
       "the scenario's pool has no standby tier (spec.warmPool.standby), so the standby gauges have no series"
       for gauge in ("desired_nodes", "ready_nodes", "resume_seconds", "resume_p50_seconds", "resume_p90_seconds")},
}
# Alerts the scenario (demand above the pool's maximum, a new pool without history) must raise; each waits
# out its `for`, so they are pending.
EXPECTED_PENDING = {"FleetcastForecastNotReady", "FleetcastPoolLimited", "FleetcastDemandUnmet"}
# Inputs of the expected-empty expressions that must still exist, so "empty" means healthy, not broken.
EXPECTED_PRESENT = ["fleetcast_build_info", 'leader_election_master_status{name="fleetcast-operator-leader"}',
                    "fleetcast_pool_forecast_fitted_timestamp_seconds"]

INFRA = """
seed: 7
pools:
- machineDeployment: a100
  namespace: default
  clusterName: dev
  gpusPerNode: 8
  labels: {fleetcast.dev/pool: a100}
  bootDelay: 2s
  gpuInitDelay: 1s
  replicas: 1
"""
# No minReplicas/maxReplicas: they become cluster-autoscaler's node-group annotations, and Fleetcast rightly
# refuses to share a target with cluster-autoscaler (ConflictingAutoscaler) unless told MinimumSize.

POOL = """
apiVersion: fleetcast.dev/v1alpha1
kind: GPUPool
metadata: {name: a100, namespace: default}
spec:
  nodes:
    selector: {matchLabels: {fleetcast.dev/pool: a100}}
    gpusPerNode: 8
    min: 1
    max: 2
    hourlyCost: 32.77
  target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
  demand:
    pods:
      selector: {matchLabels: {app: train}}
  startup: {expected: 5s}
""" + "".join(f"""---
apiVersion: v1
kind: Pod
metadata: {{name: train-{i}, namespace: default, labels: {{app: train}}}}
spec:
  containers:
  - name: main
    image: trainer
    resources: {{requests: {{nvidia.com/gpu: "8"}}, limits: {{nvidia.com/gpu: "8"}}}}
""" for i in range(3)) + """---
apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: prometheus, namespace: monitoring}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: prometheus-reads-fleetcast}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fleetcast-metrics-reader}
subjects: [{kind: ServiceAccount, name: prometheus, namespace: monitoring}]
"""


def dashboard_expressions(dashboard):
    for panel in dashboard["panels"]:
        for target in panel.get("targets") or []:
            yield panel["title"], target["expr"]


def rule_expressions():
    with open(RULES, encoding="utf-8") as handle:
        for group in yaml.safe_load(handle)["groups"]:
            for rule in group["rules"]:
                yield rule.get("alert") or rule.get("record"), rule["expr"]


def test_dashboard_structure():
    with open(DASHBOARD, encoding="utf-8") as handle:
        dashboard = json.load(handle)
    problems = []
    if not isinstance(dashboard.get("schemaVersion"), int) or dashboard["schemaVersion"] < 36:
        problems.append("schemaVersion must be an integer >= 36 (Grafana 9+)")
    for key in ("uid", "title", "panels", "templating", "time"):
        if not dashboard.get(key):
            problems.append(f"{key} is missing")
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    source = variables.get("datasource")
    if not source or source.get("type") != "datasource" or source.get("query") != "prometheus":
        problems.append("a datasource variable of type datasource with query prometheus is required")
    ids = [panel.get("id") for panel in dashboard["panels"]]
    if len(ids) != len(set(ids)) or any(not isinstance(i, int) for i in ids):
        problems.append(f"panel ids must be unique integers: {ids}")
    builtin = {"__rate_interval", "__interval", "__range"}
    for panel in dashboard["panels"]:
        where = f"panel {panel.get('id')} {panel.get('title')!r}"
        grid = panel.get("gridPos") or {}
        if not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")) or grid["x"] + grid["w"] > 24:
            problems.append(f"{where}: gridPos must have integer x, y, w, h within 24 columns")
        if panel.get("type") == "row":
            continue
        if (panel.get("datasource") or {}).get("uid") != "${datasource}":
            problems.append(f"{where}: datasource must be the ${{datasource}} variable")
        targets = panel.get("targets") or []
        if not targets:
            problems.append(f"{where}: no targets")
        if len({t.get("refId") for t in targets}) != len(targets):
            problems.append(f"{where}: refIds must be unique")
        for target in targets:
            if (target.get("datasource") or {}).get("uid") != "${datasource}":
                problems.append(f"{where} {target.get('refId')}: datasource must be the ${{datasource}} variable")
            for name in re.findall(r"\$(?:\{)?(\w+)", target.get("expr", "")):
                if name not in variables and name not in builtin:
                    problems.append(f"{where} {target.get('refId')}: ${name} is not a dashboard variable")
            if re.search(r"\*\s*8\b", target.get("expr", "")):
                problems.append(f"{where} {target.get('refId')}: GPUs per node must come from fleetcast_pool_gpus_per_node, not a constant")
    for title in ("Demand and forecast", "Nodes: ready, starting, desired, warm", "Pending GPUs",
                  "Learned lead time and start-up phases", "Cost per hour", "Plan reason",
                  "Standby tier: desired and ready to resume", "Standby resume time", "Reconcile latency", "API requests and errors", "Leader"):
        if title not in {p.get("title") for p in dashboard["panels"]}:
            problems.append(f"panel {title!r} is missing")
    assert not problems, "\n".join(problems)


def test_promtool():
    for command in (["promtool", "check", "rules", RULES], ["promtool", "test", "rules", RULE_TESTS]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=os.path.dirname(RULES))
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Prometheus:
    """A real Prometheus server on a free loopback port with its own config and storage under `directory`,
    stopped (and its storage left to the caller's directory) by stop()."""

    def __init__(self, directory, scrape_configs, rule_files=(), interval="1s"):
        self.port = free_port()
        self.directory = directory
        config = {"global": {"scrape_interval": interval, "evaluation_interval": interval},
                  "rule_files": list(rule_files), "scrape_configs": scrape_configs}
        self.config = os.path.join(directory, "prometheus.yml")
        with open(self.config, "w", encoding="utf-8") as handle:
            yaml.safe_dump(config, handle)
        self.log = open(os.path.join(directory, "prometheus.log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            ["prometheus", f"--config.file={self.config}", f"--storage.tsdb.path={os.path.join(directory, 'tsdb')}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=1h", "--log.level=warn"],
            stdout=self.log, stderr=self.log)
        wait_for("Prometheus ready", lambda: self.get("/-/ready") is not None, self.process)

    def get(self, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.read().decode()
        except OSError:
            return None

    def query(self, expression):
        text = self.get("/api/v1/query?" + urllib.parse.urlencode({"query": expression}))
        if text is None:
            raise AssertionError(f"query failed: {expression}")
        answer = json.loads(text)
        assert answer["status"] == "success", f"{expression}: {answer}"
        return answer["data"]["result"]

    def logs(self):
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wait_for(what, condition, process=None):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {process.returncode}")
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {WAIT_SECONDS} s")


def start(command, directory, name):
    log = open(os.path.join(directory, f"{name}.log"), "w+", encoding="utf-8")
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT), log


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_end_to_end(binary):
    directory = tempfile.mkdtemp(prefix="fleetcast-observability-")
    processes, prometheus = [], None
    try:
        infra = os.path.join(directory, "infra.yaml")
        with open(infra, "w", encoding="utf-8") as handle:
            handle.write(INFRA)
        kubeconfig = os.path.join(directory, "kubeconfig")
        dev_tools = os.path.join(os.path.dirname(binary), "fleetcast-dev")
        cluster, cluster_log = start([dev_tools, "dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", kubeconfig,
                                      "--authorize-rbac", "--infra", infra], directory, "dev-cluster")
        processes.append((cluster, cluster_log))
        wait_for("dev-cluster kubeconfig", lambda: os.path.exists(kubeconfig) and os.path.getsize(kubeconfig) > 0, cluster)

        def kubectl(*args):
            result = subprocess.run(["kubectl", "--kubeconfig", kubeconfig, "--cache-dir", os.path.join(directory, "cache"), *args],
                                    capture_output=True, text=True)
            assert result.returncode == 0, f"kubectl {' '.join(args)}: {result.stderr}"
            return result.stdout.strip()

        pool = os.path.join(directory, "pool.yaml")
        with open(pool, "w", encoding="utf-8") as handle:
            handle.write(POOL)
        kubectl("apply", "-f", READER_ROLE, "-f", pool)
        token = os.path.join(directory, "prometheus.token")
        with open(token, "w", encoding="utf-8") as handle:
            handle.write(kubectl("create", "token", "prometheus", "-n", "monitoring"))

        metrics_port = free_port()
        operator, operator_log = start([binary, "operator", "--kubeconfig", kubeconfig, "--leader-elect", "--leader-election-namespace", "default",
                                        "--metrics-bind-address", f"127.0.0.1:{metrics_port}", "--metrics-secure",
                                        "--health-probe-bind-address", "0", "--sync-period-seconds", "1"], directory, "operator")
        processes.append((operator, operator_log))
        prometheus = Prometheus(directory, [{
            "job_name": "fleetcast", "scheme": "https", "metrics_path": "/metrics",
            "authorization": {"credentials_file": token}, "tls_config": {"insecure_skip_verify": True},
            "static_configs": [{"targets": [f"127.0.0.1:{metrics_port}"]}],
        }], rule_files=[RULES])

        with open(DASHBOARD, encoding="utf-8") as handle:
            dashboard = json.load(handle)
        # Grafana's variables as "All" would send them; $__rate_interval as for a 1 s scrape (4 × interval, rounded up).
        substitutions = {"$namespace": ".*", "$gpupool": ".*", "$__rate_interval": "30s"}
        expressions = []
        for title, expression in dashboard_expressions(dashboard):
            for variable, value in substitutions.items():
                expression = expression.replace(variable, value)
            expressions.append((f"dashboard {title!r}", expression))
        expressions += [(f"rule {name}", expression) for name, expression in rule_expressions()]
        for expression in EXPECTED_EMPTY:
            assert expression in {e for _, e in expressions}, f"EXPECTED_EMPTY lists an expression no longer used: {expression}"

        def missing():
            gaps = [f"{where}: {expression}" for where, expression in expressions
                    if expression not in EXPECTED_EMPTY and not prometheus.query(expression)]
            pending = {r["metric"]["alertname"] for r in prometheus.query('ALERTS{alertstate=~"pending|firing"}')}
            gaps += [f"alert {name} is not pending" for name in sorted(EXPECTED_PENDING - pending)]
            return gaps

        try:
            # Ready nodes come up after the simulated start-up; rates need two scrapes of a changed counter.
            wait_for("every dashboard and rule expression returns data", lambda: not missing(), operator)
        except AssertionError as error:
            raise AssertionError(f"{error}:\n" + "\n".join(missing())) from None
        for where, expression in expressions:
            if expression in EXPECTED_EMPTY:
                assert not prometheus.query(expression), f"{where} returned data in a healthy run: {expression}"
        for expression in EXPECTED_PRESENT:
            assert prometheus.query(expression), f"{expression} is missing, so an empty alert expression proves nothing"
        targets = json.loads(prometheus.get("/api/v1/targets"))["data"]["activeTargets"]
        assert [t["health"] for t in targets] == ["up"], targets
        print(f"     {len(expressions) - len(EXPECTED_EMPTY)} expressions returned data; {len(EXPECTED_EMPTY)} empty as expected:")
        for expression, reason in EXPECTED_EMPTY.items():
            print(f"       {expression}  -- {reason}")
    except BaseException:
        for process, log in processes:
            log.seek(0)
            print(f"--- {process.args[1]} log (tail)\n{log.read()[-3000:]}", file=sys.stderr)
        if prometheus is not None:
            print(f"--- prometheus log (tail)\n{prometheus.logs()[-3000:]}", file=sys.stderr)
        raise
    finally:
        if prometheus is not None:
            prometheus.stop()
        for process, log in reversed(processes):
            stop(process)
            log.close()
        shutil.rmtree(directory, ignore_errors=True)


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(argv[1])
    tests = [("dashboard structure", test_dashboard_structure), ("promtool check and test rules", test_promtool),
             ("Prometheus scrapes the operator; every expression returns data", lambda: test_end_to_end(binary))]
    passed = failed = 0
    for name, test in tests:
        started = time.monotonic()
        try:
            test()
            passed += 1
            print(f"ok   observability: {name} ({time.monotonic() - started:.1f} s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL observability: {name}\n{traceback.format_exc()}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
