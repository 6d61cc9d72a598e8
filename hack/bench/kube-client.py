"""List+decode of 10,000 pods with the official Python Kubernetes client (driven by kube-client.sh)."""
import sys
import time

from kubernetes import client, config

config.load_kube_config(config_file=sys.argv[1])
api = client.CoreV1Api()
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
times = []
for _ in range(runs):
    start = time.perf_counter()
    pods = api.list_namespaced_pod("default")
    times.append(time.perf_counter() - start)
    if len(pods.items) != 10000:
        sys.exit(f"listed {len(pods.items)} pods")
times.sort()
print(f"python_list_median_s {times[len(times) // 2]:.4f}")
print(f"python_list_fastest_s {times[0]:.4f}")
