// The gRPC port's credentials from a TlsConfig: plaintext without one, else
// TLS whose certificate, key and client CA are read again every
// kTlsReloadSeconds (grpc's FileWatcherCertificateProvider): a rotated
// certificate is served to new connections without a restart, and open
// connections are not dropped.
#pragma once

#include <memory>

#include <grpcpp/security/server_credentials.h>

#include "server/security/tls_config.h"

namespace horizonscale::server {

// `config` must have passed CheckTlsConfig.
std::shared_ptr<grpc::ServerCredentials> GrpcServerCredentials(const TlsConfig& config);

}  // namespace horizonscale::server
