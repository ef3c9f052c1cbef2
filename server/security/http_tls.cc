#include "server/security/http_tls.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "server/common/log.h"

namespace horizonscale::server {

struct HttpTlsContext::Material {
  std::vector<X509*> chain;  // the leaf first
  EVP_PKEY* key = nullptr;
  X509_STORE* client_ca = nullptr;                  // null: no client CA
  STACK_OF(X509_NAME) * client_ca_names = nullptr;  // what the server asks for

  Material() = default;
  Material(const Material&) = delete;
  Material& operator=(const Material&) = delete;
  ~Material() {
    for (X509* certificate : chain) X509_free(certificate);
    EVP_PKEY_free(key);
    X509_STORE_free(client_ca);
    if (client_ca_names != nullptr) sk_X509_NAME_pop_free(client_ca_names, X509_NAME_free);
  }
};

namespace {

// What identifies the files' current contents: for each, its inode, size and
// modification and change times in nanoseconds (a rewrite within one second
// shows; Kubernetes swaps a secret's symlink, which changes the inode).
std::string FilesSignature(const TlsConfig& config) {
  std::string signature;
  for (const std::string* path : {&config.cert_file, &config.key_file, &config.client_ca_file}) {
    struct stat info {};
    if (path->empty() || stat(path->c_str(), &info) != 0) {
      signature += "-;";
      continue;
    }
    signature += std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) + ":" +
                 std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec) +
                 ":" + std::to_string(info.st_ctim.tv_sec) + "." +
                 std::to_string(info.st_ctim.tv_nsec) + ";";
  }
  return signature;
}

}  // namespace

std::shared_ptr<const HttpTlsContext::Material> HttpTlsContext::Load(const TlsConfig& config,
                                                                     std::string& why) {
  auto material = std::make_shared<Material>();
  FILE* cert_file = fopen(config.cert_file.c_str(), "r");
  if (cert_file == nullptr) {
    why = "cannot open --tls_cert";
    return nullptr;
  }
  while (X509* certificate = PEM_read_X509(cert_file, nullptr, nullptr, nullptr)) {
    material->chain.push_back(certificate);
  }
  fclose(cert_file);
  ERR_clear_error();  // the end of the file reads as an error
  FILE* key_file = fopen(config.key_file.c_str(), "r");
  if (key_file != nullptr) {
    material->key = PEM_read_PrivateKey(key_file, nullptr, nullptr, nullptr);
    fclose(key_file);
  }
  if (material->chain.empty() || material->key == nullptr ||
      X509_check_private_key(material->chain.front(), material->key) != 1) {
    why = "--tls_cert and --tls_key are not a PEM certificate and its key";
    ERR_clear_error();
    return nullptr;
  }
  if (!config.client_ca_file.empty()) {
    material->client_ca = X509_STORE_new();
    material->client_ca_names = SSL_load_client_CA_file(config.client_ca_file.c_str());
    if (X509_STORE_load_file(material->client_ca, config.client_ca_file.c_str()) != 1 ||
        material->client_ca_names == nullptr) {
      why = "--tls_client_ca is not PEM CA certificates";
      ERR_clear_error();
      return nullptr;
    }
  }
  return material;
}

HttpTlsContext::HttpTlsContext(TlsConfig config) : config_(std::move(config)) {
  std::string why;
  material_ = Load(config_, why);
  files_signature_ = FilesSignature(config_);
  checked_at_ = time(nullptr);
  if (material_ == nullptr) Log(spdlog::level::err, "http_tls_not_loaded", {{"why", why}});
}

HttpTlsContext::~HttpTlsContext() = default;

bool HttpTlsContext::SetUp(SSL_CTX& context) {
  if (material_ == nullptr) return false;
  SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION);
  SSL_CTX_set_cert_cb(&context, &HttpTlsContext::CertificateCallback, this);
  int mode = SSL_VERIFY_NONE;
  if (config_.client_certificates == ClientCertificates::kRequest) mode = SSL_VERIFY_PEER;
  if (config_.client_certificates == ClientCertificates::kRequire) {
    mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  SSL_CTX_set_verify(&context, mode, nullptr);
  return true;
}

int HttpTlsContext::CertificateCallback(SSL* ssl, void* self) {
  return static_cast<HttpTlsContext*>(self)->Apply(ssl);
}

int HttpTlsContext::Apply(SSL* ssl) {
  std::shared_ptr<const Material> material;
  {
    std::lock_guard lock(mutex_);
    const time_t now = time(nullptr);
    if (now - checked_at_ >= kTlsReloadSeconds) {
      checked_at_ = now;
      std::string signature = FilesSignature(config_);
      if (signature != files_signature_) {
        std::string why;
        if (std::shared_ptr<const Material> loaded = Load(config_, why)) {
          material_ = std::move(loaded);
          files_signature_ = std::move(signature);
          Log(spdlog::level::info, "http_tls_reloaded", {{"cert", config_.cert_file}});
        } else {
          Log(spdlog::level::warn, "http_tls_reload_failed",
              {{"why", why}, {"keeping", "the previous certificate"}});
        }
      }
    }
    material = material_;
  }
  if (SSL_use_certificate(ssl, material->chain.front()) != 1 ||
      SSL_use_PrivateKey(ssl, material->key) != 1) {
    return 0;
  }
  for (size_t i = 1; i < material->chain.size(); ++i) {
    if (SSL_add1_chain_cert(ssl, material->chain[i]) != 1) return 0;
  }
  if (material->client_ca != nullptr) {
    if (SSL_set1_verify_cert_store(ssl, material->client_ca) != 1) return 0;
    SSL_set_client_CA_list(ssl, SSL_dup_CA_list(material->client_ca_names));
  }
  return 1;
}

}  // namespace horizonscale::server
