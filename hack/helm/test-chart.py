#!/usr/bin/env python3
"""Tests deploy/helm/fleetcast/ with the real Helm: Helm 4's Go library as PyPI's helm-python-sdk bundles
it (libhelm_c.so; no helm binary), installed into .build/helm-venv by hack/install-deps.sh.

1. `helm lint --strict` finds nothing.
2. Several value sets pass values.schema.json, render, and the rendered objects pass hack/check-deploy.py's
   checks; values the schema must refuse are refused.
3. The chart is installed, upgraded and uninstalled into `fleetcast-dev dev-cluster --authorize-rbac` through
   Helm's own client (server-side apply, releases in Secrets through client-go's typed clientset, i.e.
   protobuf). Between install and upgrade the operator runs with a token of the chart's ServiceAccount
   (`kubectl create token`), so only the chart's RBAC lets it work, and it reconciles a pool; it serves the
   secure /metrics as the chart configures it (--metrics-secure), and curl scrapes it over TLS with the token
   of a ServiceAccount bound to the chart's fleetcast-metrics-reader (200) and without one (401).

Usage: .build/helm-venv/bin/python hack/helm/test-chart.py PATH/TO/fleetcast   (the built binary; fleetcast-dev beside it)
Prints one line per test and ends with "N passed, N failed"; exit 1 when any failed.
"""
import copy
import importlib.util
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

import helm_python as helm
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHART = os.path.join(ROOT, "deploy", "helm", "fleetcast")
NAMESPACE = "fleetcast-system"
RELEASE = "fleetcast"
# Every wait below is bounded; a dev-cluster answers in milliseconds, the operator reconciles within seconds.
WAIT_SECONDS = 180

spec = importlib.util.spec_from_file_location("check_deploy", os.path.join(ROOT, "hack", "check-deploy.py"))
check_deploy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_deploy)

POOL = """
apiVersion: v1
kind: Namespace
metadata: {name: gpu}
---
apiVersion: cluster.x-k8s.io/v1beta2
kind: MachineDeployment
metadata: {name: a100, namespace: gpu}
spec: {clusterName: dev, replicas: 0}
---
apiVersion: v1
kind: Pod
metadata: {name: train-0, namespace: gpu, labels: {app: train}}
spec:
  containers:
  - name: main
    image: trainer
    resources: {requests: {nvidia.com/gpu: "4"}, limits: {nvidia.com/gpu: "4"}}
---
apiVersion: fleetcast.dev/v1alpha1
kind: GPUPool
metadata: {name: a100, namespace: gpu}
spec:
  nodes:
    selector: {matchLabels: {fleetcast.dev/pool: a100}}
    gpusPerNode: 8
    min: 2
    max: 10
  target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: a100}
  demand:
    pods:
      selector: {matchLabels: {app: train}}
  startup: {expected: 9m}
"""

VALUE_SETS = {
    "defaults": {},
    "single replica": {"replicas": 1, "leaderElection": {"enabled": False}, "podDisruptionBudget": {"enabled": False}},
    "everything on": {
        "image": {"repository": "registry.example/fleetcast", "tag": "v0.1.0", "pullPolicy": "Always"},
        "imagePullSecrets": [{"name": "registry"}],
        "crds": {"install": False, "keep": False},
        "extraArgs": ["--prometheus-url=http://prometheus.monitoring:9090"],
        "watchNamespace": "gpu",
        "targetCluster": {"kubeconfigSecret": "management-cluster", "key": "value", "context": "management"},
        "metrics": {"port": 9443, "certSecret": "fleetcast-metrics-tls", "service": {"enabled": True},
                    "serviceMonitor": {"enabled": True, "interval": "15s", "labels": {"release": "prom"}}},
        "prometheusRule": {"enabled": True, "labels": {"release": "prom"}},
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"}],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "node-role.kubernetes.io/control-plane", "operator": "DoesNotExist"}]}]}}},
        "priorityClassName": "system-cluster-critical",
        "networkPolicy": {"enabled": True, "apiServerCIDRs": ["10.0.0.1/32"], "apiServerPort": 6443},
        "resources": {"requests": {"cpu": "100m", "memory": "96Mi"}, "limits": {"memory": "512Mi"}},
    },
}

