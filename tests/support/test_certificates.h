// Certificates for the TLS and access-control tests, made with Debian's
// openssl in a temporary directory (removed with the object): a CA "ca",
// server certificates "server" and "server2" for 127.0.0.1 / localhost
// (CN horizonscale; "live" is a copy of "server", for rotation), a client
// certificate "client" the CA signed (CN keda-operator), a second one
// "reader-client" (CN dashboard-reader), and "rogue", a client
// certificate of another CA (CN intruder). Each NAME has NAME.pem and
// NAME.key.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

namespace horizonscale::testing {

class TestCertificates {
 public:
  TestCertificates();
  ~TestCertificates();
  TestCertificates(const TestCertificates&) = delete;
  TestCertificates& operator=(const TestCertificates&) = delete;

  // The path of file `name` (e.g. "ca.pem").
  std::string Path(const std::string& name) const;
  // The contents of file `name`.
  std::string Pem(const std::string& name) const;

  // A TLS channel to 127.0.0.1:`port` with a connection of its own,
  // trusting "ca" and presenting certificate `client` ("" none).
  std::shared_ptr<grpc::Channel> Channel(int port, const std::string& client) const;

  // The serial of the certificate served on 127.0.0.1:`port` (openssl
  // s_client), and of the certificate file `name`.
  std::string ServedSerial(int port) const;
  std::string Serial(const std::string& name) const;

 private:
  std::filesystem::path directory_;
};

}  // namespace horizonscale::testing
