#!/usr/bin/env python3
"""Checks the manifests in deploy/ as `kubectl apply -k deploy/` would see them.

No API server runs here, so `kubectl apply --dry-run` cannot be used; instead the real kubectl
renders the kustomization offline (`kubectl kustomize`), and this script checks what it renders:
well-formed objects, references that resolve (bindings, service accounts, namespaces, probe and
service ports), least-privilege RBAC that still grants everything the operator needs, and the
Deployment's security and lifecycle settings. `--self-test` breaks the rendered objects in known
ways and fails unless every break is caught.

It also checks that the Dockerfile beside DIR and `make image` (both described by hack/image/image.env)
agree: a FROM scratch runtime of the root filesystem hack/image/assemble-rootfs.sh assembles, the same
user (the Deployment's runAsUser), ports, entrypoint, command and files, and an image built under
.build/image/oci carries that config; and
with --chart CHART that the Helm chart renders (with Helm 4's library from .build/helm-venv, see
hack/install-deps.sh) objects that pass the same checks and grant exactly the RBAC that DIR grants.
It runs checkov (PyPI, installed by hack/install-checkov.sh into .build/checkov-venv) over the rendered
manifests: every finding fails the check unless its check ID is in CHECKOV_SKIPS with the reason it
does not apply. `--self-test` also makes sure checkov still finds a privileged container.

DIR/management-cluster/, when present, is the example for the Cluster API management cluster of an
operator run with --target-kubeconfig: it must grant its ServiceAccount what the operator does to
targets and Machines there, through bindings that resolve, and nothing else (no workload-cluster
resources, nothing outside cluster.x-k8s.io).

Usage: python3 hack/check-deploy.py [--self-test] [--chart CHART] [DIR]     (DIR defaults to deploy/)
Exit codes: 0 all checks pass, 1 a check failed, 2 kubectl, checkov or the YAML could not be run or read.
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

import yaml

CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "CustomResourceDefinition"}
OPERATOR_NAMESPACE = "fleetcast-system"
LEASE_NAME = "fleetcast-operator-leader"

# What the operator does (issue #8), as (apiGroup, resource, verb); each must be granted.
REQUIRED_CLUSTER = {
    ("fleetcast.dev", "gpupools", v) for v in ("get", "list", "watch")
} | {
    ("fleetcast.dev", "gpupools/status", v) for v in ("update", "patch")
} | {
    ("", r, v) for r in ("pods", "nodes", "namespaces") for v in ("get", "list", "watch")
} | {
    # Schedule discovery: CronJobs and the Jobs they created (issue #21).
    ("batch", r, v) for r in ("cronjobs", "jobs") for v in ("get", "list", "watch")
} | {
    # Beside cluster-autoscaler: read its node-group annotations, write min-size (MinimumSize).
    ("cluster.x-k8s.io", "machinedeployments", "get"), ("cluster.x-k8s.io", "machinedeployments", "patch"),
} | {
    # Cluster API scale-down: cordon the chosen idle nodes, annotate their Machines delete-machine.
    ("", "nodes", "patch"), ("cluster.x-k8s.io", "machines", "get"), ("cluster.x-k8s.io", "machines", "patch"),
} | {
    (g, "events", v) for g in ("", "events.k8s.io") for v in ("create", "patch")
} | {
    # Image pre-pull (spec.warmPool.prePull): each pool's DaemonSet, in the pool's namespace, read by name.
    ("apps", "daemonsets", v) for v in ("get", "create", "update", "delete")
} | {
    (g, f"{r}/scale", v)
    for g, r in (("cluster.x-k8s.io", "machinedeployments"), ("apps", "deployments"), ("autoscaling.x-k8s.io", "capacitybuffers"))
    for v in ("get", "update", "patch")
}
# What the operator does in a Cluster API management cluster (--target-kubeconfig): targets and Machines only.
REQUIRED_MANAGEMENT = {
    ("cluster.x-k8s.io", "machinedeployments", v) for v in ("get", "patch")
} | {
    ("cluster.x-k8s.io", "machinedeployments/scale", v) for v in ("get", "update", "patch")
} | {
    ("cluster.x-k8s.io", "machines", v) for v in ("get", "patch")
}
MANAGEMENT_SUBJECT = ("fleetcast-system", "fleetcast-operator")
# In the operator's own namespace only: the leader-election Lease and the history ConfigMaps (a
# deleted pool's history is deleted by the operator: no owner reference can cross namespaces).
REQUIRED_NAMESPACED = {("coordination.k8s.io", "leases", v) for v in ("get", "create", "update")} | {
    ("", "configmaps", v) for v in ("get", "create", "patch", "delete")
}
# Never granted cluster-wide: every ConfigMap in the cluster (kube-system's included) is not the
# operator's business, and leases belong to its namespace.
NAMESPACE_ONLY_RESOURCES = {"configmaps", "leases"}
# --metrics-secure: each scrape is reviewed by the API server (kubebuilder's metrics_auth_role).
REQUIRED_SECURE_METRICS = {("authentication.k8s.io", "tokenreviews", "create"), ("authorization.k8s.io", "subjectaccessreviews", "create")}
# The ClusterRole scrapers are bound to (kubebuilder's metrics_reader_role): get on /metrics and nothing else.
METRICS_READER = "fleetcast-metrics-reader"
# Never needed by the operator: reading secrets, deleting anything but its own history and pre-pull
# DaemonSets, or RBAC escalation.
FORBIDDEN_VERBS = {"delete", "deletecollection", "escalate", "bind", "impersonate", "*"}
FORBIDDEN_RESOURCES = {"secrets", "*"}
# The deletes the operator needs: its history ConfigMaps, in a Role of its own namespace; and the
# pools' pre-pull DaemonSets, which live in the pools' namespaces (so the ClusterRole grants it).
ALLOWED_NAMESPACED_DELETES = {("", "configmaps")}
ALLOWED_CLUSTER_DELETES = {("apps", "daemonsets")}


def render(directory):
    try:
        out = subprocess.run(["kubectl", "kustomize", directory], check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        sys.exit("check-deploy: kubectl not found on PATH")
    except subprocess.CalledProcessError as error:
        print(error.stderr, file=sys.stderr)
        sys.exit(2)
    return [doc for doc in yaml.safe_load_all(out) if doc is not None]


CHECKOV = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "checkov-venv", "bin", "checkov")

# checkov's Kubernetes checks that do not apply to this deployment, each with the reason. Everything
# else checkov reports fails `make test`.
CHECKOV_SKIPS = {
    # CPU limits throttle a process by CFS quota even when the node is idle, which stretches a reconcile
    # or a lease renewal for no one's benefit; the pod requests CPU and limits memory (the resource a
    # runaway would exhaust), the usual practice for controllers.
    "CKV_K8S_11": "no CPU limit on purpose: throttling would delay lease renewals; memory is limited",
    # Tags are set per release with `kustomize edit set image`; Always would make every restart depend
    # on the registry being reachable, and IfNotPresent is safe with immutable release tags or digests.
    "CKV_K8S_15": "imagePullPolicy IfNotPresent with release tags set by kustomize",
    # The operator is a Kubernetes client: its ServiceAccount token is exactly what it needs mounted.
    "CKV_K8S_38": "the operator talks to the API server with its ServiceAccount token",
    # A digest exists only once the image is built and pushed; `kustomize edit set image
    # fleetcast=REGISTRY/fleetcast@sha256:...` pins it at install time (README, Deploying).
    "CKV_K8S_43": "the image digest is pinned at install time with kustomize edit set image",
}


def run_checkov(objects):
    """checkov over the rendered objects; returns (problems, ran)."""
    if not os.path.exists(CHECKOV):
        sys.exit(f"check-deploy: {CHECKOV} not found: run hack/install-checkov.sh (make deps does)")
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "rendered.yaml")
        with open(path, "w", encoding="utf-8") as out:
            yaml.safe_dump_all(objects, out, sort_keys=False)
        command = [CHECKOV, "--file", path, "--framework", "kubernetes", "--output", "json", "--quiet", "--compact",
                   "--skip-download"]
        if CHECKOV_SKIPS:
            command += ["--skip-check", ",".join(sorted(CHECKOV_SKIPS))]
        env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
        result = subprocess.run(command, capture_output=True, text=True, env=env)
    try:
        report = json.loads(result.stdout) if result.stdout.strip() else {}
    except json.JSONDecodeError:
        print(result.stdout + result.stderr, file=sys.stderr)
        sys.exit(2)
    reports = report if isinstance(report, list) else [report]
    problems = []
    for entry in reports:
        for failed in (entry.get("results") or {}).get("failed_checks") or []:
            problems.append(f"checkov {failed.get('check_id')}: {failed.get('check_name')} ({failed.get('resource')})")
    if result.returncode not in (0, 1):
        print(result.stderr, file=sys.stderr)
        sys.exit(2)
    return sorted(set(problems))


HELM_PYTHON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "helm-venv", "bin", "python")
RENDER_CHART = """
import json, sys, helm_python as helm
chart = helm.Chart.load(sys.argv[1])
print(json.dumps(chart.render(None, name="fleetcast", namespace=sys.argv[2], is_install=True)))
"""


def render_chart(chart):
    """The chart's objects with default values, as `helm template fleetcast CHART -n fleetcast-system` prints them."""
    if not os.path.exists(HELM_PYTHON):
        sys.exit(f"check-deploy: {HELM_PYTHON} is missing: run hack/install-deps.sh (it installs helm-python-sdk there)")
    try:
        out = subprocess.run([HELM_PYTHON, "-c", RENDER_CHART, chart, OPERATOR_NAMESPACE], check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as error:
        print(error.stderr, file=sys.stderr)
        sys.exit(2)
    manifests = json.loads(out)
    return [doc for path in sorted(manifests) if not path.endswith(".txt") for doc in yaml.safe_load_all(manifests[path]) if doc]


def check_chart(objects, chart_objects):
    """The chart passes the same checks as DIR (its namespace comes from `helm install --create-namespace`)
    and its RBAC grants the same, no more and no less."""
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": OPERATOR_NAMESPACE}}
    problems = [f"chart: {problem}" for problem in check(chart_objects + [namespace])]
    ours, theirs = rbac_grants(objects) | role_rules(objects), rbac_grants(chart_objects) | role_rules(chart_objects)
    for grant in sorted(theirs - ours):
        problems.append(f"chart: grants {grant} that deploy/ does not")
    for grant in sorted(ours - theirs):
        problems.append(f"chart: does not grant {grant} that deploy/ grants")
    return problems


def where(obj):
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{obj.get('kind')}/{(ns + '/') if ns else ''}{meta.get('name')}"


def grants(rules):
    for rule in rules or []:
        for group in rule.get("apiGroups", []):
            for resource in rule.get("resources", []):
                for verb in rule.get("verbs", []):
                    yield group, resource, verb


def rbac_grants(objects):
    """What the RBAC objects grant to ServiceAccounts, independent of where they are installed: one entry per
    (binding kind, role kind, role name, ServiceAccount name, apiGroup, resource, verb, resourceNames).
    The Helm chart renders deploy/rbac/ into the release namespace; this must not change what is granted."""
    roles = {(o["kind"], (o["metadata"].get("namespace") if o["kind"] == "Role" else None), o["metadata"]["name"]): o
             for o in objects if o.get("kind") in ("ClusterRole", "Role")}
    result = set()
    for binding in objects:
        if binding.get("kind") not in ("ClusterRoleBinding", "RoleBinding"):
            continue
        ref = binding.get("roleRef") or {}
        role = roles.get((ref.get("kind"), binding["metadata"].get("namespace") if ref.get("kind") == "Role" else None, ref.get("name")))
        for subject in binding.get("subjects") or []:
            if subject.get("kind") != "ServiceAccount":
                continue
            for rule in (role or {}).get("rules") or []:
                names = tuple(sorted(rule.get("resourceNames") or []))
                for group, resource, verb in grants([rule]):
                    result.add((binding["kind"], ref.get("kind"), ref.get("name"), subject.get("name"), group, resource, verb, names))
    return result


def role_rules(objects):
    """Every ClusterRole's rules, bound or not (the metrics reader is bound by the user), as comparable tuples."""
    result = set()
    for role in objects:
        if role.get("kind") != "ClusterRole":
            continue
        for rule in role.get("rules") or []:
            result.add(("ClusterRole", role["metadata"]["name"]) + tuple(
                (key, tuple(sorted(rule.get(key) or []))) for key in ("apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs")))
    return result


def check(objects):
    problems = []
    by_key = {}
    for obj in objects:
        meta = obj.get("metadata") or {}
        if not obj.get("apiVersion") or not obj.get("kind") or not meta.get("name"):
            problems.append(f"{where(obj)}: apiVersion, kind and metadata.name are required")
            continue
        namespaced = obj["kind"] not in CLUSTER_SCOPED
        if namespaced != bool(meta.get("namespace")):
            problems.append(f"{where(obj)}: metadata.namespace must be {'set' if namespaced else 'absent'}")
        key = (obj["kind"], meta.get("namespace"), meta["name"])
        if key in by_key:
            problems.append(f"{where(obj)}: defined twice")
        by_key[key] = obj

    def find(kind, name, namespace=None):
        return by_key.get((kind, namespace, name))

    namespaces = {name for (kind, _, name) in by_key if kind == "Namespace"}
    for (kind, ns, name), obj in by_key.items():
        if ns and ns not in namespaces:
            problems.append(f"{where(obj)}: namespace {ns} is not created by deploy/")

    # RBAC: bindings resolve, no forbidden grants, required grants present where they belong.
    cluster_grants, namespaced_grants = set(), set()
    for (kind, ns, name), obj in by_key.items():
        if kind in ("ClusterRole", "Role"):
            for group, resource, verb in grants(obj.get("rules")):
                allowed_delete = verb == "delete" and (
                    (kind == "Role" and ns == OPERATOR_NAMESPACE and (group, resource) in ALLOWED_NAMESPACED_DELETES)
                    or (kind == "ClusterRole" and (group, resource) in ALLOWED_CLUSTER_DELETES))
                if (verb in FORBIDDEN_VERBS and not allowed_delete) or resource in FORBIDDEN_RESOURCES or group == "*":
                    problems.append(f"{where(obj)}: grants {verb} on {group or 'core'}/{resource}")
        if kind in ("ClusterRoleBinding", "RoleBinding"):
            ref = obj.get("roleRef") or {}
            role = find(ref.get("kind"), ref.get("name"), ns if ref.get("kind") == "Role" else None)
            if role is None:
                problems.append(f"{where(obj)}: roleRef {ref.get('kind')}/{ref.get('name')} is not defined")
                continue
            for subject in obj.get("subjects") or []:
                if subject.get("kind") == "ServiceAccount" and not find("ServiceAccount", subject.get("name"), subject.get("namespace")):
                    problems.append(f"{where(obj)}: subject ServiceAccount {subject.get('namespace')}/{subject.get('name')} is not defined")
            granted = set(grants(role.get("rules")))
            if kind == "ClusterRoleBinding":
                cluster_grants |= granted
            elif ns == OPERATOR_NAMESPACE:
                namespaced_grants |= granted
    for group, resource, verb in sorted(REQUIRED_CLUSTER - cluster_grants):
        problems.append(f"RBAC: the operator needs {verb} on {group or 'core'}/{resource} cluster-wide")
    for group, resource, verb in sorted(REQUIRED_NAMESPACED - namespaced_grants):
        problems.append(f"RBAC: the operator needs {verb} on {group or 'core'}/{resource} in {OPERATOR_NAMESPACE}")
    for group, resource, verb in sorted(cluster_grants):
        if resource in NAMESPACE_ONLY_RESOURCES:
            problems.append(f"RBAC: {resource} must be granted only in {OPERATOR_NAMESPACE}, not cluster-wide ({verb})")
    deployment_args = next((c.get("args") or [] for o in objects if o.get("kind") == "Deployment"
                            for c in o["spec"]["template"]["spec"].get("containers") or []), [])
    if "--metrics-secure" in deployment_args:
        for group, resource, verb in sorted(REQUIRED_SECURE_METRICS - cluster_grants):
            problems.append(f"RBAC: --metrics-secure needs {verb} on {group}/{resource} cluster-wide")
    reader = find("ClusterRole", METRICS_READER)
    if reader is None:
        problems.append(f"ClusterRole/{METRICS_READER} is missing: scrapers of the secure /metrics need it")
    elif [(sorted(r.get("nonResourceURLs") or []), sorted(r.get("verbs") or []), r.get("resources")) for r in reader.get("rules") or []] \
            != [(["/metrics"], ["get"], None)]:
        problems.append(f"ClusterRole/{METRICS_READER}: must grant exactly get on the non-resource URL /metrics")
    for (kind, ns, name), obj in by_key.items():
        if kind in ("ClusterRoleBinding", "RoleBinding") and (obj.get("roleRef") or {}).get("name") == METRICS_READER \
                and any(s.get("kind") == "ServiceAccount" and s.get("name") == "fleetcast-operator" for s in obj.get("subjects") or []):
            problems.append(f"{where(obj)}: the operator itself must not be a metrics reader")

    # The operator's own resource: the CRD must serve what the RBAC grants, with a status subresource.
    for (kind, _, name), crd in by_key.items():
        if kind != "CustomResourceDefinition":
            continue
        spec = crd.get("spec") or {}
        plural = (spec.get("names") or {}).get("plural")
        if (spec.get("group"), plural, "watch") not in cluster_grants:
            problems.append(f"{where(crd)}: the operator is not granted watch on {spec.get('group')}/{plural}")
        if not any((version.get("subresources") or {}).get("status") is not None for version in spec.get("versions") or []):
            problems.append(f"{where(crd)}: no version has a status subresource, but the operator writes {plural}/status")

    deployment = find("Deployment", "fleetcast-operator", OPERATOR_NAMESPACE)
    if deployment is None:
        problems.append(f"Deployment/{OPERATOR_NAMESPACE}/fleetcast-operator is missing")
    else:
        problems += check_deployment(deployment, find)

    placeholder = find("PriorityClass", "fleetcast-placeholder")
    if placeholder is None:
        problems.append("PriorityClass/fleetcast-placeholder is missing")
    else:
        if not isinstance(placeholder.get("value"), int) or placeholder["value"] >= 0:
            problems.append("PriorityClass/fleetcast-placeholder: value must be negative so any workload preempts placeholders")
        if placeholder.get("globalDefault"):
            problems.append("PriorityClass/fleetcast-placeholder: must not be the global default")
    return problems


def check_management(objects):
    """The management-cluster example: bindings resolve, the operator's ServiceAccount is granted
    REQUIRED_MANAGEMENT, and no role grants anything outside cluster.x-k8s.io or a forbidden verb."""
    problems = []
    by_key = {(o.get("kind"), (o.get("metadata") or {}).get("namespace"), (o.get("metadata") or {}).get("name")): o for o in objects}
    granted = set()
    for (kind, ns, name), obj in by_key.items():
        if kind in ("ClusterRole", "Role"):
            for group, resource, verb in grants(obj.get("rules")):
                if verb in FORBIDDEN_VERBS or resource in FORBIDDEN_RESOURCES or group == "*":
                    problems.append(f"management-cluster: {where(obj)}: grants {verb} on {group or 'core'}/{resource}")
                elif group != "cluster.x-k8s.io":
                    problems.append(f"management-cluster: {where(obj)}: grants {verb} on {group or 'core'}/{resource}, "
                                    "which the operator reads and writes in the workload cluster only")
        if kind in ("ClusterRoleBinding", "RoleBinding"):
            ref = obj.get("roleRef") or {}
            role = by_key.get((ref.get("kind"), ns if ref.get("kind") == "Role" else None, ref.get("name")))
            if role is None:
                problems.append(f"management-cluster: {where(obj)}: roleRef {ref.get('kind')}/{ref.get('name')} is not defined")
                continue
            for subject in obj.get("subjects") or []:
                if subject.get("kind") != "ServiceAccount":
                    continue
                if ("ServiceAccount", subject.get("namespace"), subject.get("name")) not in by_key:
                    problems.append(f"management-cluster: {where(obj)}: subject ServiceAccount "
                                    f"{subject.get('namespace')}/{subject.get('name')} is not defined")
                elif (subject.get("namespace"), subject.get("name")) == MANAGEMENT_SUBJECT:
                    granted |= set(grants(role.get("rules")))
    for group, resource, verb in sorted(REQUIRED_MANAGEMENT - granted):
        problems.append(f"management-cluster: the operator needs {verb} on {group}/{resource} where its targets are")
    if ("ServiceAccount", *MANAGEMENT_SUBJECT) not in by_key:
        problems.append(f"management-cluster: ServiceAccount {'/'.join(MANAGEMENT_SUBJECT)} is missing")
    return problems


def management_mutations():
    """Known breakages of the management-cluster example, each of which check_management() must report."""
    def role(objs):
        return next(o for o in objs if o["kind"] == "ClusterRole")

    def binding(objs):
        return next(o for o in objs if o["kind"] in ("RoleBinding", "ClusterRoleBinding"))

    yield "management: workload resources", (lambda o: role(o)["rules"].append({"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}))
    yield "management: no Machine patch", (lambda o: role(o).update(rules=[r for r in role(o)["rules"] if "machines" not in r["resources"]]))
    yield "management: dangling binding", (lambda o: binding(o)["roleRef"].update(name="nope"))
    yield "management: another subject", (lambda o: binding(o)["subjects"][0].update(name="someone-else"))


def check_deployment(deployment, find):
    problems = []
    name = where(deployment)
    spec = deployment.get("spec") or {}
    template = spec.get("template") or {}
    pod = template.get("spec") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    if not selector or any(labels.get(k) != v for k, v in selector.items()):
        problems.append(f"{name}: spec.selector.matchLabels must match the pod template's labels")
    if not find("ServiceAccount", pod.get("serviceAccountName"), OPERATOR_NAMESPACE):
        problems.append(f"{name}: spec.template.spec.serviceAccountName must name a ServiceAccount in deploy/")
    grace = pod.get("terminationGracePeriodSeconds")
    if not isinstance(grace, int) or grace < 15:
        problems.append(f"{name}: terminationGracePeriodSeconds must leave time to drain and release the lease (>= 15)")
    if (pod.get("securityContext") or {}).get("runAsNonRoot") is not True:
        problems.append(f"{name}: spec.template.spec.securityContext.runAsNonRoot must be true")
    containers = pod.get("containers") or []
    if len(containers) != 1:
        problems.append(f"{name}: expected exactly one container")
        return problems
    container = containers[0]
    path = f"{name}: containers[{container.get('name')}]"
    security = container.get("securityContext") or {}
    if security.get("readOnlyRootFilesystem") is not True:
        problems.append(f"{path}.securityContext.readOnlyRootFilesystem must be true")
    if security.get("allowPrivilegeEscalation") is not False:
        problems.append(f"{path}.securityContext.allowPrivilegeEscalation must be false")
    if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
        problems.append(f"{path}.securityContext.capabilities.drop must contain ALL")
    args = container.get("args") or []
    if "--leader-elect" not in args and "--leader-elect=true" not in args:
        problems.append(f"{path}.args must enable --leader-elect")
    if "--metrics-secure" not in args:
        problems.append(f"{path}.args must enable --metrics-secure (HTTPS, scrapes reviewed by the API server)")
    # The binary binds probes and metrics to 127.0.0.1 unless told otherwise; the kubelet and
    # Prometheus reach the pod IP, so the Deployment must bind them on every interface.
    for flag, port_name in (("--health-probe-bind-address", "health"), ("--metrics-bind-address", "metrics")):
        value = next((a.split("=", 1)[1] for a in args if a.startswith(flag + "=")), None)
        if value is None or value.rsplit(":", 1)[0] not in ("", "0.0.0.0", "[::]"):
            problems.append(f"{path}.args must set {flag}=:PORT (the {port_name} port on every interface; the default is 127.0.0.1)")
    env = {e.get("name"): e for e in container.get("env") or []}
    if ((env.get("POD_NAMESPACE") or {}).get("valueFrom") or {}).get("fieldRef", {}).get("fieldPath") != "metadata.namespace":
        problems.append(f"{path}.env must set POD_NAMESPACE from the downward API (metadata.namespace): history ConfigMaps live there")
    resources = container.get("resources") or {}
    if not (resources.get("requests") or {}).get("memory") or not (resources.get("limits") or {}).get("memory"):
        problems.append(f"{path}.resources must request and limit memory")
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports") or []}
    for probe, expected in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
        http = (container.get(probe) or {}).get("httpGet") or {}
        if http.get("path") != expected:
            problems.append(f"{path}.{probe} must GET {expected}")
        if http.get("port") not in ports and http.get("port") not in ports.values():
            problems.append(f"{path}.{probe}.httpGet.port {http.get('port')!r} is not a container port")
    service = find("Service", "fleetcast-operator-metrics", OPERATOR_NAMESPACE)
    if service is not None:
        svc = service.get("spec") or {}
        if any(labels.get(k) != v for k, v in (svc.get("selector") or {}).items()):
            problems.append(f"{where(service)}: selector does not match the operator's pods")
        for port in svc.get("ports") or []:
            if port.get("targetPort") not in ports and port.get("targetPort") not in ports.values():
                problems.append(f"{where(service)}: targetPort {port.get('targetPort')!r} is not a container port")
    return problems


def image_description(path):
    """hack/image/image.env: the one description of the operator image that build-image.sh (umoci) reads."""
    values = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key] = value.strip('"')
    return values


def dockerfile_instructions(path):
    """(instruction, arguments) of the Dockerfile, continuation lines joined."""
    lines, current = [], ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            word, _, rest = current.strip().partition(" ")
            lines.append((word.upper(), rest.strip()))
            current = ""
    return lines


def check_dockerfile(objects, path, image=None):
    """The Dockerfile, `make image` (hack/image/image.env) and the Deployment agree on the base (an image of
    only the assembled root filesystem), the user, the ports, the entrypoint and command, and the files."""
    image_env = os.path.join(os.path.dirname(path), "hack", "image", "image.env")
    try:
        instructions = dockerfile_instructions(path)
        image = image if image is not None else image_description(image_env)
    except OSError as error:
        return [f"{error.filename}: {error.strerror}"]
    problems = []
    stages = [i for i, (word, _) in enumerate(instructions) if word == "FROM"]
    runtime = instructions[stages[-1]:] if stages else []
    build = instructions[:stages[-1]] if stages else []
    if not runtime or runtime[0][1] != "scratch":
        problems.append(f"{path}: the runtime stage must be FROM scratch, like make image (only the assembled root filesystem)")
    copies = [args for word, args in runtime if word == "COPY"]
    if copies != ["--from=build /rootfs /"]:
        problems.append(f"{path}: the runtime stage must copy exactly the assembled root filesystem (COPY --from=build /rootfs /), not {copies}")
    if not any(word == "RUN" and "hack/image/assemble-rootfs.sh" in args and "/rootfs" in args for word, args in build):
        problems.append(f"{path}: the build stage must assemble /rootfs with hack/image/assemble-rootfs.sh, as make image does")
    if not any(word == "RUN" and "apt-get install" in args and "tzdata" in args and "ca-certificates" in args for word, args in build):
        problems.append(f"{path}: the build stage must install tzdata and ca-certificates for assemble-rootfs.sh to copy")
    user = next((args for word, args in runtime if word == "USER"), None)
    if user != f"{image.get('IMAGE_USER')}:{image.get('IMAGE_GROUP')}":
        problems.append(f"{path}: USER {user} is not image.env's {image.get('IMAGE_USER')}:{image.get('IMAGE_GROUP')}")
    exposed = {int(port.split("/")[0]) for word, args in runtime if word == "EXPOSE" for port in args.split()}
    if exposed != {int(p) for p in image.get("IMAGE_PORTS", "").split()}:
        problems.append(f"{path}: EXPOSE {sorted(exposed)} is not image.env's IMAGE_PORTS {image.get('IMAGE_PORTS')}")
    entrypoint = next((json.loads(args) for word, args in runtime if word == "ENTRYPOINT"), None)
    command = next((json.loads(args) for word, args in runtime if word == "CMD"), None)
    if entrypoint != [image.get("IMAGE_ENTRYPOINT")] or command != [image.get("IMAGE_CMD")]:
        problems.append(f"{path}: ENTRYPOINT {entrypoint} CMD {command} are not image.env's {image.get('IMAGE_ENTRYPOINT')} {image.get('IMAGE_CMD')}")
    for required in ("/usr/share/zoneinfo", "/etc/ssl/certs/ca-certificates.crt", "/etc/passwd"):
        if required not in image.get("IMAGE_FILES", "").split():
            problems.append(f"{image_env}: IMAGE_FILES must list {required}")
    deployment = next((o for o in objects if o.get("kind") == "Deployment"), None)
    if deployment is None:
        return problems
    pod = deployment["spec"]["template"]["spec"]
    run_as = (pod.get("securityContext") or {}).get("runAsUser")
    if str(run_as) != image.get("IMAGE_USER"):
        problems.append(f"{path}: the image's user {image.get('IMAGE_USER')} must be the Deployment's runAsUser {run_as}")
    container = pod["containers"][0]
    for port in container.get("ports") or []:
        if port.get("containerPort") not in exposed:
            problems.append(f"{path}: the runtime stage does not EXPOSE container port {port.get('containerPort')}")
    if (container.get("args") or [None])[0] != image.get("IMAGE_CMD"):
        problems.append(f"{path}: the Deployment's first arg must be the image's command {image.get('IMAGE_CMD')}")
    return problems


def check_built_image(layout):
    """A built OCI layout (make image) carries image.env's user, entrypoint, command and ports."""
    index_path = os.path.join(layout, "index.json")
    if not os.path.exists(index_path):
        return []
    image = image_description(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(layout))), "hack", "image", "image.env"))

    def blob(digest):
        with open(os.path.join(layout, "blobs", *digest.split(":")), encoding="utf-8") as handle:
            return json.load(handle)
    problems = []
    with open(index_path, encoding="utf-8") as handle:
        for descriptor in json.load(handle).get("manifests", []):
            config = blob(blob(descriptor["digest"])["config"]["digest"]).get("config", {})
            expected = {"User": f"{image['IMAGE_USER']}:{image['IMAGE_GROUP']}", "Entrypoint": [image["IMAGE_ENTRYPOINT"]],
                        "Cmd": [image["IMAGE_CMD"]], "ExposedPorts": sorted(f"{p}/tcp" for p in image["IMAGE_PORTS"].split())}
            actual = {"User": config.get("User"), "Entrypoint": config.get("Entrypoint"), "Cmd": config.get("Cmd"),
                      "ExposedPorts": sorted(config.get("ExposedPorts") or {})}
            if actual != expected:
                problems.append(f"{layout}: the built image's config {actual} is not image.env's {expected}; run make image")
    return problems


