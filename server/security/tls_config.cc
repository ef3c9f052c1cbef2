#include "server/security/tls_config.h"

#include <arpa/inet.h>

#include <cstdio>
#include <memory>

#include <absl/strings/str_cat.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace horizonscale::server {
namespace {

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

struct FileCloser {
  void operator()(FILE* file) const { fclose(file); }
};
using File = std::unique_ptr<FILE, FileCloser>;

absl::Status Unreadable(std::string_view flag, const std::string& path, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(AbslView(flag), "=", path, " is invalid: ", AbslView(what)));
}

// The first certificate of a PEM file, or null.
X509* ReadCertificate(const std::string& path) {
  File file(fopen(path.c_str(), "r"));
  return file ? PEM_read_X509(file.get(), nullptr, nullptr, nullptr) : nullptr;
}

}  // namespace

absl::Status CheckTlsConfig(const TlsConfig& config) {
  if (config.cert_file.empty() != config.key_file.empty()) {
    return absl::InvalidArgumentError(
        config.cert_file.empty() ? "--tls_key is set without --tls_cert: give both or neither"
                                 : "--tls_cert is set without --tls_key: give both or neither");
  }
  if (!config.enabled()) {
    if (!config.client_ca_file.empty()) {
      return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
    }
    if (config.client_certificates != ClientCertificates::kNone) {
      return absl::InvalidArgumentError("--tls_client_auth needs --tls_cert and --tls_key");
    }
    return absl::OkStatus();
  }
  if (config.client_certificates != ClientCertificates::kNone && config.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_auth=request or require needs --tls_client_ca (the CA that signs client "
        "certificates)");
  }
  std::unique_ptr<X509, decltype(&X509_free)> certificate(ReadCertificate(config.cert_file),
                                                          X509_free);
  if (certificate == nullptr) {
    return Unreadable("--tls_cert", config.cert_file, "not a readable PEM certificate");
  }
  File key_file(fopen(config.key_file.c_str(), "r"));
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      key_file ? PEM_read_PrivateKey(key_file.get(), nullptr, nullptr, nullptr) : nullptr,
      EVP_PKEY_free);
  if (key == nullptr) {
    return Unreadable("--tls_key", config.key_file, "not a readable, unencrypted PEM private key");
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return Unreadable("--tls_key", config.key_file, "not the key of --tls_cert's certificate");
  }
  if (!config.client_ca_file.empty()) {
    std::unique_ptr<X509, decltype(&X509_free)> ca(ReadCertificate(config.client_ca_file),
                                                   X509_free);
    if (ca == nullptr) {
      return Unreadable("--tls_client_ca", config.client_ca_file, "not a readable PEM certificate");
    }
  }
  return absl::OkStatus();
}

bool IsLoopbackHost(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

absl::Status CheckListenSecurity(std::string_view flag, std::string_view address, bool tls,
                                 bool allow_insecure) {
  if (tls || allow_insecure) return absl::OkStatus();
  const size_t colon = address.rfind(':');
  const std::string_view host =
      colon == std::string_view::npos ? address : address.substr(0, colon);
  if (IsLoopbackHost(host)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      AbslView(flag), "=", AbslView(address),
      " would serve plaintext to other machines: give --tls_cert and --tls_key, listen on a "
      "loopback address, or pass --allow_insecure (e.g. behind a TLS-terminating proxy or in a "
      "development cluster)"));
}

}  // namespace horizonscale::server
