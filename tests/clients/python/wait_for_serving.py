"""Waits until the server at argv[1] answers grpc.health.v1.Health/Check
with SERVING, for at most argv[2] seconds; exits 1 if it never does.

Debian's python3-grpcio has no grpc_health module, and modules generated
from grpc/health/v1 would belong to package grpc.health.v1, never found in
the client package because `grpc` is Debian's (a regular package, not a
namespace one). So the call is made with raw bytes: an empty
HealthCheckRequest (service "": the whole server) serializes to b"", and
HealthCheckResponse{status: SERVING} to b"\\x08\\x01" (field 1, varint 1)."""

import sys
import time

import grpc

SERVING = b"\x08\x01"


def main():
    target, timeout = sys.argv[1], float(sys.argv[2])
    deadline = time.monotonic() + timeout
    answer = None
    with grpc.insecure_channel(target) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        while time.monotonic() < deadline:
            try:
                answer = check(b"", timeout=2)
                if answer == SERVING:
                    return
            except grpc.RpcError as error:
                answer = error.code()
            time.sleep(0.2)
    sys.exit(f"{target} is not SERVING after {timeout:g} s (last answer: {answer!r})")


if __name__ == "__main__":
    main()
