#!/usr/bin/env bash
# The alerting rules shipped in deploy/: valid (`promtool check rules`),
# firing as intended on known series (`promtool test rules`), and the
# Kubernetes PrometheusRule holding exactly the same groups.
# Usage: alert_rules_test.sh REPO_ROOT
set -euo pipefail
root=$1
rules="$root/deploy/prometheus/horizonscale-rules.yml"
promtool check rules "$rules"
promtool test rules "$root/tests/deploy/horizonscale_rules_test.yml"
python3 - "$rules" "$root/deploy/kubernetes/monitoring/prometheusrule.yaml" <<'PY'
import sys, yaml
rules = yaml.safe_load(open(sys.argv[1]))
manifest = yaml.safe_load(open(sys.argv[2]))
assert manifest["kind"] == "PrometheusRule", manifest["kind"]
assert manifest["apiVersion"] == "monitoring.coreos.com/v1", manifest["apiVersion"]
if manifest["spec"]["groups"] != rules["groups"]:
    sys.exit("deploy/kubernetes/monitoring/prometheusrule.yaml's groups differ from "
             "deploy/prometheus/horizonscale-rules.yml's")
print("PrometheusRule: the same %d groups" % len(rules["groups"]))
PY
