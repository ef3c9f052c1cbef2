// TLS for the server's ports (gRPC, with the KEDA scaler, and HTTP): which
// certificate, key and client CA files, whether client certificates are
// asked for, and the rule that keeps a production deployment from serving
// plaintext by accident.
#pragma once

#include <string>
#include <string_view>

#include <absl/status/status.h>

namespace horizonscale::server {

// Whether clients must present a certificate signed by the client CA.
enum class ClientCertificates {
  kNone,     // not asked for
  kRequest,  // asked for; a client without one is served, one with a bad one refused
  kRequire,  // a client without a valid certificate is refused in the handshake
};

struct TlsConfig {
  std::string cert_file{};       // PEM certificate chain; empty: no TLS
  std::string key_file{};        // PEM private key
  std::string client_ca_file{};  // PEM CA certificates that sign client certificates
  ClientCertificates client_certificates = ClientCertificates::kNone;

  bool enabled() const { return !cert_file.empty(); }
};

// How often the certificate, key and client CA files are read again:
// Kubernetes rewrites mounted secrets in place; new connections get the new
// certificate, open ones keep theirs.
inline constexpr int kTlsReloadSeconds = 10;

// OK when `config` can serve: certificate and key given together and both
// readable PEM that belong together, a client CA readable PEM when given,
// and one given whenever client certificates are requested or required.
// INVALID_ARGUMENT naming the flag (--tls_cert, --tls_key, --tls_client_ca,
// --tls_client_auth) otherwise.
absl::Status CheckTlsConfig(const TlsConfig& config);

// True for a loopback host: "localhost", 127.0.0.0/8, ::1 (brackets allowed).
bool IsLoopbackHost(std::string_view host);

// OK when `address` (host:port, the value of `flag`) may be served as
// configured: with TLS, or on a loopback host, or with `allow_insecure`.
// FAILED_PRECONDITION naming the flag otherwise (a plaintext port reachable
// from other machines must be asked for with --allow_insecure).
absl::Status CheckListenSecurity(std::string_view flag, std::string_view address, bool tls,
                                 bool allow_insecure);

}  // namespace horizonscale::server
