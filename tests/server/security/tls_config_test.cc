// The TLS flags' checks and the plaintext rule: what counts as loopback,
// which addresses need TLS or --allow_insecure, and bad certificate files
// named by their flag.
#include "server/security/tls_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace horizonscale::server {
namespace {

TEST(TlsConfig, LoopbackHosts) {
  for (const char* host : {"localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"0.0.0.0", "::", "[::]", "10.0.0.1", "horizonscale", "128.0.0.1", ""}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(TlsConfig, PlaintextOnlyOnLoopbackUnlessAllowed) {
  EXPECT_TRUE(CheckListenSecurity("--listen", "127.0.0.1:50051", false, false).ok());
  EXPECT_TRUE(CheckListenSecurity("--listen", "[::1]:50051", false, false).ok());
  EXPECT_TRUE(CheckListenSecurity("--listen", "0.0.0.0:50051", true, false).ok());
  EXPECT_TRUE(CheckListenSecurity("--listen", "0.0.0.0:50051", false, true).ok());
  const absl::Status refused = CheckListenSecurity("--http_listen", "0.0.0.0:8080", false, false);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("--http_listen=0.0.0.0:8080"), std::string::npos);
  EXPECT_NE(refused.message().find("--allow_insecure"), std::string::npos);
}

class TlsFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() / absl::StrCat("hs-tls-", getpid());
    std::filesystem::create_directories(directory_);
    const std::string d = directory_.string();
    ASSERT_EQ(
        std::system(
            absl::StrCat(
                "cd ", d,
                " && openssl req -x509 -newkey rsa:2048 -nodes -keyout a.key -out a.pem -days 1 "
                "-subj /CN=a 2>/dev/null && openssl req -x509 -newkey rsa:2048 -nodes -keyout "
                "b.key -out b.pem -days 1 -subj /CN=b 2>/dev/null")
                .c_str()),
        0);
    std::ofstream(directory_ / "junk.pem") << "not a certificate\n";
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string Path(const char* name) const { return (directory_ / name).string(); }

  std::filesystem::path directory_;
};

TEST_F(TlsFiles, BadFilesAreNamedByTheirFlag) {
  EXPECT_TRUE(CheckTlsConfig({}).ok());
  EXPECT_TRUE(CheckTlsConfig({.cert_file = Path("a.pem"), .key_file = Path("a.key")}).ok());
  EXPECT_TRUE(CheckTlsConfig({.cert_file = Path("a.pem"),
                              .key_file = Path("a.key"),
                              .client_ca_file = Path("b.pem"),
                              .client_certificates = ClientCertificates::kRequire})
                  .ok());
  struct Case {
    TlsConfig config;
    const char* named;
  };
  const Case cases[] = {
      {{.cert_file = Path("a.pem")}, "--tls_key"},
      {{.key_file = Path("a.key")}, "--tls_cert"},
      {{.cert_file = Path("missing.pem"), .key_file = Path("a.key")}, "--tls_cert"},
      {{.cert_file = Path("junk.pem"), .key_file = Path("a.key")}, "--tls_cert"},
      {{.cert_file = Path("a.pem"), .key_file = Path("b.key")}, "--tls_key"},
      {{.cert_file = Path("a.pem"), .key_file = Path("a.key"), .client_ca_file = Path("junk.pem")},
       "--tls_client_ca"},
      {{.cert_file = Path("a.pem"),
        .key_file = Path("a.key"),
        .client_certificates = ClientCertificates::kRequire},
       "--tls_client_ca"},
      {{.client_ca_file = Path("b.pem")}, "--tls_client_ca"},
  };
  for (const Case& c : cases) {
    const absl::Status status = CheckTlsConfig(c.config);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.named;
    EXPECT_NE(status.message().find(c.named), std::string::npos) << status.message();
  }
}

}  // namespace
}  // namespace horizonscale::server
