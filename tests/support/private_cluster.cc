#include "tests/support/private_cluster.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace horizonscale::testing {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin/";

// Runs `command` (a shell command line) as the postgres user when root;
// returns its output, throwing with it when it fails.
std::string Run(const std::string& command) {
  const std::string line = (geteuid() == 0 ? "runuser -u postgres -- " : "") + command + " 2>&1";
  FILE* pipe = popen(line.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + line);
  std::string output;
  char buffer[512];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  if (status != 0) throw std::runtime_error(line + " failed:\n" + output);
  return output;
}

}  // namespace

PrivateCluster::PrivateCluster() {
  char path[] = "/tmp/hs-pg-XXXXXX";
  if (mkdtemp(path) == nullptr) throw std::runtime_error("cannot create a cluster directory");
  dir_ = path;
  if (geteuid() == 0) {
    const passwd* postgres = getpwnam("postgres");
    if (postgres == nullptr || chown(path, postgres->pw_uid, postgres->pw_gid) != 0) {
      throw std::runtime_error("cannot hand " + dir_ + " to the postgres user");
    }
  }
  Run(std::string(kBin) + "initdb -D " + dir_ + "/data -U postgres -A trust --no-sync");
  Start();
}

PrivateCluster::~PrivateCluster() {
  try {
    if (running_) Stop("immediate");
  } catch (const std::exception&) {
    // Nothing more to do: the directory goes anyway.
  }
  std::system(("rm -rf " + dir_).c_str());
}

void PrivateCluster::Stop(const std::string& mode) {
  Run(std::string(kBin) + "pg_ctl -D " + dir_ + "/data -w -m " + mode + " stop");
  running_ = false;
}

void PrivateCluster::Start() {
  Run(std::string(kBin) + "pg_ctl -D " + dir_ + "/data -w -l " + dir_ + "/log -o \"-k " + dir_ +
      " -c listen_addresses='' -c port=5432 -c fsync=off\" start");
  running_ = true;
}

std::string PrivateCluster::url() const {
  // The port names the socket file; given so that PGPORT cannot change it.
  return "host=" + dir_ + " port=5432 dbname=postgres user=postgres";
}

}  // namespace horizonscale::testing
