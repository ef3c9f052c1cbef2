#include "tests/support/test_certificates.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

namespace horizonscale::testing {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The output of a shell command.
std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::atomic<int> next_directory{0};

}  // namespace

TestCertificates::TestCertificates()
    : directory_(std::filesystem::temp_directory_path() /
                 absl::StrCat("hs-certificates-", getpid(), "-", next_directory++)) {
  std::filesystem::create_directories(directory_);
  const std::string script = absl::StrCat(
      "set -e; cd ", directory_.string(), "\n",
      "ca() { openssl req -x509 -newkey rsa:2048 -nodes -keyout $1.key -out $1.pem -days 2 "
      "-subj \"/CN=$1\" 2>/dev/null; }\n",
      "leaf() { openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr -subj \"/CN=$3\" "
      "2>/dev/null; printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $1.ext; "
      "openssl x509 -req -in $1.csr -CA $2.pem -CAkey $2.key -CAcreateserial -out $1.pem "
      "-days 2 -extfile $1.ext 2>/dev/null; }\n",
      "ca ca; ca rogue-ca\n", "leaf server ca horizonscale; leaf server2 ca horizonscale\n",
      "leaf client ca keda-operator; leaf reader-client ca dashboard-reader\n",
      "leaf rogue rogue-ca intruder\n", "cp server.pem live.pem; cp server.key live.key\n");
  EXPECT_EQ(std::system(script.c_str()), 0);
}

TestCertificates::~TestCertificates() { std::filesystem::remove_all(directory_); }

std::string TestCertificates::Path(const std::string& name) const {
  return (directory_ / name).string();
}

std::string TestCertificates::Pem(const std::string& name) const {
  return ReadFile(directory_ / name);
}

std::shared_ptr<grpc::Channel> TestCertificates::Channel(int port,
                                                         const std::string& client) const {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = Pem("ca.pem");
  if (!client.empty()) {
    ssl.pem_cert_chain = Pem(client + ".pem");
    ssl.pem_private_key = Pem(client + ".key");
  }
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(ssl),
                                   arguments);
}

std::string TestCertificates::ServedSerial(int port) const {
  return Run(absl::StrCat("openssl s_client -connect 127.0.0.1:", port,
                          " -alpn h2,http/1.1 </dev/null 2>/dev/null | openssl x509 -noout "
                          "-serial 2>/dev/null"));
}

std::string TestCertificates::Serial(const std::string& name) const {
  return Run(absl::StrCat("openssl x509 -noout -serial -in ", Path(name)));
}

}  // namespace horizonscale::testing
