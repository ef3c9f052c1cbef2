"""Checks of the hand-written layer (horizonscale_client) against a live
server. Usage: client_checks.py TARGET [TOKEN]

Without TOKEN (a server without an access file): time_series() locally and
through GetForecasts, HorizonScaleError from unary and streaming calls, and
connect()'s argument errors. With TOKEN (a server whose access file gives it
the planner role): the token reaches the server on unary, server-streaming
and client-streaming calls, and refusals carry their reasons."""

import datetime
import sys

import grpc

import horizonscale_client as hs
from horizonscale.v1 import (fleet_service_pb2 as fleet, fleet_service_pb2_grpc, forecast_pb2,
                             plan_pb2, planner_service_pb2 as planner, planner_service_pb2_grpc)

UTC = datetime.timezone.utc


def expect(condition, what):
    if not condition:
        sys.exit(f"FAIL: {what}")


def expect_error(function, code, reason, what):
    """Runs function(), which must raise HorizonScaleError with `code` and
    `reason`; returns the error."""
    try:
        function()
    except hs.HorizonScaleError as error:
        expect(error.code == code and error.reason == reason,
               f"{what}: expected {code.name} ({reason}), got {error}")
        expect(isinstance(error.__cause__, grpc.RpcError), f"{what}: not chained to the RpcError")
        return error
    sys.exit(f"FAIL: {what}: no HorizonScaleError")


def expect_raises(exception, function, text, what):
    try:
        function()
    except exception as error:
        expect(text in str(error), f"{what}: {error!r} does not say {text!r}")
        return
    sys.exit(f"FAIL: {what}: no {exception.__name__}")


def check_time_series_locally():
    start = datetime.datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
    paris = datetime.timezone(datetime.timedelta(hours=1))
    series = hs.time_series(
        [(start, 10), (start.timestamp() + 3600, 12.5), (start.timestamp() + 7200.25, 13),
         (datetime.datetime(2026, 11, 1, 4, 0, 0, 500, tzinfo=paris), -1)],
        step=datetime.timedelta(hours=1))
    got = [(p.time.seconds, p.time.nanos, p.value) for p in series.points]
    base = int(start.timestamp())
    want = [(base, 0, 10.0), (base + 3600, 0, 12.5), (base + 7200, 250_000_000, 13.0),
            (base + 3 * 3600, 500_000, -1.0)]
    expect(got == want, f"time_series points: {got} != {want}")
    expect(series.step.seconds == 3600 and series.step.nanos == 0, f"step: {series.step}")
    expect(hs.time_series([], step=300).step.seconds == 300, "step in seconds")
    expect(hs.time_series([(0.9999999999, 1)]).points[0].time.seconds == 1,
           "nanos rounded up to a whole second carry into the seconds")
    expect_raises(ValueError, lambda: hs.time_series([(datetime.datetime(2026, 1, 1), 1)]),
                  "no time zone", "naive datetime")
    expect_raises(TypeError, lambda: hs.time_series([("2026-01-01", 1)]), "neither",
                  "time as text")
    expect_raises(TypeError, lambda: hs.time_series([(0, "1")]), "not a number", "value as text")


def check_time_series_round_trip(channel):
    """The server reads the series time_series() builds: its history (the
    series on the step grid, regular here) is the points sent."""
    start = datetime.datetime(2026, 11, 1, tzinfo=UTC)
    points = [(start + datetime.timedelta(hours=h), 10.0 + 1.5 * h) for h in range(12)]
    stub = planner_service_pb2_grpc.CapacityPlannerServiceStub(channel)
    request = forecast_pb2.GetForecastsRequest(series=hs.time_series(points), horizon_steps=3,
                                               include_history=True)
    answer = hs.call(stub.GetForecasts, request, timeout=30)
    back = [(p.time.ToDatetime(tzinfo=UTC), p.value) for p in answer.history.points]
    expect(back == points, f"GetForecasts history {back} != the points sent {points}")
    expect(len(answer.points) == 3, f"{len(answer.points)} forecast points, not 3")