def mutations():
    """Known breakages, each of which check() must report."""
    def container(objs):
        return next(o for o in objs if o["kind"] == "Deployment")["spec"]["template"]["spec"]["containers"][0]

    def cluster_role(objs):
        return next(o for o in objs if o["kind"] == "ClusterRole" and o["metadata"]["name"] == "fleetcast-operator")

    yield "writable root filesystem", (lambda o: container(o)["securityContext"].update(readOnlyRootFilesystem=False))
    yield "no leader election", (lambda o: container(o).update(args=[a for a in container(o)["args"] if a != "--leader-elect"]))
    yield "readiness on the wrong path", (lambda o: container(o)["readinessProbe"]["httpGet"].update(path="/healthz"))
    yield "wildcard verbs", (lambda o: cluster_role(o)["rules"].append({"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}))
    yield "secrets access", (lambda o: cluster_role(o)["rules"].append({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}))
    yield "missing scale rule", (lambda o: cluster_role(o).update(rules=[r for r in cluster_role(o)["rules"] if "machinedeployments/scale" not in r["resources"]]))
    yield "no namespace labels", (lambda o: cluster_role(o).update(rules=[r for r in cluster_role(o)["rules"] if "namespaces" not in r["resources"]]))
    yield "positive placeholder priority", (lambda o: next(x for x in o if x["kind"] == "PriorityClass").update(value=1000))
    yield "another user", (lambda o: next(x for x in o if x["kind"] == "Deployment")["spec"]["template"]["spec"]["securityContext"].update(runAsUser=1000))
    yield "CRD without status", (lambda o: [v.pop("subresources", None) for v in next(x for x in o if x["kind"] == "CustomResourceDefinition")["spec"]["versions"]])
    yield "plain-HTTP metrics", (lambda o: container(o).update(args=[a for a in container(o)["args"] if a != "--metrics-secure"]))
    yield "secure metrics without review RBAC", (lambda o: o.remove(next(x for x in o if x["kind"] == "ClusterRoleBinding"
                                                                              and x["metadata"]["name"] == "fleetcast-metrics-auth")))
    yield "metrics reader granting more", (lambda o: next(x for x in o if x["kind"] == "ClusterRole" and x["metadata"]["name"] == METRICS_READER)
                                           ["rules"].append({"nonResourceURLs": ["*"], "verbs": ["get"]}))
    yield "dangling binding", (lambda o: next(x for x in o if x["kind"] == "RoleBinding")["roleRef"].update(name="nope"))
    yield "cluster-wide configmaps", (lambda o: cluster_role(o)["rules"].append({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}))
    yield "cluster-wide delete", (lambda o: cluster_role(o)["rules"].append({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["delete"]}))
    yield "no history role", (lambda o: o.remove(next(x for x in o if x["kind"] == "Role" and x["metadata"]["name"] == "fleetcast-operator-history")))
    yield "no POD_NAMESPACE", (lambda o: container(o).update(env=[e for e in container(o)["env"] if e["name"] != "POD_NAMESPACE"]))
    yield "probes on every interface by default", (lambda o: container(o).update(args=[a for a in container(o)["args"] if not a.startswith("--health-probe-bind-address")]))


def main(argv):
    self_test = "--self-test" in argv
    args = [a for a in argv if a != "--self-test"]
    chart = None
    if "--chart" in args:
        index = args.index("--chart")
        chart = args[index + 1] if index + 1 < len(args) else sys.exit("check-deploy: --chart needs a chart directory")
        del args[index:index + 2]
    directory = args[0] if args else "deploy"
    objects = render(directory)
    dockerfile = os.path.join(os.path.dirname(os.path.abspath(directory)), "Dockerfile")
    problems = check(objects) + check_dockerfile(objects, dockerfile) + run_checkov(objects)
    problems += check_built_image(os.path.join(os.path.dirname(dockerfile), ".build", "image", "oci"))
    management_directory = os.path.join(directory, "management-cluster")
    management = render(management_directory) if os.path.isdir(management_directory) else None
    if management is not None:
        problems += check_management(management)
    if chart is not None:
        chart_objects = render_chart(chart)
        problems += check_chart(objects, chart_objects)
    for problem in problems:
        print(f"check-deploy: {problem}", file=sys.stderr)
    if problems:
        return 1
    if self_test:
        missed = []
        for label, mutate in mutations():
            broken = copy.deepcopy(objects)
            mutate(broken)
            if not check(broken) + check_dockerfile(broken, dockerfile):
                missed.append(label)
        image = image_description(os.path.join(os.path.dirname(dockerfile), "hack", "image", "image.env"))
        for label, change in (("image.env with another entrypoint", {"IMAGE_ENTRYPOINT": "/bin/fleetcast"}),
                              ("image.env with another port", {"IMAGE_PORTS": "8080 8081"}),
                              ("image.env without tzdata", {"IMAGE_FILES": "/etc/passwd"})):
            if not check_dockerfile(objects, dockerfile, dict(image, **change)):
                missed.append(label)
        for label, mutate in management_mutations() if management is not None else []:
            broken = copy.deepcopy(management)
            mutate(broken)
            if not check_management(broken):
                missed.append(label)
        # checkov must still see what a skip list could hide by mistake: a privileged container.
        broken = copy.deepcopy(objects)
        container = next(o for o in broken if o["kind"] == "Deployment")["spec"]["template"]["spec"]["containers"][0]
        container["securityContext"].update(privileged=True, allowPrivilegeEscalation=True)
        if not run_checkov(broken):
            missed.append("privileged container (checkov)")
        if missed:
            print(f"check-deploy: self-test: breakages not caught: {', '.join(missed)}", file=sys.stderr)
            return 1
        if chart is not None:
            broken = copy.deepcopy(chart_objects)
            next(o for o in broken if o["kind"] == "Role")["rules"][0]["verbs"].append("deletecollection")
            if not check_chart(objects, broken):
                print("check-deploy: self-test: a chart Role granting more than deploy/ was not caught", file=sys.stderr)
                return 1
        caught = sum(1 for _ in mutations()) + 1 + (sum(1 for _ in management_mutations()) if management is not None else 0)
        print(f"check-deploy: self-test: all {caught} breakages caught")
    print(f"check-deploy: {len(objects)} objects in {directory}/ OK")
    if management is not None:
        print(f"check-deploy: {len(management)} objects in {management_directory}/ OK")
    if chart is not None:
        print(f"check-deploy: {len(chart_objects)} objects rendered from {chart}/ OK, RBAC identical to {directory}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
