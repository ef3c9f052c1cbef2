#!/usr/bin/env python3
"""The dashboard in a real browser: headless Chromium (Debian's) loads it from
the real server holding a small tournament run (a generated fleet streamed in,
RunCompetition over gRPC) and a few planned queues; each view must show what
the JSON calls say (counts, rows, a chart canvas), with no script errors, and
its screenshot is saved.

Usage: dashboard_browser_test.py SERVER GENERATOR REPO_ROOT OUT_DIR
       (PG* environment: a PostgreSQL to create the test's database in;
       HS_DASHBOARD_HOSTS: hosts of the fleet, 30 by default; bench/http's
       dashboard_render.sh uses 2,000, i.e. 8,000 series)
"""
import datetime
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

server_binary, generator_binary, root, out_dir = sys.argv[1:5]
os.makedirs(out_dir, exist_ok=True)
buf = os.path.join(root, "node_modules/.bin/buf")
chromium = os.environ.get("HS_CHROMIUM", "chromium")
database = f"hs_dashboard_{os.getpid()}"
hosts = int(os.environ.get("HS_DASHBOARD_HOSTS", "30"))
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def port_from(log_path, event):
    for _ in range(300):
        with open(log_path) as log:
            match = re.search(rf" {event} .* port=(\d+)", log.read())
        if match:
            return int(match.group(1))
        time.sleep(0.1)
    sys.exit(f"the server never logged {event}:\n" + open(log_path).read())


def post(method, body):
    request = urllib.request.Request(f"{http}/{method}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def browse(fragment, screenshot=None, base=None, expected_console=None):
    """The DOM of the page at #fragment once its view has rendered (from the
    server at `base`, the test's own by default); console lines matching
    `expected_console` are not failures."""
    with tempfile.TemporaryDirectory() as profile:
        common = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                  "--hide-scrollbars", f"--user-data-dir={profile}", "--window-size=1400,1200",
                  "--virtual-time-budget=20000", "--enable-logging=stderr", "--v=0"]
        url = f"{base or http}/#{fragment}"
        result = subprocess.run(common + ["--dump-dom", url], capture_output=True, text=True,
                                timeout=120)
        console = [line for line in result.stderr.splitlines()
                   if ("CONSOLE" in line or "Uncaught" in line)
                   and not (expected_console and re.search(expected_console, line))]
        for line in console:
            fail(f"#{fragment}: console: {line}")
        if 'data-errors="0"' not in result.stdout:
            fail(f"#{fragment}: the page counted script errors")
        if screenshot:
            subprocess.run(common + [f"--screenshot={os.path.join(out_dir, screenshot)}", url],
                           capture_output=True, timeout=120, check=True)
        return result.stdout


def attribute(dom, name):
    match = re.search(rf'<body[^>]*\b{name}="([^"]*)"', dom)
    return match.group(1) if match else None


def count(dom, data_count):
    match = re.search(rf'data-count="{data_count}">([\d,]+)<', dom)
    return int(match.group(1).replace(",", "")) if match else None


def table_rows(dom, table_id):
    match = re.search(rf'<table id="{table_id}"[^>]*>(.*?)</table>', dom, re.S)
    if not match:
        return 0
    body = match.group(1).split("<tbody>", 1)[-1]
    return len(re.findall(r"<tr>", body)) if "none</td>" not in body else 0


subprocess.run(["createdb", database], check=True)
log = tempfile.NamedTemporaryFile(prefix="hs-dashboard-", suffix=".log", delete=False).name
server = subprocess.Popen([server_binary, "--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0",
                           f"--database_url=dbname={database}", "--drain_timeout=5s",
                           "--fleet_workers=2"],
                          stdout=open(log, "w"), stderr=subprocess.STDOUT)