def check_errors(channel):
    stub = planner_service_pb2_grpc.CapacityPlannerServiceStub(channel)
    bad_plan = planner.GeneratePlanRequest(
        queue="checkout",
        current_metrics=plan_pb2.QueueMetrics(arrival_rate_per_second=-1,
                                              mean_service_time_seconds=0.1))
    error = expect_error(lambda: hs.call(stub.GeneratePlan, bad_plan, timeout=30),
                         grpc.StatusCode.INVALID_ARGUMENT, "INVALID_METRICS", "negative rate")
    fields = [violation.field for violation in error.field_violations]
    expect("current_metrics.arrival_rate_per_second" in fields, f"violations name {fields}")
    expect(error.domain == "horizonscale", f"domain {error.domain!r}")
    invalid_argument = grpc.StatusCode.INVALID_ARGUMENT.value[0]
    expect(error.status is not None and error.status.code == invalid_argument,
           f"status {error.status}")
    expect("current_metrics.arrival_rate_per_second" in str(error), f"str: {error}")

    # A server-streaming call fails while it is iterated, inside the scope.
    @hs.translate_errors()
    def attach_to_unknown_run():
        for _ in fleet_service_pb2_grpc.FleetServiceStub(channel).RunCompetition(
                fleet.RunCompetitionRequest(run_id="00000000-0000-0000-0000-000000000000"),
                timeout=30):
            pass

    error = expect_error(attach_to_unknown_run, grpc.StatusCode.NOT_FOUND, "NOT_FOUND",
                         "RunCompetition of an unknown run")
    expect([v.field for v in error.field_violations] == ["run_id"],
           f"violations of an unknown run: {error.field_violations}")
    # No server behind the target: UNAVAILABLE, without details.
    with hs.connect("127.0.0.1:1") as nowhere:
        error = expect_error(
            lambda: hs.call(planner_service_pb2_grpc.CapacityPlannerServiceStub(nowhere).GetQueue,
                            planner.GetQueueRequest(name="checkout"), timeout=5),
            grpc.StatusCode.UNAVAILABLE, "", "no server")
        expect(error.status is None and not error.field_violations, f"details of {error!r}")


def check_connect_arguments(target):
    expect_raises(ValueError, lambda: hs.connect(target, tls_cert="c.pem"), "go together",
                  "certificate without key")
    expect_raises(ValueError, lambda: hs.connect(target, tls_cert="c.pem", tls_key="k.pem"),
                  "needs tls_ca", "client certificate over plaintext")
    expect_raises(ValueError, lambda: hs.connect(target, tls_ca="/nonexistent/ca.pem"),
                  "tls_ca: cannot read /nonexistent/ca.pem", "unreadable CA")
    expect_raises(ValueError, lambda: hs.read_token_file("/dev/null"), "no token",
                  "empty token file")


def check_token(target, token):
    request = planner.ListQueuesRequest(page_size=10)
    with hs.connect(target, token=token) as channel:
        planner_stub = planner_service_pb2_grpc.CapacityPlannerServiceStub(channel)
        hs.call(planner_stub.ListQueues, request, timeout=30)  # unary, reader role and up
        # The planner role lacks admin: the server knew who called (the
        # token went with the streaming calls too) and refused the role.
        fleet_stub = fleet_service_pb2_grpc.FleetServiceStub(channel)

        @hs.translate_errors()
        def run_competition():
            for _ in fleet_stub.RunCompetition(fleet.RunCompetitionRequest(), timeout=30):
                pass

        expect_error(run_competition, grpc.StatusCode.PERMISSION_DENIED, "ROLE_MISSING",
                     "RunCompetition (server streaming) with a planner token")
        expect_error(lambda: hs.call(fleet_stub.IngestTelemetry,
                                     iter([fleet.IngestTelemetryRequest()]), timeout=30),
                     grpc.StatusCode.PERMISSION_DENIED, "ROLE_MISSING",
                     "IngestTelemetry (client streaming) with a planner token")
    for credentials, reason in ((None, "CREDENTIALS_MISSING"), (token + "x", "TOKEN_INVALID")):
        with hs.connect(target, token=credentials) as channel:
            stub = planner_service_pb2_grpc.CapacityPlannerServiceStub(channel)
            expect_error(lambda: hs.call(stub.ListQueues, request, timeout=30),
                         grpc.StatusCode.UNAUTHENTICATED, reason, f"ListQueues, {reason}")


def main():
    target = sys.argv[1]
    if len(sys.argv) > 2:
        check_token(target, sys.argv[2])
        print("client checks: the token went with unary and streaming calls; refusals "
              "carried CREDENTIALS_MISSING, TOKEN_INVALID, ROLE_MISSING")
        return
    check_time_series_locally()
    check_connect_arguments(target)
    with hs.connect(target) as channel:
        check_time_series_round_trip(channel)
        check_errors(channel)
    print("client checks: time_series round-trips, errors carry reason and field violations, "
          "connect refuses bad arguments")


if __name__ == "__main__":
    main()
