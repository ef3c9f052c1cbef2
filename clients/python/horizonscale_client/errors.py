"""HorizonScale's errors as a Python exception.

The server answers a failed call with a canonical gRPC code and message and,
in the `grpc-status-details-bin` trailer, a google.rpc.Status whose details
hold a google.rpc.ErrorInfo (reason and domain "horizonscale") and, for bad
fields, a google.rpc.BadRequest naming them (README, "Talking to the server",
**Errors**)."""

import contextlib

import grpc
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

_DETAILS_TRAILER = "grpc-status-details-bin"


class HorizonScaleError(Exception):
    """A failed call.

    Attributes:
      code: the grpc.StatusCode.
      message: the status message, for a human.
      reason: the ErrorInfo reason (e.g. "INVALID_METRICS"); "" without one.
      domain: the ErrorInfo domain ("horizonscale"); "" without one.
      metadata: the ErrorInfo metadata, a dict of str (possibly empty).
      field_violations: the BadRequest field violations, a list of
        google.rpc.BadRequest.FieldViolation (`.field` is the path of the
        field, e.g. "current_metrics.arrival_rate_per_second";
        `.description` says what is wrong); empty without any.
      status: the whole google.rpc.Status (other details, such as RetryInfo,
        are in status.details), or None when the server sent none.
    """

    def __init__(self, code, message, reason="", domain="", metadata=None, field_violations=(),
                 status=None):
        self.code = code
        self.message = message
        self.reason = reason
        self.domain = domain
        self.metadata = dict(metadata or {})
        self.field_violations = list(field_violations)
        self.status = status
        super().__init__(str(self))

    def __str__(self):
        text = self.code.name + (f" ({self.reason})" if self.reason else "") + f": {self.message}"
        for violation in self.field_violations:
            text += f"\n  {violation.field}: {violation.description}"
        return text

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError):
        """The HorizonScaleError of `error`, a failed call (a grpc.RpcError
        that is also a grpc.Call, as every error a stub raises is). Details
        that are missing or cannot be parsed leave reason, domain, metadata
        and field_violations empty and status None."""
        code = error.code() if isinstance(error, grpc.Call) else grpc.StatusCode.UNKNOWN
        message = (error.details() if isinstance(error, grpc.Call) else None) or str(error)
        trailers = error.trailing_metadata() if isinstance(error, grpc.Call) else None
        status = None
        for key, value in trailers or ():
            if key == _DETAILS_TRAILER:
                try:
                    status = status_pb2.Status.FromString(value)
                except DecodeError:
                    pass
        info = error_details_pb2.ErrorInfo()
        violations = []
        for detail in status.details if status else ():
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                detail.Unpack(info)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad_request = error_details_pb2.BadRequest()
                detail.Unpack(bad_request)
                violations.extend(bad_request.field_violations)
        return cls(code, message, reason=info.reason, domain=info.domain,
                   metadata=info.metadata, field_violations=violations, status=status)


@contextlib.contextmanager
def translate_errors():
    """Raises HorizonScaleError (chained to the original) for any
    grpc.RpcError raised in its scope: `with translate_errors(): ...`, or
    as a decorator of a function, `@translate_errors()` (not of a generator
    function: its body runs after the decorator has returned). A streaming
    call raises while it is iterated, so iterate inside the scope."""
    try:
        yield
    except grpc.RpcError as error:
        raise HorizonScaleError.from_rpc_error(error) from error


def call(method, *args, **kwargs):
    """Returns method(*args, **kwargs) (e.g. a unary stub method and its
    request), raising HorizonScaleError instead of grpc.RpcError. For a
    server-streaming method, the stream it returns raises grpc.RpcError as it
    is iterated: use translate_errors() around the loop."""
    with translate_errors():
        return method(*args, **kwargs)
