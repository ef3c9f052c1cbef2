#!/usr/bin/python3
"""Plans a worker pool: CapacityPlannerService.GeneratePlan with the pool's
metrics now, printing the target workers, the scaling steps, the confidence
and the warnings.

  PYTHONPATH=build/clients/python/python /usr/bin/python3 plan_pool.py \
      --queue=checkout --arrival_rate=100 --mean_service_time=0.1 \
      --current_workers=10 --p95_latency=0.5
"""

import argparse
import datetime
import sys

import horizonscale_client as hs
from horizonscale.v1 import common_pb2, plan_pb2, planner_service_pb2, planner_service_pb2_grpc


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queue", required=True, help="name of the queue (pool)")
    parser.add_argument("--arrival_rate", type=float, required=True, help="jobs per second now")
    parser.add_argument("--mean_service_time", type=float, required=True,
                        help="mean service time of one job, in seconds")
    parser.add_argument("--current_workers", type=int, default=0, help="workers running now")
    parser.add_argument("--backlog", type=int, default=0, help="jobs waiting now")
    parser.add_argument("--p95_latency", type=float,
                        help="SLO: P95 response time, in seconds (default: none)")
    parser.add_argument("--max_workers", type=int, help="most workers (server default 100)")
    hs.add_connection_arguments(parser)
    return parser.parse_args()


def plan_request(arguments):
    request = planner_service_pb2.GeneratePlanRequest(
        queue=arguments.queue,
        current_metrics=plan_pb2.QueueMetrics(
            arrival_rate_per_second=arguments.arrival_rate,
            mean_service_time_seconds=arguments.mean_service_time,
            current_workers=arguments.current_workers,
            backlog=arguments.backlog))
    if arguments.p95_latency is not None:
        request.slo.CopyFrom(common_pb2.Slo(p95_latency_seconds=arguments.p95_latency))
    if arguments.max_workers is not None:
        request.config.max_workers = arguments.max_workers
    return request


def main():
    arguments = parse_arguments()
    with hs.connect_from_arguments(arguments) as channel:
        stub = planner_service_pb2_grpc.CapacityPlannerServiceStub(channel)
        plan = hs.call(stub.GeneratePlan, plan_request(arguments), timeout=30).plan
    print(f"plan {plan.plan_id} for {plan.queue}: "
          f"{plan.current_workers} -> {plan.target_workers} workers")
    print(f"confidence {plan.confidence:.2f}, SLO achievable: {plan.slo_achievable}, "
          f"auto-apply recommended: {plan.auto_apply_recommended}, "
          f"urgency {plan_pb2.PlanUrgency.Name(plan.urgency)}")
    for step in plan.steps:
        when = step.schedule_time.ToDatetime(tzinfo=datetime.timezone.utc)
        print(f"step {step.sequence} at {when.isoformat(timespec='seconds')}: "
              f"{plan_pb2.ScalingAction.Name(step.action)} "
              f"{step.from_workers} -> {step.to_workers} ({step.rationale})")
    for warning in plan.warnings:
        print(f"warning {warning.reason}: {warning.message}")


if __name__ == "__main__":
    try:
        main()
    except (hs.HorizonScaleError, ValueError) as error:
        sys.exit(f"plan_pool: {error}")
