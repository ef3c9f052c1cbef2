#!/usr/bin/python3
"""Reads the risk report of a tournament run (FleetService.GetRiskReport):
prints the fleet's health (series red, yellow, green), the health per
department and the series at risk, earliest breach first.

  PYTHONPATH=build/clients/python/python /usr/bin/python3 risk_report.py --top=10
"""

import argparse
import sys

import horizonscale_client as hs
from horizonscale.v1 import common_pb2, fleet_service_pb2 as fleet, fleet_service_pb2_grpc


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run_id", default="", help="the run (default: the latest succeeded)")
    parser.add_argument("--department", default="", help="only this department")
    parser.add_argument("--top", type=int, default=10,
                        help="series at risk to print, at most 1000 (default %(default)s)")
    hs.add_connection_arguments(parser)
    return parser.parse_args()


def health(counts):
    return f"red {counts.red}, yellow {counts.yellow}, green {counts.green}"


def main():
    arguments = parse_arguments()
    request = fleet.GetRiskReportRequest(run_id=arguments.run_id, department=arguments.department,
                                         page_size=arguments.top)
    with hs.connect_from_arguments(arguments) as channel:
        stub = fleet_service_pb2_grpc.FleetServiceStub(channel)
        report = hs.call(stub.GetRiskReport, request, timeout=30)
    print(f"run {report.run_id}: breach at {report.breach_threshold_percent:g} % within "
          f"{report.risk_window.ToTimedelta().days} days, upper bound of the "
          f"{report.interval_level:.0%} interval")
    print(f"fleet health: {health(report.fleet_health)}")
    for department in report.department_health:
        print(f"  {department.department or '(no department)'}: {health(department)}")
    print(f"top risks ({len(report.entries)}{', more' if report.next_page_token else ''}):")
    for risk in report.entries:
        print(f"  {risk.host_id} {fleet.Resource.Name(risk.resource)} ({risk.department}, "
              f"{risk.app_code}): breach {risk.first_breach_time.ToJsonString()[:10]}, "
              f"act by {risk.planned_action_time.ToJsonString()[:10]}, "
              f"peak {risk.peak_upper_percent:.1f} %, "
              f"champion {common_pb2.ForecastModel.Name(risk.champion)}")


if __name__ == "__main__":
    try:
        main()
    except (hs.HorizonScaleError, ValueError) as error:
        sys.exit(f"risk_report: {error}")