REFUSED_VALUES = {
    "two replicas without leader election": {"replicas": 2, "leaderElection": {"enabled": False}},
    "unknown pull policy": {"image": {"repository": "fleetcast", "pullPolicy": "Sometimes"}},
    "misspelt key": {"replica": 3},
    "extra argument that is not a flag": {"extraArgs": ["operator"]},
    "positive placeholder priority": {"placeholderPriorityClass": {"create": True, "value": 5}},
    "target context without a kubeconfig Secret": {"targetCluster": {"context": "management"}},
    "kubeconfig Secret that is no object name": {"targetCluster": {"kubeconfigSecret": "Management_Cluster"}},
    "memory limit that is no quantity": {"resources": {"requests": {"memory": "64Mi"}, "limits": {"memory": "lots"}}},
}


def render(values):
    """The chart's objects for `values`, as `helm template` would print them."""
    chart = helm.Chart.load(CHART)
    chart.validate_schema(values)
    manifests = chart.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    objects = []
    for path, text in sorted(manifests.items()):
        if path.endswith(".txt"):
            continue
        objects += [doc for doc in yaml.safe_load_all(text) if doc]
    return objects


def find(objects, kind, name=None):
    return [o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def args_of(objects):
    return find(objects, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["args"]


def test_lint():
    report = helm.lint(CHART, strict=True)
    problems = [m for m in report["messages"] if m["severity"] >= 2] + report["errors"]
    assert not problems, f"helm lint --strict: {problems}"


def test_value_sets():
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
    for label, values in VALUE_SETS.items():
        objects = render(values)
        deployment = find(objects, "Deployment")[0]
        if values.get("leaderElection", {}).get("enabled", True):
            problems = check_deploy.check(objects + [namespace])
            assert not problems, f"{label}: {problems}"
        assert deployment["spec"]["replicas"] == values.get("replicas", 2), label
        crds = find(objects, "CustomResourceDefinition")
        assert len(crds) == (0 if label == "everything on" else 1), f"{label}: {len(crds)} CRDs"
    single = render(VALUE_SETS["single replica"])
    assert not find(single, "PodDisruptionBudget") and "--leader-elect" not in args_of(single)
    everything = render(VALUE_SETS["everything on"])
    assert "--prometheus-url=http://prometheus.monitoring:9090" in args_of(everything)
    assert "--namespace=gpu" in args_of(everything) and "--metrics-bind-address=:9443" in args_of(everything)
    monitor = find(everything, "ServiceMonitor")[0]
    assert monitor["metadata"]["labels"]["release"] == "prom"
    assert monitor["spec"]["endpoints"][0]["scheme"] == "https" and "bearerTokenFile" in monitor["spec"]["endpoints"][0]
    assert "--metrics-cert-dir=/etc/fleetcast/metrics-certs" in args_of(everything)
    # A management cluster: its kubeconfig from the Secret's key, mounted read-only, and the context.
    assert {"--target-kubeconfig=/etc/fleetcast/target-cluster/kubeconfig", "--target-context=management"} <= set(args_of(everything))
    assert {"name": "target-cluster", "secret": {"secretName": "management-cluster", "items": [{"key": "value", "path": "kubeconfig"}]}} \
        in find(everything, "Deployment")[0]["spec"]["template"]["spec"]["volumes"]
    assert {"name": "target-cluster", "mountPath": "/etc/fleetcast/target-cluster", "readOnly": True} \
        in find(everything, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    assert not any(arg.startswith("--target-") for arg in args_of(render({})))
    assert {"name": "metrics-certs", "secret": {"secretName": "fleetcast-metrics-tls"}} in find(everything, "Deployment")[0]["spec"]["template"]["spec"]["volumes"]
    # The PrometheusRule carries exactly the groups promtool checks in deploy/prometheus/.
    with open(os.path.join(ROOT, "deploy", "prometheus", "fleetcast-rules.yaml"), encoding="utf-8") as handle:
        assert find(everything, "PrometheusRule")[0]["spec"]["groups"] == yaml.safe_load(handle)["groups"]
    assert not find(render({}), "PrometheusRule") and not find(render({}), "ServiceMonitor")
    assert find(everything, "NetworkPolicy")[0]["spec"]["egress"][0]["ports"][0]["port"] == 6443
    with open(os.path.join(ROOT, "deploy", "networkpolicy.yaml"), encoding="utf-8") as handle:
        kustomize_policy = yaml.safe_load(handle)
    assert find(everything, "NetworkPolicy")[0]["spec"]["ingress"] == kustomize_policy["spec"]["ingress"], "the chart's and deploy/'s ingress differ"
    pod = find(everything, "Deployment")[0]["spec"]["template"]["spec"]
    assert pod["containers"][0]["image"] == "registry.example/fleetcast:v0.1.0"
    assert pod["nodeSelector"] == {"kubernetes.io/os": "linux"} and pod["priorityClassName"] == "system-cluster-critical"
    defaults = render({})
    crd = find(defaults, "CustomResourceDefinition")[0]
    assert crd["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    with open(os.path.join(ROOT, "crds", "fleetcast.dev_gpupools.yaml"), encoding="utf-8") as handle:
        assert crd["spec"] == yaml.safe_load(handle)["spec"], "the chart's CRD differs from crds/"
    assert find(defaults, "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "fleetcast:0.1.0"


def test_schema_refuses_bad_values():
    chart = helm.Chart.load(CHART)
    for label, values in REFUSED_VALUES.items():
        try:
            chart.validate_schema(values)
        except helm.HelmValuesError:
            continue
        raise AssertionError(f"values.schema.json accepted {label}: {values}")


def test_rbac_is_deploy_rbac():
    """The chart's RBAC grants exactly what deploy/ (kustomize) grants, to the chart's ServiceAccount."""
    rendered = render({})
    kustomized = check_deploy.render(os.path.join(ROOT, "deploy"))
    assert check_deploy.rbac_grants(rendered) == check_deploy.rbac_grants(kustomized)


class DevCluster:
    """`fleetcast-dev dev-cluster --authorize-rbac` (beside the fleetcast binary) on a free loopback port, with kubectl
    pointed at it."""

    def __init__(self, binary, directory):
        self.directory = directory
        self.kubeconfig = os.path.join(directory, "admin.kubeconfig")
        self.log = open(os.path.join(directory, "dev-cluster.log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [os.path.join(os.path.dirname(binary), "fleetcast-dev"), "dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", self.kubeconfig,
             "--authorize-rbac", "--crds", os.path.join(ROOT, "hack", "dev", "crds")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log, text=True)
        banner = self.process.stdout.readline()
        if "serving" not in banner:
            self.stop()
            raise AssertionError(f"dev-cluster did not start: {banner!r} {self.logs()}")

    def logs(self):
        self.log.seek(0)
        return self.log.read()

    def kubectl(self, *args, stdin=None, check=True, kubeconfig=None):
        result = subprocess.run(["kubectl", "--kubeconfig", kubeconfig or self.kubeconfig, "--cache-dir", os.path.join(self.directory, "cache"), *args],
                                input=stdin, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: {result.stderr}")
        return result.stdout.strip() if check else (result.returncode, result.stdout + result.stderr)

    def exists(self, *args):
        return self.kubectl("get", *args, "-o", "name", check=False)[0] == 0

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def wait_for(what, condition, process=None):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {process.returncode}")
        time.sleep(0.25)
    raise AssertionError(f"{what}: not within {WAIT_SECONDS} s")


def test_install_run_upgrade_uninstall(binary):
    directory = tempfile.mkdtemp(prefix="fleetcast-helm-")
    cluster = DevCluster(binary, directory)
    try:
        with helm.Config(kubeconfig_path=cluster.kubeconfig, namespace=NAMESPACE) as config:
            install_and_run(cluster, config, binary, directory)
    except BaseException:
        print(cluster.logs()[-4000:], file=sys.stderr)
        raise
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def crash_report(output):
    """What a failed run's output says: the log's last lines before a crash, then the crash report from its
    first line (the fatal error and the crashed thread; a tail alone shows only the last thread listed)."""
    start = min([i for i in (output.find("Fatal error"), output.find("*** Program crashed")) if i >= 0], default=-1)
    if start < 0:
        return output[-4000:]
    return output[max(0, start - 1500):start] + output[start:start + 6000]


def install_and_run(cluster, config, binary, directory):
    # Values the schema refuses never reach the cluster.
    try:
        config.install(CHART, RELEASE, {"replicas": 2, "leaderElection": {"enabled": False}}, create_namespace=True, timeout=60)
        raise AssertionError("install accepted values that values.schema.json refuses")
    except helm.HelmError:
        pass
    assert not cluster.exists("namespace", NAMESPACE) or not cluster.exists("deployment", "-n", NAMESPACE, "fleetcast-operator")

    release = config.install(CHART, RELEASE, {"image": {"tag": "test"}}, create_namespace=True, timeout=60)
    assert release["status"] == "deployed" and release["revision"] == 1, release
    for kind, name in (("deployment", "fleetcast-operator"), ("serviceaccount", "fleetcast-operator"), ("role", "fleetcast-leader-election"),
                       ("poddisruptionbudget", "fleetcast-operator"), ("service", "fleetcast-operator-metrics")):
        assert cluster.exists(kind, "-n", NAMESPACE, name), f"{kind}/{name} not installed"
    for kind, name in (("clusterrole", "fleetcast-operator"), ("clusterrolebinding", "fleetcast-operator"),
                       ("crd", "gpupools.fleetcast.dev"), ("priorityclass", "fleetcast-placeholder")):
        assert cluster.exists(kind, name), f"{kind}/{name} not installed"
    # Helm 4 keeps the release in a Secret of type helm.sh/release.v1, written through client-go's typed clientset.
    assert cluster.kubectl("get", "secrets", "-n", NAMESPACE, "-l", f"owner=helm,name={RELEASE}", "-o", "jsonpath={.items[*].type}") == "helm.sh/release.v1"
    image = cluster.kubectl("get", "deployment", "-n", NAMESPACE, "fleetcast-operator", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
    assert image == "fleetcast:test", image

    # The operator as the chart's ServiceAccount: a token from the TokenRequest API, the chart's RBAC only.
    pool_file = os.path.join(directory, "pool.yaml")
    with open(pool_file, "w", encoding="utf-8") as handle:
        handle.write(POOL)
    cluster.kubectl("apply", "-f", pool_file)
    token = cluster.kubectl("create", "token", "fleetcast-operator", "-n", NAMESPACE)
    with open(cluster.kubeconfig, encoding="utf-8") as handle:
        kubeconfig = yaml.safe_load(handle)
    kubeconfig["users"] = [{"name": "fleetcast-operator", "user": {"token": token}}]
    kubeconfig["contexts"][0]["context"]["user"] = "fleetcast-operator"
    kubeconfig["contexts"][0]["context"]["namespace"] = NAMESPACE
    operator_kubeconfig = os.path.join(directory, "operator.kubeconfig")
    with open(os.open(operator_kubeconfig, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="utf-8") as handle:
        yaml.safe_dump(kubeconfig, handle)
    code, output = cluster.kubectl("delete", "pod", "train-0", "-n", "gpu", check=False, kubeconfig=operator_kubeconfig)
    assert code != 0 and "forbidden" in output, f"the ServiceAccount may delete pods: {output}"
    # A scraper allowed by the chart's metrics-reader ClusterRole (installed unbound, as kubebuilder's is).
    cluster.kubectl("create", "serviceaccount", "scraper", "-n", NAMESPACE)
    cluster.kubectl("create", "clusterrolebinding", "scraper-reads-fleetcast", "--clusterrole=fleetcast-metrics-reader",
                    f"--serviceaccount={NAMESPACE}:scraper")
    scraper_token = cluster.kubectl("create", "token", "scraper", "-n", NAMESPACE)
    chart_args = json.loads(cluster.kubectl("get", "deployment", "-n", NAMESPACE, "fleetcast-operator", "-o",
                                            "jsonpath={.spec.template.spec.containers[0].args}"))
    assert "--metrics-secure" in chart_args, chart_args
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        metrics_port = probe.getsockname()[1]

    def scrape(token):
        command = ["curl", "-sS", "-k", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", f"https://127.0.0.1:{metrics_port}/metrics"]
        result = subprocess.run(command + (["-H", f"Authorization: Bearer {token}"] if token else []), capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else None

    with open(os.path.join(directory, "operator.log"), "w+", encoding="utf-8") as log:
        operator = subprocess.Popen(
            [binary, "operator", "--kubeconfig", operator_kubeconfig, "--leader-elect", "--leader-election-namespace", NAMESPACE,
             "--metrics-bind-address", f"127.0.0.1:{metrics_port}", "--metrics-secure", "--health-probe-bind-address", "0",
             "--sync-period-seconds", "1", "--log-format", "json"],
            cwd=directory, stdout=log, stderr=log)
        try:
            wait_for("the pool reconciled by the operator as the chart's ServiceAccount",
                     lambda: cluster.kubectl("get", "gpupool", "a100", "-n", "gpu", "-o", "jsonpath={.status.nodes.desired}") == "2"
                     and cluster.kubectl("get", "md", "a100", "-n", "gpu", "-o", "jsonpath={.spec.replicas}") == "2", operator)
            holder = cluster.kubectl("get", "lease", "-n", NAMESPACE, "fleetcast-operator-leader", "-o", "jsonpath={.spec.holderIdentity}")
            assert holder, "the operator did not take the leader Lease"
            # The operator reviews each scrape with the chart's fleetcast-metrics-auth grants.
            assert scrape(scraper_token) == "200", "the metrics reader could not scrape the secure /metrics"
            assert scrape(None) == "401"
            assert scrape(token) == "403", "the operator's own ServiceAccount must not read metrics"
        finally:
            operator.terminate()
            status = operator.wait(timeout=60)
            log.seek(0)
            output = log.read()
        assert status == 0, f"operator exited {status}: {crash_report(output)}"
        assert "forbidden" not in output.lower(), f"the chart's RBAC refused the operator something: {output[-4000:]}"

    # Upgrade: new values applied, a disabled object removed, a second revision recorded.
    release = config.upgrade(CHART, RELEASE, {"image": {"tag": "test2"}, "replicas": 1, "podDisruptionBudget": {"enabled": False},
                                              "extraArgs": ["--sync-period-seconds=30"]}, timeout=60)
    assert release["status"] == "deployed" and release["revision"] == 2, release
    deployment = json.loads(cluster.kubectl("get", "deployment", "-n", NAMESPACE, "fleetcast-operator", "-o", "json"))
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "fleetcast:test2"
    assert "--sync-period-seconds=30" in deployment["spec"]["template"]["spec"]["containers"][0]["args"]
    assert not cluster.exists("poddisruptionbudget", "-n", NAMESPACE, "fleetcast-operator"), "the upgrade left the disabled PDB"
    assert [r["revision"] for r in config.history(RELEASE)] == [1, 2]

    # Uninstall: everything goes but the CRD (resource-policy keep), so pools survive.
    config.uninstall(RELEASE, timeout=60)
    for kind, name in (("deployment", "fleetcast-operator"), ("serviceaccount", "fleetcast-operator"), ("role", "fleetcast-leader-election")):
        assert not cluster.exists(kind, "-n", NAMESPACE, name), f"{kind}/{name} left after uninstall"
    for kind, name in (("clusterrole", "fleetcast-operator"), ("clusterrolebinding", "fleetcast-operator"), ("priorityclass", "fleetcast-placeholder")):
        assert not cluster.exists(kind, name), f"{kind}/{name} left after uninstall"
    assert cluster.exists("crd", "gpupools.fleetcast.dev"), "the CRD was removed despite helm.sh/resource-policy: keep"
    assert cluster.exists("gpupool", "-n", "gpu", "a100")
    assert config.list(all_states=True) == [], "the release is still listed"
    assert cluster.kubectl("get", "secrets", "-n", NAMESPACE, "-l", "owner=helm", "-o", "name") == ""


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[0])
    # Helm logs through Python: warnings and errors only (not its INFO line for each followed symlink).
    logging.basicConfig(level=logging.WARNING, format="helm: %(message)s")
    helm.enable_logging(logging.WARNING)
    tests = [test_lint, test_value_sets, test_schema_refuses_bad_values, test_rbac_is_deploy_rbac,
             lambda: test_install_run_upgrade_uninstall(binary)]
    names = ["lint", "value sets", "schema refuses bad values", "RBAC is deploy/rbac", "install, operator, upgrade, uninstall"]
    passed = failed = 0
    for name, test in zip(names, tests):
        started = time.monotonic()
        try:
            test()
            passed += 1
            print(f"ok   helm chart: {name} ({time.monotonic() - started:.1f} s)")
        except Exception:
            failed += 1
            print(f"FAIL helm chart: {name}\n{traceback.format_exc()}")
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
