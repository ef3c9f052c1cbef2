// How a command-line client reaches the server: plaintext or TLS (trusting
// a CA, optionally presenting a client certificate) and a bearer token sent
// with every call, for servers with an --access_file. Shared by the load
// generator, the fleet generator and hsctl.
#pragma once

#include <memory>
#include <string>

#include <absl/status/statusor.h>
#include <grpcpp/grpcpp.h>

namespace horizonscale::clients {

struct ConnectionOptions {
  std::string target{};      // HOST:PORT
  std::string tls_ca{};      // PEM CA file; empty: plaintext
  std::string tls_cert{};    // PEM client certificate (mTLS); needs tls_key
  std::string tls_key{};     // PEM key of tls_cert
  std::string token_file{};  // a file whose first line is the bearer token
};

// A connection: the channel and the authorization value each call carries.
struct Connection {
  std::shared_ptr<grpc::Channel> channel;
  std::string authorization;  // "Bearer <token>", or empty

  // Adds the bearer token, if any, to a call.
  void Authorize(grpc::ClientContext& context) const;
};

// Opens `options.target` as the options say, with `arguments` (e.g. a
// connection of its own). INVALID_ARGUMENT naming the option for a file
// that cannot be read, a certificate without its key (or the reverse), a
// client certificate without --tls_ca, or a token file whose first line is
// empty.
absl::StatusOr<Connection> Connect(const ConnectionOptions& options,
                                   const grpc::ChannelArguments& arguments = {});

}  // namespace horizonscale::clients