try:
    grpc_port = port_from(log, "listening")
    http = f"http://127.0.0.1:{port_from(log, 'http_listening')}"
    for _ in range(100):
        try:
            if urllib.request.urlopen(f"{http}/readyz", timeout=2).status == 200:
                break
        except Exception:
            time.sleep(0.2)

    # A small fleet: 30 hosts, two years of history, every scenario.
    subprocess.run([generator_binary, f"--target=127.0.0.1:{grpc_port}", f"--hosts={hosts}",
                    "--days=730", "--seed=7"], check=True, capture_output=True)
    run = subprocess.run([buf, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
                          "-d", '{"config":{"shard_size":%d}}' % min(hosts, 200),
                          f"http://127.0.0.1:{grpc_port}/horizonscale.v1.FleetService/RunCompetition"],
                         capture_output=True, text=True, timeout=600)
    if "RUN_STATE_SUCCEEDED" not in run.stdout:
        sys.exit(f"the tournament did not succeed: {run.stdout[-2000:]} {run.stderr}")

    # Three queues, each with an hour of minute-by-minute metrics.
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    for queue, base in (("checkout", 80), ("email", 20), ("search", 200)):
        for minute in range(60, -1, -1):
            at = now - datetime.timedelta(minutes=minute)
            rate = base * (1 + 0.3 * (60 - minute) / 60) + (minute % 7)
            post("horizonscale.v1.CapacityPlannerService/GeneratePlan", {
                "queue": queue,
                "currentMetrics": {"observeTime": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                   "arrivalRatePerSecond": rate, "meanServiceTimeSeconds": 0.1,
                                   "currentWorkers": int(base / 8)},
                "slo": {"p95LatencySeconds": 0.5}})

    report = post("horizonscale.v1.FleetService/GetRiskReport", {"pageSize": 25})
    health = report["fleetHealth"]
    series = sum(int(health.get(k, 0)) for k in ("red", "yellow", "green"))

    # Fleet health: the tiles are the report's counts, the list its first page.
    dom = browse("fleet", "fleet-health.png")
    if attribute(dom, "data-ready") != "fleet":
        fail(f"#fleet never rendered: {dom[:2000]}")
    for status in ("red", "yellow", "green"):
        if count(dom, status) != int(health.get(status, 0)):
            fail(f"#fleet shows {count(dom, status)} {status}, the report {health.get(status, 0)}")
    if count(dom, "series") != series or series != 4 * hosts:
        fail(f"#fleet shows {count(dom, 'series')} series, the report {series}, the fleet "
             f"{4 * hosts}")
    if table_rows(dom, "fleet-risks") != min(25, len(report.get("entries", []))):
        fail(f"#fleet lists {table_rows(dom, 'fleet-risks')} risks, the report "
             f"{len(report.get('entries', []))}")
    if table_rows(dom, "fleet-departments") != len(report.get("departmentHealth", [])):
        fail("#fleet: one row per department expected")
    render_ms = int(attribute(dom, "data-render-ms") or 0)

    # Drill-down of the earliest breach: a chart canvas and both models.
    first = report["entries"][0] if report.get("entries") else None
    host = first["hostId"] if first else "host-00001"
    resource = first["resource"] if first else "RESOURCE_CPU"
    dom = browse(f"host/{host}/{resource}", "drill-down.png")
    if attribute(dom, "data-ready") != "host":
        fail("#host never rendered")
    chart = re.search(r'<div id="host-chart"[^>]*>(.*?)</div>\s*<div id="host-side"', dom, re.S)
    if not chart or "<canvas" not in chart.group(1):
        fail("#host: no chart canvas")
    drill = post("horizonscale.v1.FleetService/GetHostForecast", {"hostId": host, "resource": resource})
    champion = drill["champion"]["model"].replace("FORECAST_MODEL_", "").lower().replace("_", " ")
    if f"champion: {champion}" not in dom and champion not in dom:
        fail(f"#host does not name the champion {champion}")
    if first and "breach" not in dom:
        fail("#host: no breach marker for a series at risk")

    # Model audit: the run's models, a page of the leaderboard.
    dom = browse("audit", "model-audit.png")
    board = post("horizonscale.v1.FleetService/GetLeaderboard", {"pageSize": 20})
    if table_rows(dom, "audit-overall") != len(board["audit"]["overall"]):
        fail("#audit: one row per model expected")
    if table_rows(dom, "audit-board") != len(board["entries"]):
        fail("#audit: the leaderboard page's rows expected")

    # Pools: three queues, a chart, the latest plan's steps.
    dom = browse("pools/checkout/whatif", "pools.png")
    if attribute(dom, "data-ready") != "pools":
        fail("#pools never rendered")
    if "3 queues" not in dom:
        fail("#pools does not count 3 queues")
    pool_chart = re.search(r'<div id="pool-chart"[^>]*>(.*?)</div>\s*<div id="pool-side"', dom, re.S)
    if not pool_chart or "<canvas" not in pool_chart.group(1):
        fail("#pools: no chart canvas")
    if "SLO met" not in dom and "SLO not achievable" not in dom:
        fail("#pools: the plan's SLO verdict is missing")
    whatif = re.search(r'<div id="whatif-chart"[^>]*>(.*?)</div>\s*</section>', dom, re.S)
    if not whatif or "<canvas" not in whatif.group(1):
        fail("#pools/checkout/whatif: no simulated timeline")
    if not re.search(r'SLO met \d+ % of the time', dom):
        fail("#pools/checkout/whatif: no simulation summary")

    # A server with an --access_file: the page asks for a token instead of
    # showing data (and its JSON calls carry the token once given).
    token_hash = "0" * 64
    access = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
    access.write(f"tokens:\n  - {{identity: someone, sha256: {token_hash}, roles: [reader]}}\n")
    access.close()
    locked_log = tempfile.NamedTemporaryFile(prefix="hs-dashboard-locked-", suffix=".log",
                                             delete=False).name
    locked = subprocess.Popen([server_binary, "--listen=127.0.0.1:0", "--http_listen=127.0.0.1:0",
                               f"--database_url=dbname={database}", "--fleet_workers=0",
                               f"--access_file={access.name}"],
                              stdout=open(locked_log, "w"), stderr=subprocess.STDOUT)
    try:
        locked_http = f"http://127.0.0.1:{port_from(locked_log, 'http_listening')}"
        dom = browse("fleet", base=locked_http, expected_console=r"status of 401")
        if not re.search(r'<form id="token-form" class="token">', dom):
            fail("with an access file, the page does not ask for a token")
        if "unauthenticated" not in dom:
            fail("with an access file, the page does not say why it shows nothing")
    finally:
        locked.terminate()
        locked.wait(timeout=30)
        os.unlink(access.name)
        os.unlink(locked_log)

    print(f"dashboard: {series} series; first render of #fleet {render_ms} ms after the page's "
          f"start (headless Chromium); screenshots in {out_dir}")
finally:
    server.terminate()
    server.wait(timeout=30)
    subprocess.run(["dropdb", "--if-exists", "--force", database])
    if failures:
        print(open(log).read()[-5000:])
    os.unlink(log)
sys.exit(1 if failures else 0)
