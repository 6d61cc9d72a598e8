#!/usr/bin/env python3
"""Captures the protobuf request bodies the real kubectl sends for the imperative `create` family
and writes them as golden fixtures (issue #14), each beside the JSON of the same object.

    python3 hack/protobuf/capture-kubectl-bodies.py --kubeconfig KUBECONFIG [--kubectl kubectl]

Run it against `fleetcast dev-cluster` (see docs/virtual-cluster.md). For every case it runs
`kubectl create … -v=9`, whose log prints the request body as a hex dump, and keeps the bytes as
Tests/VirtualClusterTests/Fixtures/protobuf/<case>.pb; then `kubectl create … --dry-run=client
-o json`, which prints the same typed object through Go's encoding/json, as <case>.json. That JSON
is what the real API server decodes from the protobuf body (and from kubectl 1.31's JSON body), so
the golden test checks the decoder against Go itself rather than against our own writer.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(ROOT, "Tests", "VirtualClusterTests", "Fixtures", "protobuf")

# (fixture name, namespace or None, kubectl create arguments)
CASES = [
    ("namespace", None, ["namespace", "team-a"]),
    ("configmap", "default", ["configmap", "settings", "--from-literal=mode=fast", "--from-literal=empty="]),
    ("secret-generic", "default", ["secret", "generic", "token", "--from-literal=key=s3cr3t", "--type=Opaque"]),
    ("secret-docker-registry", "default", ["secret", "docker-registry", "pull", "--docker-server=registry.local",
                                           "--docker-username=ci", "--docker-password=pw"]),
    ("deployment", "default", ["deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=8080"]),
    ("job", "default", ["job", "once", "--image=busybox", "--", "echo", "hi"]),
    ("cronjob", "default", ["cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *", "--restart=OnFailure"]),
    ("serviceaccount", "default", ["serviceaccount", "builder"]),
    ("role", "default", ["role", "reader", "--verb=get,list,watch", "--resource=pods,configmaps"]),
    ("rolebinding", "default", ["rolebinding", "reader-binding", "--role=reader", "--serviceaccount=default:builder",
                                "--user=alice"]),
    ("clusterrole", None, ["clusterrole", "node-reader", "--verb=get", "--resource=nodes"]),
    ("clusterrolebinding", None, ["clusterrolebinding", "node-reader-binding", "--clusterrole=node-reader",
                                  "--group=ops"]),
    ("priorityclass", None, ["priorityclass", "gpu-batch", "--value=0", "--description=batch GPU work",
                             "--preemption-policy=Never"]),
]

HEX_LINE = re.compile(r"^\s*[0-9a-f]{8}\s+((?:[0-9a-f]{2}\s+){1,16})")


def request_body(log):
    """The bytes of the first request body in a `-v=9` log (client-go prints a hex dump)."""
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if '"Request Body"' in line and "body=<" in line:
            data = bytearray()
            for dump in lines[index + 1:]:
                match = HEX_LINE.match(dump)
                if not match:
                    break
                data.extend(bytes.fromhex(match.group(1).replace(" ", "")))
            return bytes(data)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--kubectl", default="kubectl")
    parser.add_argument("--output", default=OUTPUT)
    arguments = parser.parse_args()
    os.makedirs(arguments.output, exist_ok=True)
    base = [arguments.kubectl, "--kubeconfig", arguments.kubeconfig]
    failed = 0
    for name, namespace, create in CASES:
        scope = ["-n", namespace] if namespace else []
        logged = subprocess.run(base + scope + ["create", "-v=9"] + create, capture_output=True, text=True)
        body = request_body(logged.stderr)
        if body is None or not body.startswith(b"k8s\x00"):
            print(f"{name}: no protobuf request body in the -v=9 log (exit {logged.returncode})", file=sys.stderr)
            failed += 1
            continue
        printed = subprocess.run(base + scope + ["create", "--dry-run=client", "-o", "json"] + create,
                                 capture_output=True, text=True)
        if printed.returncode != 0:
            print(f"{name}: --dry-run=client -o json failed: {printed.stderr}", file=sys.stderr)
            failed += 1
            continue
        expected = json.loads(printed.stdout)
        with open(os.path.join(arguments.output, name + ".pb"), "wb") as handle:
            handle.write(body)
        with open(os.path.join(arguments.output, name + ".json"), "w", encoding="utf-8") as handle:
            json.dump(expected, handle, indent=2, sort_keys=True)
            handle.write("\n")
        status = "created" if logged.returncode == 0 else f"not created (exit {logged.returncode})"
        print(f"{name}: {len(body)} bytes, {status}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
