#!/usr/bin/env python3
"""Checks docs/architecture.md against the package: every target has a row, each row's "imports"
column is exactly the target's project dependencies in Package.swift, every `import` of a project
module in a target's sources is one of them, the pure modules import no I/O module, and the in-cluster
`fleetcast` executable reaches neither VirtualCluster nor VirtualInfrastructure nor swift-certificates or
swift-crypto, directly or transitively.

Usage: python3 hack/check-architecture.py [--self-test]   (run from the repository root; needs `swift`)
"""
import json
import os
import re
import subprocess
import sys

# The in-cluster binary links no developer tooling and no certificate library (issue #16): not even
# through another module. Project targets and package products alike.
LEAN = {"fleetcast": {"VirtualCluster", "VirtualInfrastructure", "X509", "Crypto", "_CryptoExtras"}}
PURE = {"Cron", "Sampling", "KubeAPI", "Forecasting", "Autoscaling", "Traces", "FleetcastAPI", "PoolPolicy"}
FORBIDDEN_IN_PURE = {"KubeClient", "CCurl", "Hummingbird", "HummingbirdCore", "HummingbirdTLS", "NIOCore", "NIOPosix", "NIOSSL"}


def package():
    out = subprocess.run(["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def dependencies(target):
    names = []
    for dep in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dep:
                names.append(dep[kind][0])
    return names


def products(target):
    """The package products a target depends on directly."""
    return [dep["product"][0] for dep in target.get("dependencies", []) if "product" in dep]


def closure(name, by_name):
    """Every project target `name` depends on, directly or through others."""
    seen, stack = set(), [name]
    while stack:
        for dep in dependencies(by_name[stack.pop()]):
            if dep in by_name and dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def path_to(start, goal, by_name):
    """One dependency chain from start to goal (breadth first), for the message."""
    previous, queue = {start: None}, [start]
    while queue:
        current = queue.pop(0)
        if current == goal:
            chain = []
            while current is not None:
                chain.append(current)
                current = previous[current]
            return list(reversed(chain))
        for dep in dependencies(by_name[current]):
            if dep in by_name and dep not in previous:
                previous[dep] = current
                queue.append(dep)
    return [start, goal]


def documented_rows(text):
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^\| (`[^|]+`(?:, `[^|]+`)*) \| ([^|]*) \|", line)
        if not match:
            continue
        names = re.findall(r"`([A-Za-z]+)`", match.group(1))
        imports = match.group(2).strip()
        for name in names:
            rows[name] = imports
    return rows


def check(pkg, doc_text, source_root="Sources"):
    problems = []
    rows = documented_rows(doc_text)
    targets = [t for t in pkg["targets"] if t["type"] != "test"]
    project = {t["name"] for t in targets}
    by_name = {t["name"]: t for t in targets}
    for lean, banned in LEAN.items():
        if lean in by_name:
            linked = closure(lean, by_name)
            for module in sorted(linked & banned):
                problems.append(f"{lean} must not link {module}: it reaches it through {' -> '.join(path_to(lean, module, by_name))}")
            for target in sorted(linked | {lean}):
                for product in sorted(set(products(by_name[target])) & banned):
                    problems.append(f"{lean} must not link {product}: {target} depends on it")
    for target in targets:
        name = target["name"]
        deps = dependencies(target)
        project_deps = sorted(d for d in deps if d in project)
        if name not in rows:
            problems.append(f"docs/architecture.md: no row for target {name}")
            continue
        documented = rows[name]
        if not documented.startswith("all of the above"):
            listed = sorted(x.strip() for x in re.sub(r"\(.*?\)", "", documented).replace("—", "").split(",") if x.strip())
            if name in ("KubeClientBenchmark", "VirtualClusterBenchmark"):
                if not set(project_deps) <= set(listed):
                    problems.append(f"{name}: imports {project_deps}, the table lists {listed}")
            elif listed != project_deps:
                problems.append(f"{name}: Package.swift gives {project_deps}, docs/architecture.md lists {listed}")
        if name in PURE:
            bad = sorted(set(deps) & FORBIDDEN_IN_PURE)
            if bad:
                problems.append(f"{name} is pure but depends on {bad}")
        path = target.get("path") or os.path.join(source_root, name)
        allowed = set(deps) | {name}
        for directory, _, files in os.walk(path):
            for file in files:
                if not file.endswith(".swift"):
                    continue
                full = os.path.join(directory, file)
                with open(full, encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        match = re.match(r"^\s*(?:@testable\s+|@_\w+\s+)?import\s+(\w+)", line)
                        if match and match.group(1) in project and match.group(1) not in allowed:
                            problems.append(f"{full}:{number}: imports {match.group(1)}, which {name} does not depend on")
    return problems


def self_test():
    pkg = {"targets": [
        {"name": "Cron", "type": "regular", "dependencies": []},
        {"name": "fleetcast", "type": "executable", "dependencies": [{"byName": ["Helper", None]}]},
        {"name": "Helper", "type": "regular", "dependencies": [{"byName": ["VirtualCluster", None]},
                                                              {"product": ["X509", "swift-certificates", None, None]}]},
        {"name": "VirtualCluster", "type": "regular", "dependencies": []},
        {"name": "Autoscaling", "type": "regular", "dependencies": [{"byName": ["Cron", None]}, {"product": ["NIOCore", "swift-nio", None, None]}]},
        {"name": "Lost", "type": "regular", "dependencies": []},
    ]}
    doc = ("| `Cron` | — | x |\n| `Autoscaling` | Forecasting | y |\n| `fleetcast` | Helper | z |\n"
           "| `Helper` | VirtualCluster | h |\n| `VirtualCluster` | — | v |\n")
    found = check(pkg, doc, source_root="/nonexistent")
    expected = [
        "Autoscaling: Package.swift gives ['Cron'], docs/architecture.md lists ['Forecasting']",
        "Autoscaling is pure but depends on ['NIOCore']",
        "docs/architecture.md: no row for target Lost",
        "fleetcast must not link VirtualCluster: it reaches it through fleetcast -> Helper -> VirtualCluster",
        "fleetcast must not link X509: Helper depends on it",
    ]
    assert sorted(found) == sorted(expected), found
    print("check-architecture self-test: ok")


def main():
    if "--self-test" in sys.argv:
        self_test()
    with open("docs/architecture.md", encoding="utf-8") as handle:
        doc = handle.read()
    problems = check(package(), doc)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("check-architecture: every target documented, imports as documented, pure modules free of I/O, "
          "fleetcast free of the virtual cluster and of certificate libraries")


if __name__ == "__main__":
    main()
