// A PostgreSQL cluster of the test's own (initdb + pg_ctl in a temporary
// directory, reached through a unix socket there), which the test may stop
// and start again: for tests of database outages, which must not touch the
// shared cluster of the other tests. Runs PostgreSQL as the postgres user
// when the test runs as root (PostgreSQL refuses to run as root).
#pragma once

#include <string>

namespace horizonscale::testing {

class PrivateCluster {
 public:
  // Creates and starts the cluster (about 1.5 s); throws std::runtime_error
  // with the tool's output when initdb or pg_ctl fails.
  PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;
  // Stops the cluster (immediately) and deletes its directory.
  ~PrivateCluster();

  // Stops the server with pg_ctl's `mode` ("fast", "immediate": a crash, the
  // next start recovers from the WAL). Throws on failure.
  void Stop(const std::string& mode);
  // Starts the server and waits until it accepts connections. Throws on
  // failure.
  void Start();

  // libpq connection string of the cluster's postgres database.
  std::string url() const;

 private:
  std::string dir_;
  bool running_ = false;
};

}  // namespace horizonscale::testing
