#!/usr/bin/env python3
"""Generates Sources/VirtualCluster/Protobuf/ProtobufSchemaTable.swift from the upstream
generated.proto files in shared/reference/k8s-proto (issue #14).

The table is a compact text, one line per message and one per field, that the generic wire-format
reader and writer (ProtobufObjectReader / ProtobufObjectWriter) parse once at first use. Compiling it
as a string keeps the build fast, unlike thousands of lines of generated message types.

    make protobuf-schema                      # regenerate
    python3 hack/protobuf/generate-schema.py --check   # exit 1 when the committed table is stale

Line format (tab separated):
    M <full message name> <shape>             shape: object | quantity | time | microtime | duration |
                                               intorstring | rawextension | fieldsv1 | list
    F <number> <json name> <cardinality> <type> <zero>
        cardinality: 1 (optional) | * (repeated) | m:<key type> (map)
        type: string | bytes | bool | int32 | int64 | uint32 | uint64 | double | float | .<message>
        zero: omit (Go omitempty: a zero value is left out of the JSON) | keep (rendered even when zero)
              | inline (a message Go embeds: its members are the parent's in JSON)
    G <proto package> <API group>              where each built-in API group's messages live
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_PROTO_DIR = os.path.join(os.path.dirname(ROOT), "shared", "reference", "k8s-proto")
OUTPUT = os.path.join(ROOT, "Sources", "VirtualCluster", "Protobuf", "ProtobufSchemaTable.swift")

# The API group of each proto package (the group name lives in the Go packages' doc.go, not in
# the .proto files).
GROUPS = {
    "k8s.io.api.core.v1": "",
    "k8s.io.api.apps.v1": "apps",
    "k8s.io.api.batch.v1": "batch",
    "k8s.io.api.autoscaling.v1": "autoscaling",
    "k8s.io.api.policy.v1": "policy",
    "k8s.io.api.rbac.v1": "rbac.authorization.k8s.io",
    "k8s.io.api.scheduling.v1": "scheduling.k8s.io",
    "k8s.io.api.coordination.v1": "coordination.k8s.io",
    "k8s.io.api.events.v1": "events.k8s.io",
    "k8s.io.api.authentication.v1": "authentication.k8s.io",
    "k8s.io.api.authorization.v1": "authorization.k8s.io",
    "k8s.io.apimachinery.pkg.apis.meta.v1": "meta.k8s.io",
}

# Messages with their own JSON shape (their Go types implement MarshalJSON / ProtoMessage by hand).
SHAPES = {
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "microtime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "duration",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intorstring",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawextension",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "fieldsv1",
}

# Scalar fields marked `+optional` whose zero value the Go JSON still renders: Go pointers
# (`*int32`, `*bool`, `*string` …, where an explicit zero means something, e.g. `replicas: 0`,
# `suspend: false`) and the few `+optional` fields without `omitempty` (PriorityClass.value). The
# .proto files do not record pointer-ness; this list is read off the Go types of kubernetes/api and
# apimachinery for the kinds the virtual cluster serves. Fields not listed follow `+optional`.
KEEPS_ZERO = {
    "k8s.io.apimachinery.pkg.apis.meta.v1": {
        "DeleteOptions": ["gracePeriodSeconds", "orphanDependents", "propagationPolicy",
                          "ignoreStoreReadErrorWithClusterBreakingPotential"],
        "ListMeta": ["remainingItemCount"],
        "ObjectMeta": ["deletionGracePeriodSeconds"],
        "OwnerReference": ["controller", "blockOwnerDeletion"],
        "Preconditions": ["uid", "resourceVersion"],
        "ManagedFieldsEntry": [],
    },
    "k8s.io.api.core.v1": {
        "PodSpec": ["terminationGracePeriodSeconds", "activeDeadlineSeconds", "automountServiceAccountToken",
                    "shareProcessNamespace", "priority", "enableServiceLinks", "setHostnameAsFQDN", "hostUsers",
                    "preemptionPolicy", "runtimeClassName"],
        "SecurityContext": ["privileged", "runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem",
                            "allowPrivilegeEscalation", "procMount"],
        "PodSecurityContext": ["runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "fsGroupChangePolicy",
                               "supplementalGroupsPolicy", "seLinuxChangePolicy"],
        "Container": ["restartPolicy"],
        "EphemeralContainerCommon": ["restartPolicy"],
        "Probe": ["terminationGracePeriodSeconds"],
        "ServiceAccount": ["automountServiceAccountToken"],
        "ConfigMap": ["immutable"],
        "Secret": ["immutable"],
        "ConfigMapVolumeSource": ["defaultMode", "optional"],
        "SecretVolumeSource": ["defaultMode", "optional"],
        "ProjectedVolumeSource": ["defaultMode"],
        "DownwardAPIVolumeSource": ["defaultMode"],
        "ConfigMapProjection": ["optional"],
        "SecretProjection": ["optional"],
        "ConfigMapKeySelector": ["optional"],
        "SecretKeySelector": ["optional"],
        "ConfigMapEnvSource": ["optional"],
        "SecretEnvSource": ["optional"],
        "KeyToPath": ["mode"],
        "DownwardAPIVolumeFile": ["mode"],
        "ServiceAccountTokenProjection": ["expirationSeconds"],
        "HostPathVolumeSource": ["type"],
        "CSIVolumeSource": ["readOnly", "fsType"],
        "Toleration": ["tolerationSeconds"],
        "TopologySpreadConstraint": ["minDomains", "nodeAffinityPolicy", "nodeTaintsPolicy"],
        "ContainerStatus": ["started"],
        "ReplicationControllerSpec": ["replicas"],
        "ServiceSpec": ["allocateLoadBalancerNodePorts", "ipFamilyPolicy", "loadBalancerClass",
                        "internalTrafficPolicy", "trafficDistribution"],
        "PodDNSConfigOption": ["value"],
        "NamespaceCondition": [],
        "Event": [],
        "PersistentVolumeClaimSpec": ["storageClassName", "volumeMode", "volumeAttributesClassName"],
        "SleepAction": [],
        "EnvVar": [],
    },
    "k8s.io.api.apps.v1": {
        "DeploymentSpec": ["replicas", "revisionHistoryLimit", "progressDeadlineSeconds"],
        "DeploymentStatus": ["collisionCount", "terminatingReplicas"],
        "StatefulSetSpec": ["replicas", "revisionHistoryLimit"],
        "StatefulSetStatus": ["collisionCount"],
        "RollingUpdateStatefulSetStrategy": ["partition"],
        "DaemonSetSpec": ["revisionHistoryLimit"],
        "DaemonSetStatus": ["collisionCount"],
        "ReplicaSetSpec": ["replicas"],
        "ReplicaSetStatus": ["terminatingReplicas"],
    },
    "k8s.io.api.batch.v1": {
        "JobSpec": ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex",
                    "maxFailedIndexes", "ttlSecondsAfterFinished", "manualSelector", "suspend", "completionMode",
                    "podReplacementPolicy", "managedBy"],
        "JobStatus": ["terminating", "ready", "failedIndexes"],
        "CronJobSpec": ["startingDeadlineSeconds", "suspend", "successfulJobsHistoryLimit",
                        "failedJobsHistoryLimit", "timeZone"],
        "PodFailurePolicyOnExitCodesRequirement": ["containerName"],
        "SuccessPolicyRule": ["succeededIndexes", "succeededCount"],
    },
    "k8s.io.api.autoscaling.v1": {
        "HorizontalPodAutoscalerSpec": ["minReplicas", "targetCPUUtilizationPercentage"],
        "HorizontalPodAutoscalerStatus": ["observedGeneration", "currentCPUUtilizationPercentage"],
        "ScaleStatus": ["replicas"],
    },
    "k8s.io.api.scheduling.v1": {
        "PriorityClass": ["value", "preemptionPolicy"],
    },
    "k8s.io.api.coordination.v1": {
        "LeaseSpec": ["holderIdentity", "leaseDurationSeconds", "leaseTransitions", "strategy",
                      "preferredHolder"],
    },
    "k8s.io.api.events.v1": {
        "EventSeries": ["count"],
    },
    "k8s.io.api.rbac.v1": {
        "RoleRef": ["apiGroup", "kind", "name"],
        "Subject": ["kind", "name"],
    },
}

# Message fields that Go embeds without a name (`json:",inline"`): their members are the parent
# object's members in JSON.
INLINE = {
    ("k8s.io.api.core.v1", "Probe", "handler"),
    ("k8s.io.api.core.v1", "Volume", "volumeSource"),
    ("k8s.io.api.core.v1", "PersistentVolumeSpec", "persistentVolumeSource"),
    ("k8s.io.api.core.v1", "EphemeralContainer", "ephemeralContainerCommon"),
}

FIELD = re.compile(r"^(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;")
MAP_FIELD = re.compile(r"^map<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;")
SCALARS = {"string", "bytes", "bool", "int32", "int64", "uint32", "uint64", "double", "float"}


def parse(path):
    """Returns (package, [(message name, comment, [(label, type, name, number, comment)])])."""
    package = None
    messages = []
    comment = []
    current = None
    depth = 0
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if line.startswith("//"):
                comment.append(line[2:].strip())
                continue
            if line.startswith("package "):
                package = line[len("package "):].rstrip(";").strip()
            elif line.startswith("message "):
                if depth != 0:
                    sys.exit(f"{path}: nested messages are not supported: {line}")
                current = (line.split()[1], comment, [])
                messages.append(current)
                depth = line.count("{") - line.count("}")
            elif current is not None and depth > 0:
                field = FIELD.match(line)
                mapped = MAP_FIELD.match(line)
                if field:
                    current[2].append((field.group(1), field.group(2), field.group(3), int(field.group(4)), comment))
                elif mapped:
                    current[2].append(("map:" + mapped.group(1), mapped.group(2), mapped.group(3),
                                       int(mapped.group(4)), comment))
                elif line and line not in ("}",):
                    if not line.startswith("option ") and not line.startswith("reserved"):
                        sys.exit(f"{path}: cannot read field line: {line}")
                depth += line.count("{") - line.count("}")
            if line and not line.startswith("//"):
                comment = []
    return package, messages


def resolve(type_name, package):
    if type_name in SCALARS:
        return type_name
    if type_name.startswith("."):
        return type_name
    return "." + package + "." + type_name


def generate(proto_dir):
    files = []
    for directory, _, names in os.walk(proto_dir):
        for name in names:
            if name.endswith(".proto"):
                files.append(os.path.join(directory, name))
    lines = []
    known = set()
    inline_found = set()
    listed = {(package, message, field) for package, messages in KEEPS_ZERO.items()
              for message, fields in messages.items() for field in fields}
    for path in sorted(files):
        package, messages = parse(path)
        keeps = KEEPS_ZERO.get(package, {})
        for message, comment, fields in messages:
            full = package + "." + message
            known.add(full)
            shape = SHAPES.get(full, "object")
            if (shape == "object" and "+protobuf.nullable=true" in comment and len(fields) == 1
                    and fields[0][0] == "repeated" and fields[0][2] == "items"):
                shape = "list"
            lines.append(f"M\t{full}\t{shape}")
            kept = set(keeps.get(message, []))
            for label, type_name, name, number, field_comment in fields:
                listed.discard((package, message, name))
                cardinality = "1" if label == "optional" else "*" if label == "repeated" else "m:" + label[4:]
                optional = any(text == "+optional" for text in field_comment)
                zero = "omit" if optional and name not in kept else "keep"
                if (package, message, name) in INLINE:
                    zero = "inline"
                    inline_found.add((package, message, name))
                lines.append(f"F\t{number}\t{name}\t{cardinality}\t{resolve(type_name, package)}\t{zero}")
    if INLINE - inline_found:
        sys.exit("INLINE names fields the .proto files do not have: " + str(sorted(INLINE - inline_found)))
    if listed:
        sys.exit("KEEPS_ZERO names fields the .proto files do not have: " +
                 ", ".join(".".join(entry) for entry in sorted(listed)))
    # A field of a message from a package outside k8s-proto (an alpha group) is left out: the
    # reader skips it on the wire like any unknown field, as the server does for gated-off fields.
    lines = [line for line in lines
             if not line.startswith("F") or not line.split("\t")[4].startswith(".") or line.split("\t")[4][1:] in known]
    for package, group in sorted(GROUPS.items()):
        lines.append(f"G\t{package}\t{group or '-'}")
    body = "\n".join(lines)
    return (
        "// Generated by hack/protobuf/generate-schema.py from shared/reference/k8s-proto (`make protobuf-schema`).\n"
        "// Do not edit; ProtobufSchemaTableTests fails when this file is stale.\n\n"
        "/// The wire schema of the built-in kinds, parsed once by `ProtobufSchema`.\n"
        "enum ProtobufSchemaTable {\n"
        "    static let text = #\"\"\"\n" + body + "\n\"\"\"#\n"
        "}\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proto-dir", default=DEFAULT_PROTO_DIR)
    parser.add_argument("--output", default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed table differs")
    parser.add_argument("--stdout", action="store_true", help="print the table instead of writing it")
    arguments = parser.parse_args()
    text = generate(arguments.proto_dir)
    if arguments.stdout:
        sys.stdout.write(text)
    elif arguments.check:
        with open(arguments.output, encoding="utf-8") as handle:
            if handle.read() != text:
                print(f"{arguments.output} is stale: run `make protobuf-schema`", file=sys.stderr)
                sys.exit(1)
    else:
        with open(arguments.output, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
