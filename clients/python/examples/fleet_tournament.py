#!/usr/bin/python3
"""Streams a fleet CSV into FleetService.IngestTelemetry, then starts the
forecasting tournament (RunCompetition), follows its progress and prints its
summary.

The CSV is the fleet generator's (horizonscale-fleet-generator --csv=PATH):
samples as host_id,resource,date,p95_utilization_percent with a header
line, and host metadata in PATH.hosts.csv (host_id,department,app_code,
scenario), sent first when the file exists.

  PYTHONPATH=build/clients/python/python /usr/bin/python3 fleet_tournament.py \
      --csv=fleet.csv --token_file=admin.token
"""

import argparse
import csv
import os
import sys

import grpc

import horizonscale_client as hs
from horizonscale.v1 import common_pb2, fleet_service_pb2 as fleet, fleet_service_pb2_grpc

SAMPLES_HEADER = ["host_id", "resource", "date", "p95_utilization_percent"]
HOSTS_HEADER = ["host_id", "department", "app_code", "scenario"]
RESOURCES = {"cpu": fleet.RESOURCE_CPU, "memory": fleet.RESOURCE_MEMORY,
             "disk": fleet.RESOURCE_DISK, "network": fleet.RESOURCE_NETWORK}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", required=True, help="samples CSV of the fleet generator")
    parser.add_argument("--hosts_csv", help="hosts CSV (default: CSV.hosts.csv, if it exists)")
    parser.add_argument("--batch_rows", type=int, default=10000,
                        help="samples per message, at most 10000 (default %(default)s)")
    hs.add_connection_arguments(parser)
    return parser.parse_args()


def csv_rows(path, header):
    """The rows of CSV file `path` after its header, which must be `header`,
    each with its line number; ValueError naming the line otherwise."""
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        if next(reader, None) != header:
            raise ValueError(f"{path}:1: the header is not {','.join(header)}")
        for row in reader:
            if len(row) != len(header):
                raise ValueError(f"{path}:{reader.line_num}: {len(row)} fields, not {len(header)}")
            yield reader.line_num, row


def ingest_requests(samples_path, hosts_path, batch_rows):
    """IngestTelemetryRequests: the hosts first, in messages of their own
    (as the fleet generator sends them), then the samples, batch_rows a
    message."""
    if hosts_path:
        message = fleet.IngestTelemetryRequest()
        for _, (host_id, department, app_code, scenario) in csv_rows(hosts_path, HOSTS_HEADER):
            message.hosts.add(host_id=host_id, department=department, app_code=app_code,
                              scenario=scenario)
            if len(message.hosts) == batch_rows:
                yield message
                message = fleet.IngestTelemetryRequest()
        if message.hosts:
            yield message
    message = fleet.IngestTelemetryRequest()
    for line, (host_id, resource, date, percent) in csv_rows(samples_path, SAMPLES_HEADER):
        if resource not in RESOURCES:
            raise ValueError(f"{samples_path}:{line}: unknown resource {resource!r}")
        try:
            value = float(percent)
        except ValueError:
            raise ValueError(f"{samples_path}:{line}: {percent!r} is not a number") from None
        # The date goes as written: the server checks it (a bad one is a
        # rejected row, listed in the response).
        message.samples.add(host_id=host_id, resource=RESOURCES[resource], date=date,
                            p95_utilization_percent=value)
        if len(message.samples) == batch_rows:
            yield message
            message = fleet.IngestTelemetryRequest()
    if message.samples:
        yield message


class RequestStream:
    """Iterates `requests`, keeping in .error the exception that stops it.
    grpc reads a request stream on a thread of its own: an exception there
    goes to grpc's logger and cancels the call (so the server writes
    nothing), which then fails with UNKNOWN "Exception iterating requests!".
    The caller raises the kept exception instead (e.g. the CSV line that is
    wrong)."""

    def __init__(self, requests):
        self._requests = requests
        self.error = None

    def __iter__(self):
        try:
            yield from self._requests
        except Exception as error:
            self.error = error
            raise


@hs.translate_errors()
def main():
    arguments = parse_arguments()
    hosts_path = arguments.hosts_csv
    if hosts_path is None and os.path.exists(arguments.csv + ".hosts.csv"):
        hosts_path = arguments.csv + ".hosts.csv"
    with hs.connect_from_arguments(arguments) as channel:
        stub = fleet_service_pb2_grpc.FleetServiceStub(channel)
        requests = RequestStream(ingest_requests(arguments.csv, hosts_path, arguments.batch_rows))
        try:
            ingest = stub.IngestTelemetry(iter(requests), timeout=600)
        except grpc.RpcError:
            if requests.error is not None:
                raise requests.error from None
            raise
        print(f"ingested: {ingest.rows_accepted} rows accepted, {ingest.rows_rejected} rejected, "
              f"{ingest.hosts_upserted} hosts, {ingest.series_written} series, "
              f"{ingest.duplicates_replaced} duplicates replaced")
        for rejection in ingest.rejections[:10]:
            print(f"  rejected sample {rejection.index} ({rejection.host_id}): "
                  f"{rejection.field} {rejection.reason}")

        last = None
        for event in stub.RunCompetition(fleet.RunCompetitionRequest()):
            last = event
            print(f"run {event.run_id} {fleet.RunState.Name(event.state)}: "
                  f"{event.series_done}/{event.series_total} series", flush=True)
    if last is None or last.state != fleet.RUN_STATE_SUCCEEDED:
        error = last.error if last is not None else "the stream ended without an event"
        raise SystemExit(f"fleet_tournament: the run did not succeed: {error}")
    summary = last.summary
    print(f"summary: {summary.series} series in {summary.elapsed.ToTimedelta()}, "
          f"{summary.series_at_risk} at risk (High Trust)")
    for model in summary.wins:
        print(f"  {common_pb2.ForecastModel.Name(model.model)}: champion of {model.wins}, "
              f"median MAPE {model.median_mape_percent:.2f} %")


if __name__ == "__main__":
    try:
        main()
    except (hs.HorizonScaleError, ValueError, OSError) as error:
        sys.exit(f"fleet_tournament: {error}")
