#include "server/security/http_tls.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "server/common/log.h"
#include "server/security/file_signature.h"

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

// The signatures of the certificate, key and client CA files together.
std::string FilesSignature(const TlsConfig& config) {
  return FileSignature(config.cert_file) + ";" + FileSignature(config.key_file) + ";" +
         FileSignature(config.client_ca_file);
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

std::vector<std::string> PeerCertificateNames(const SSL* ssl) {
  std::vector<std::string> names;
  if (ssl == nullptr || SSL_get_verify_result(ssl) != X509_V_OK) return names;
  X509* certificate = SSL_get1_peer_certificate(ssl);
  if (certificate == nullptr) return names;
  auto* alternatives = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; alternatives != nullptr && i < sk_GENERAL_NAME_num(alternatives); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(alternatives, i);
    if (name->type == GEN_DNS || name->type == GEN_URI || name->type == GEN_EMAIL) {
      const ASN1_IA5STRING* text = name->d.ia5;
      names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                         static_cast<size_t>(ASN1_STRING_length(text)));
    }
  }
  GENERAL_NAMES_free(alternatives);
  X509_NAME* subject = X509_get_subject_name(certificate);
  const int index =
      subject == nullptr ? -1 : X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index >= 0) {
    unsigned char* utf8 = nullptr;
    const int length =
        ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
    if (length >= 0) names.emplace_back(reinterpret_cast<const char*>(utf8), length);
    OPENSSL_free(utf8);
  }
  X509_free(certificate);
  return names;
}

}  // namespace horizonscale::server
