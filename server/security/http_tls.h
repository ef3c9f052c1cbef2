// The HTTP port's TLS (OpenSSL, under cpp-httplib's SSLServer): the
// certificate, key and client CA are read from their files again when they
// change (inode, size or times; checked at most every kTlsReloadSeconds, at
// a handshake), so a
// rotated certificate is served to new connections without a restart; a
// file that fails to load keeps the previous one (logged).
//
// Thread safety: handshakes on many threads at once.
#pragma once

#include <openssl/ssl.h>

#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/security/tls_config.h"

namespace horizonscale::server {

class HttpTlsContext {
 public:
  // `config` must have passed CheckTlsConfig and be enabled.
  explicit HttpTlsContext(TlsConfig config);
  HttpTlsContext(const HttpTlsContext&) = delete;
  HttpTlsContext& operator=(const HttpTlsContext&) = delete;
  ~HttpTlsContext();

  // Sets `context` up to serve (protocol versions, client certificate
  // checks, and a callback taking this object's current files at each
  // handshake); false when it cannot. This object must outlive `context`.
  bool SetUp(SSL_CTX& context);

 private:
  struct Material;  // one loaded certificate chain, key and client CA store

  // The files of `config`, or null (with the reason in `why`).
  static std::shared_ptr<const Material> Load(const TlsConfig& config, std::string& why);

  // Applies the current material to a connection (reloading it first when
  // it is due and the files changed). Returns 1, or 0 to fail the handshake.
  int Apply(SSL* ssl);
  static int CertificateCallback(SSL* ssl, void* self);

  const TlsConfig config_;
  std::mutex mutex_;
  std::shared_ptr<const Material> material_;  // guarded by mutex_
  time_t checked_at_ = 0;                     // guarded by mutex_
  std::string files_signature_;               // guarded by mutex_: of the files loaded
};

// The names of the client certificate of `ssl`'s connection when the
// handshake verified it against the client CA: its subject alternative
// names (DNS, URI, e-mail), then its common name. Empty without one (or
// with `ssl` null: plaintext).
std::vector<std::string> PeerCertificateNames(const SSL* ssl);

}  // namespace horizonscale::server
