#include "clients/connection/connection.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include <absl/strings/str_cat.h>

namespace horizonscale::clients {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("--", flag, ": cannot read ", path));
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

void Connection::Authorize(grpc::ClientContext& context) const {
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
}

absl::StatusOr<Connection> Connect(const ConnectionOptions& options,
                                   const grpc::ChannelArguments& arguments) {
  Connection connection;
  if (!options.token_file.empty()) {
    absl::StatusOr<std::string> token = ReadFile("token_file", options.token_file);
    if (!token.ok()) return token.status();
    std::string line = token->substr(0, token->find('\n'));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (line.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file: ", options.token_file, " holds no token on its first line"));
    }
    connection.authorization = "Bearer " + line;
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (options.tls_ca.empty()) {
    if (!options.tls_cert.empty()) {
      return absl::InvalidArgumentError("--tls_cert needs --tls_ca (the server's CA)");
    }
    connection.channel =
        grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), arguments);
    return connection;
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca = ReadFile("tls_ca", options.tls_ca);
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *std::move(ca);
  if (!options.tls_cert.empty()) {
    absl::StatusOr<std::string> cert = ReadFile("tls_cert", options.tls_cert);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadFile("tls_key", options.tls_key);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *std::move(cert);
    ssl.pem_private_key = *std::move(key);
  }
  connection.channel =
      grpc::CreateCustomChannel(options.target, grpc::SslCredentials(ssl), arguments);
  return connection;
}

}  // namespace horizonscale::clients
