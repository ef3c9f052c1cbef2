#!/usr/bin/env python3
"""Offline checks of deploy/kubernetes (no cluster can run here: Debian has no
kube-apiserver package). Renders every kustomization with `kubectl kustomize`
and checks the rendered objects against the binaries they run:

- every environment variable and flag a server container uses is one that
  `horizonscale-server --help` documents; its container port is the port of
  HS_LISTEN; its gRPC probes point at that port and at health names the
  server serves ("" and "liveness"); its grace period outlasts the drain;
- every flag a fleet-worker container passes is one the worker accepts;
- every KEDA ScaledObject points at the server's Service and port, and its
  trigger metadata is accepted by the real scaler (GetMetricSpec, answered
  by a server started here, through buf curl).

Usage: kubernetes_manifests_test.py SERVER_BINARY WORKER_BINARY REPO_ROOT
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

import yaml

server_binary, worker_binary, root = sys.argv[1:4]
kustomizations = [
    "deploy/kubernetes/overlays/dev",
    "deploy/kubernetes/overlays/production",
    "deploy/kubernetes/fleet-workers",
    "deploy/kubernetes/examples/keda",
    "deploy/kubernetes/monitoring",
]
# The health names the server serves (server/main.cc, README "Health").
health_names = {"", "liveness"}
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def render(path):
    result = subprocess.run(["kubectl", "kustomize", os.path.join(root, path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"kubectl kustomize {path}: {result.stderr.strip()}")
        return []
    return [o for o in yaml.safe_load_all(result.stdout) if o]


def seconds(duration):
    match = re.fullmatch(r"(\d+)(ms|s|m)?", duration)
    value = int(match.group(1))
    return {"ms": value / 1000, "s": value, "m": value * 60, None: value}[match.group(2)]


def pod_specs(obj):
    kind = obj["kind"]
    if kind in ("Deployment", "StatefulSet", "Job"):
        return [obj["spec"]["template"]["spec"]]
    if kind == "CronJob":
        return [obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]]
    return []


server_help = subprocess.run([server_binary, "--help"], capture_output=True, text=True,
                             check=True).stdout
server_flags = set(re.findall(r"--([a-z_]+)", server_help))
server_env = set(re.findall(r"\b(HS_[A-Z_]+|DATABASE_URL|PGCONNECT_TIMEOUT)\b", server_help))
worker_usage = subprocess.run([worker_binary, "--no_such_flag=1"], capture_output=True,
                              text=True)
worker_flags = set(re.findall(r"--([a-z_]+)=", worker_usage.stdout + worker_usage.stderr))
if not worker_flags:
    fail("the fleet worker's usage lists no flags: " + worker_usage.stderr)

scaled_objects = []
services = {}
for path in kustomizations:
    objects = render(path)
    if not objects:
        continue
    print(f"{path}: {len(objects)} objects")
    config_maps = {o["metadata"]["name"]: o.get("data", {}) for o in objects
                   if o["kind"] == "ConfigMap"}
    for o in objects:
        if o["kind"] == "Service":
            services[(o["metadata"]["name"], o["metadata"].get("namespace"))] = o
        if o["kind"] == "ScaledObject":
            scaled_objects.append(o)
        for spec in pod_specs(o):
            for container in spec["containers"]:
                command = container.get("command", []) + container.get("args", [])
                where = f"{path} {o['kind']}/{o['metadata']['name']}/{container['name']}"
                # kubelet expands $(NAME) in a command from the container's
                # env; an undefined one stays literal (a token "$(HS_TOKEN)").
                defined = {e["name"] for e in container.get("env", [])}
                for arg in command:
                    if not isinstance(arg, str):  # e.g. "- --header=a: b" unquoted: a map
                        fail(f"{where}: command item {arg!r} is not a string (quote it)")
                        continue
                    for name in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", arg):
                        if name not in defined:
                            fail(f"{where}: $({name}) in its command is not in its env")
                if command and command[0].endswith("/horizonscale-server"):
                    env = {e["name"]: e.get("value") for e in container.get("env", [])}
                    for source in container.get("envFrom", []):
                        name = source["configMapRef"]["name"]
                        if name not in config_maps:
                            fail(f"{where}: ConfigMap {name} is not rendered")
                        env.update(config_maps.get(name, {}))
                    for name in env:
                        if name not in server_env:
                            fail(f"{where}: {name} is not in horizonscale-server --help")
                    for arg in command[1:]:
                        flag = re.match(r"--([a-z_]+)", arg)
                        if flag and flag.group(1) not in server_flags:
                            fail(f"{where}: --{flag.group(1)} is not a server flag")
                    listen_port = int(env.get("HS_LISTEN", "127.0.0.1:50051").rsplit(":", 1)[1])
                    ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
                    if ports.get("grpc") != listen_port:
                        fail(f"{where}: port grpc {ports.get('grpc')} is not HS_LISTEN's {listen_port}")
                    http_listen = env.get("HS_HTTP_LISTEN", "127.0.0.1:8080")
                    if not http_listen.startswith(("0.0.0.0:", "[::]:")):
                        fail(f"{where}: HS_HTTP_LISTEN {http_listen} is not reachable from outside the pod")
                    elif ports.get("http") != int(http_listen.rsplit(":", 1)[1]):
                        fail(f"{where}: port http {ports.get('http')} is not HS_HTTP_LISTEN's")
                    tls = bool(env.get("HS_TLS_CERT"))
                    if path.endswith("/production") and not env.get("HS_ACCESS_FILE"):
                        fail(f"{where}: production serves without an access file")
                    # Secure by default: plaintext on a non-loopback address
                    # must be asked for, or the server refuses to start.
                    for flag, address in (("HS_LISTEN", env.get("HS_LISTEN", "127.0.0.1:50051")),
                                          ("HS_HTTP_LISTEN", http_listen)):
                        host = address.rsplit(":", 1)[0]
                        if (not tls and host not in ("127.0.0.1", "localhost", "[::1]") and
                                env.get("HS_ALLOW_INSECURE") not in ("true", "1")):
                            fail(f"{where}: {flag} {address} without TLS or HS_ALLOW_INSECURE: "
                                 "the server would refuse to start")
                    # kubelet's gRPC probes speak plaintext only: with TLS the
                    # probes are HTTPS on the HTTP port.
                    expected = {"livenessProbe": ("liveness", "/healthz"),
                                "readinessProbe": ("", "/readyz"),
                                "startupProbe": ("liveness", "/healthz")}
                    for probe_name, (health_name, path) in expected.items():
                        probe = container.get(probe_name)
                        if probe is None:
                            fail(f"{where}: no {probe_name}")
                            continue
                        if tls:
                            get = probe.get("httpGet") or {}
                            if probe.get("grpc") is not None:
                                fail(f"{where}: {probe_name} is a gRPC probe on a TLS port")
                            if (get.get("port") not in ("http", ports.get("http")) or
                                    get.get("scheme") != "HTTPS" or get.get("path") != path):
                                fail(f"{where}: {probe_name} must GET {path} over HTTPS on port http")
                            continue
                        grpc = probe.get("grpc")
                        if grpc is None or grpc.get("port") != listen_port:
                            fail(f"{where}: {probe_name} is not a gRPC probe on {listen_port}")
                        elif grpc.get("service", "") != health_name:
                            fail(f"{where}: {probe_name} asks for health of "
                                 f"{grpc.get('service')!r}, not {health_name!r}")
                    drain = seconds(env.get("HS_DRAIN_TIMEOUT", "30s"))
                    grace = spec.get("terminationGracePeriodSeconds", 30)
                    if grace <= drain:
                        fail(f"{where}: grace period {grace}s does not outlast the drain {drain}s")
                elif command and command[0].endswith("/horizonscale-fleet-worker"):
                    for arg in command[1:]:
                        flag = re.match(r"--([a-z_]+)=", arg)
                        if not flag or flag.group(1) not in worker_flags:
                            fail(f"{where}: {arg} is not a fleet-worker flag")

if not scaled_objects:
    fail("no ScaledObject rendered")

# The scaler judges the metadata: a server without a database (memory only)
# answers GetMetricSpec from the metadata alone.
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = subprocess.Popen([server_binary, f"--listen=127.0.0.1:{port}", "--http_listen=127.0.0.1:0",
                           "--persist_plans=false",
                           "--database_url=host=127.0.0.1 port=1 connect_timeout=1",
                           "--drain_timeout=1s", "--fleet_workers=0"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
buf = os.path.join(root, "node_modules/.bin/buf")
try:
    # Until the server answers by reflection (health needs no database).
    for _ in range(150):
        ready = subprocess.run([buf, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
                                "-d", '{"service":"liveness"}',
                                f"http://127.0.0.1:{port}/grpc.health.v1.Health/Check"],
                               capture_output=True, text=True)
        if ready.returncode == 0:
            break
        time.sleep(0.2)
    else:
        fail("the server never answered its health check: " + ready.stderr)
    url = f"http://127.0.0.1:{port}/externalscaler.ExternalScaler/GetMetricSpec"
    for o in scaled_objects:
        for trigger in o["spec"]["triggers"]:
            name = f"ScaledObject/{o['metadata']['name']}"
            if trigger["type"] not in ("external", "external-push"):
                fail(f"{name}: trigger type {trigger['type']}")
                continue
            metadata = trigger["metadata"]
            host, _, target_port = metadata.get("scalerAddress", "").partition(":")
            service = host.split(".")[0]
            namespace = host.split(".")[1] if "." in host else o["metadata"].get("namespace")
            rendered = services.get((service, namespace))
            if rendered is None:
                fail(f"{name}: scalerAddress {host} is no rendered Service")
            elif int(target_port) not in [p["port"] for p in rendered["spec"]["ports"]]:
                fail(f"{name}: the Service {service} has no port {target_port}")
            request = {"name": o["metadata"]["name"],
                       "namespace": o["metadata"].get("namespace", ""),
                       "scalerMetadata": metadata}
            answer = subprocess.run([buf, "curl", "--protocol", "grpc",
                                     "--http2-prior-knowledge", "-d", json.dumps(request), url],
                                    capture_output=True, text=True)
            if answer.returncode != 0 or '"targetSize": "1"' not in answer.stdout:
                fail(f"{name}: the scaler refused its metadata: {answer.stdout}{answer.stderr}")
            else:
                print(f"{name}: metadata accepted ({len(metadata)} keys)")
finally:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        fail("the server did not drain within 10 s")

if failures:
    print(f"{len(failures)} problem(s)")
    sys.exit(1)
print("manifests: rendered, flags, ports, probes, drain and scaler metadata agree with the binaries")
