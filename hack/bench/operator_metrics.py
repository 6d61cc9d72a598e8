"""Helpers for hack/bench/operator.sh: generate the scale manifests, and summarise /metrics scrapes.
(Not named operator.py: scripts run from hack/bench would import it instead of the standard library's operator module.)

  operator_metrics.py generate DIR POOLS NODES PODS   write DIR/zz-objects.yaml (after the CRDs: files load in name order) (namespaces, targets, pools, nodes, pods)
  operator_metrics.py summary BEFORE AFTER SECONDS    reconcile p50/p99 and API requests/min from two scrapes
"""
import datetime
import json
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def generate(directory, pools, nodes, pods):
    """Pools of equal size; nodes Ready with 8 GPUs; 40% of pods request one GPU, every pod is bound and
    Running, so the GPU pods fill their pool's nodes exactly."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    node_names = [[f"gpu-node-{n:04d}" for n in range(nodes) if n % pools == p] for p in range(pools)]
    docs = []
    for p in range(pools):
        ns, name = f"team-{p}", f"pool-{p}"
        docs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        docs.append({"apiVersion": "cluster.x-k8s.io/v1beta2", "kind": "MachineDeployment",
                     "metadata": {"name": name, "namespace": ns},
                     "spec": {"clusterName": "bench", "replicas": nodes // pools}})
        docs.append({"apiVersion": "fleetcast.dev/v1alpha1", "kind": "GPUPool", "metadata": {"name": name, "namespace": ns},
                     "spec": {"nodes": {"selector": {"matchLabels": {"fleetcast.dev/pool": name}}, "gpusPerNode": 8,
                                        "min": 1, "max": 2 * nodes // pools, "hourlyCost": 32.77},
                              "target": {"apiVersion": "cluster.x-k8s.io/v1beta2", "kind": "MachineDeployment", "name": name},
                              "demand": {"pods": {"selector": {"matchLabels": {"app": name}}}},
                              "schedules": [{"name": "nightly", "cron": "0 2 * * *", "duration": "3h", "gpus": 64}]}})
    for n in range(nodes):
        pool = n % pools
        docs.append({"apiVersion": "v1", "kind": "Node",
                     "metadata": {"name": f"gpu-node-{n:04d}",
                                  "labels": {"fleetcast.dev/pool": f"pool-{pool}", "kubernetes.io/hostname": f"gpu-node-{n:04d}",
                                             "node.kubernetes.io/instance-type": "p4d.24xlarge"}},
                     "spec": {"providerID": f"bench:///gpu-node-{n:04d}"},
                     "status": {"allocatable": {"nvidia.com/gpu": "8", "cpu": "96", "memory": "1152Gi"},
                                "capacity": {"nvidia.com/gpu": "8", "cpu": "96", "memory": "1152Gi"},
                                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                                "lastTransitionTime": now, "lastHeartbeatTime": now}]}})
    for i in range(pods):
        pool = i % pools
        index = i // pools
        gpus = "1" if index % 5 < 2 else "0"
        names = node_names[pool]
        node = names[index % len(names)] if names else None
        docs.append({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": f"worker-{i:05d}", "namespace": f"team-{pool}",
                                  "labels": {"app": f"pool-{pool}", "pod-template-hash": "7d9f8c6b5"}},
                     "spec": {"nodeName": node,
                              "containers": [{"name": "model", "image": "registry.example.com/serving/llm:2026.11",
                                              "resources": {"requests": {"nvidia.com/gpu": gpus, "cpu": "4", "memory": "32Gi"},
                                                            "limits": {"nvidia.com/gpu": gpus}}}]},
                     "status": {"phase": "Running", "startTime": now}})
    with open(f"{directory}/zz-objects.yaml", "w") as out:
        out.write("\n---\n".join(json.dumps(doc) for doc in docs))
        out.write("\n")


def parse(path):
    """(name, frozenset(labels)) -> value for every sample of a text exposition."""
    series = {}
    with open(path) as text:
        for line in text:
            if line.startswith("#") or not line.strip():
                continue
            match = SAMPLE.match(line.strip())
            if match:
                labels = frozenset(LABEL.findall(match.group(2) or ""))
                series[(match.group(1), labels)] = float(match.group(3))
    return series


def quantile(q, buckets):
    """Prometheus' histogram_quantile: linear interpolation inside the bucket holding rank q*count."""
    buckets = sorted(buckets)
    total = buckets[-1][1]
    if total <= 0:
        return float("nan")
    rank, previous_bound, previous_count = q * total, 0.0, 0.0
    for bound, count in buckets:
        if count >= rank:
            if bound == float("inf"):
                return previous_bound
            return previous_bound + (bound - previous_bound) * (rank - previous_count) / max(count - previous_count, 1e-12)
        previous_bound, previous_count = bound, count
    return previous_bound


def histogram(series, name, base=None):
    buckets = {}
    for (metric, labels), value in series.items():
        if metric == name + "_bucket":
            bound = float(dict(labels)["le"].replace("+Inf", "inf"))
            buckets[bound] = buckets.get(bound, 0.0) + value - (base.get((metric, labels), 0.0) if base else 0.0)
    return list(buckets.items())


def summary(before_path, after_path, seconds):
    before, after = parse(before_path), parse(after_path)
    minutes = float(seconds) / 60
    all_runs = histogram(after, "fleetcast_reconcile_duration_seconds")
    steady = histogram(after, "fleetcast_reconcile_duration_seconds", before)
    count = lambda buckets: max(buckets)[1] if buckets else 0
    print(f"reconciles_total {count(all_runs):.0f}")
    print(f"reconcile_p50_ms {quantile(0.5, all_runs) * 1000:.2f}")
    print(f"reconcile_p99_ms {quantile(0.99, all_runs) * 1000:.2f}")
    print(f"steady_reconciles {count(steady):.0f}")
    print(f"steady_reconcile_p50_ms {quantile(0.5, steady) * 1000:.2f}")
    print(f"steady_reconcile_p99_ms {quantile(0.99, steady) * 1000:.2f}")
    within = [count for bound, count in steady if abs(bound - 0.02) < 1e-9]
    print(f"steady_reconciles_over_20ms {count(steady) - within[0]:.0f}" if within else "steady_reconciles_over_20ms nan")
    by_verb, total = {}, 0.0
    for (metric, labels), value in after.items():
        if metric == "fleetcast_kube_api_request_duration_seconds_count":
            delta = value - before.get((metric, labels), 0.0)
            key = f"{dict(labels)['verb']} {dict(labels)['code']}"
            by_verb[key] = by_verb.get(key, 0.0) + delta
            total += delta
        if metric == "fleetcast_kube_api_watch_streams_total":
            delta = value - before.get((metric, labels), 0.0)
            by_verb["WATCH " + dict(labels)["code"]] = by_verb.get("WATCH " + dict(labels)["code"], 0.0) + delta
            total += delta
    print(f"api_requests_per_minute {total / minutes:.1f}")
    for key in sorted(by_verb):
        print(f"api_requests_per_minute_{key.replace(' ', '_')} {by_verb[key] / minutes:.1f}")
    per_reconcile = total / count(steady) if count(steady) else float("nan")
    print(f"api_requests_per_steady_reconcile {per_reconcile:.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1] == "summary":
        summary(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
