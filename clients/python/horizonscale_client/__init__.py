"""Convenience layer over the generated HorizonScale API modules.

The generated modules (horizonscale.v1.*_pb2 and *_pb2_grpc, google.rpc's
status and error details, externalscaler) are the API; this package adds only
what every client would otherwise rewrite:

- connect(): a channel, plaintext or TLS, carrying a bearer token;
- time_series(): a horizonscale.v1.TimeSeries from (time, value) pairs;
- HorizonScaleError, call() and translate_errors(): grpc.RpcError turned into
  an exception carrying the status code, the ErrorInfo reason and the
  BadRequest field violations the server attaches.

Needs Debian's python3-grpcio and python3-protobuf (/usr/bin/python3).
"""

from horizonscale_client.connection import (add_connection_arguments, connect,
                                            connect_from_arguments, read_token_file)
from horizonscale_client.errors import HorizonScaleError, call, translate_errors
from horizonscale_client.series import time_series

__all__ = [
    "HorizonScaleError",
    "add_connection_arguments",
    "call",
    "connect",
    "connect_from_arguments",
    "read_token_file",
    "time_series",
    "translate_errors",
]
