"""Channels to a HorizonScale server, as the C++ clients open them
(clients/connection/): plaintext, or TLS trusting a CA and optionally
presenting a client certificate, with a bearer token on every call."""

import argparse
import collections

import grpc


class _CallDetails(
        collections.namedtuple(
            "_CallDetails",
            ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
        grpc.ClientCallDetails):
    pass


class _AuthorizationInterceptor(grpc.UnaryUnaryClientInterceptor,
                                grpc.UnaryStreamClientInterceptor,
                                grpc.StreamUnaryClientInterceptor,
                                grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to the metadata of every call.

    Metadata rather than grpc call credentials, which grpc refuses to send on
    a plaintext channel: the server's loopback development setup is
    plaintext, and one mechanism serves both kinds of channel."""

    def __init__(self, token):
        self._header = ("authorization", f"Bearer {token}")

    def _authorized(self, details):
        metadata = list(details.metadata or []) + [self._header]
        return _CallDetails(details.method, details.timeout, metadata, details.credentials,
                            details.wait_for_ready, details.compression)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._authorized(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._authorized(details), request)

    def intercept_stream_unary(self, continuation, details, request_iterator):
        return continuation(self._authorized(details), request_iterator)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._authorized(details), request_iterator)


def _read(argument, path):
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise ValueError(f"{argument}: cannot read {path}: {error.strerror}") from error


def connect(target, tls_ca=None, tls_cert=None, tls_key=None, token=None):
    """Returns a grpc.Channel to `target` ("HOST:PORT").

    Plaintext unless `tls_ca` (path of a PEM CA file) is given; `tls_cert`
    and `tls_key` (PEM paths) add a client certificate and go together.
    `token`, when given, is sent as `authorization: Bearer <token>` metadata
    with every call (for a server with an --access_file; over plaintext only
    on a network you trust). Raises ValueError, naming the argument, for a
    file that cannot be read, a certificate without its key (or the reverse)
    or a client certificate without tls_ca. The channel connects lazily; the
    caller closes it (it is a context manager)."""
    if bool(tls_cert) != bool(tls_key):
        raise ValueError("tls_cert and tls_key go together")
    if tls_ca:
        credentials = grpc.ssl_channel_credentials(
            root_certificates=_read("tls_ca", tls_ca),
            private_key=_read("tls_key", tls_key) if tls_key else None,
            certificate_chain=_read("tls_cert", tls_cert) if tls_cert else None)
        channel = grpc.secure_channel(target, credentials)
    elif tls_cert:
        raise ValueError("tls_cert needs tls_ca (the server's CA)")
    else:
        channel = grpc.insecure_channel(target)
    if token:
        channel = grpc.intercept_channel(channel, _AuthorizationInterceptor(token))
    return channel


def read_token_file(path):
    """Returns the bearer token in the first line of file `path`, trailing
    whitespace removed; ValueError when the file cannot be read or that line
    is empty (the C++ clients' --token_file)."""
    lines = _read("token_file", path).decode("utf-8", errors="replace").splitlines()
    token = lines[0].rstrip() if lines else ""
    if not token:
        raise ValueError(f"token_file: {path} holds no token on its first line")
    return token


def add_connection_arguments(parser: argparse.ArgumentParser):
    """Adds the C++ clients' connection flags to `parser`: --target,
    --tls_ca, --tls_cert, --tls_key and --token_file."""
    group = parser.add_argument_group("connection")
    group.add_argument("--target", default="127.0.0.1:50051",
                       help="the server's gRPC address HOST:PORT (default %(default)s)")
    group.add_argument("--tls_ca", help="TLS, trusting this PEM CA file (default: plaintext)")
    group.add_argument("--tls_cert", help="client certificate, PEM (mTLS; needs --tls_key)")
    group.add_argument("--tls_key", help="key of --tls_cert, PEM")
    group.add_argument("--token_file",
                       help="file whose first line is a bearer token (servers with an access file)")


def connect_from_arguments(arguments):
    """connect() with the flags of add_connection_arguments(), parsed."""
    token = read_token_file(arguments.token_file) if arguments.token_file else None
    return connect(arguments.target, tls_ca=arguments.tls_ca, tls_cert=arguments.tls_cert,
                   tls_key=arguments.tls_key, token=token)
