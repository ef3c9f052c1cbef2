// The real horizonscale-server binary as a child process, for end-to-end
// tests: started with flags, its log captured to a file, signalled and
// waited for like an operator (or Kubernetes) would.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace horizonscale::testing {

// A loopback TCP port that was free a moment ago.
int FreeLoopbackPort();

class ServerProcess {
 public:
  // Starts `binary` with `args`; stdout and stderr go to a temporary log file.
  ServerProcess(const std::string& binary, const std::vector<std::string>& args);
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // Kills the process (SIGKILL) if it still runs.
  ~ServerProcess();

  void Signal(int signal) const;

  // Waits up to `timeout` for the process to exit. Returns its exit code, or
  // 128 + signal when a signal killed it, or nullopt on timeout.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);

  bool Running();

  // The port the server logged it listens on (its "listening" line, text
  // log format), waiting up to `timeout`; nullopt when it exited or never
  // said. With --listen=HOST:0 the kernel picks the port: no race with other
  // tests' servers for a port that was free a moment ago.
  std::optional<int> ListeningPort(std::chrono::milliseconds timeout);

  // The same for the HTTP port (its "http_listening" line). A server started
  // without --http_listen gets --http_listen=127.0.0.1:0.
  std::optional<int> HttpPort(std::chrono::milliseconds timeout);

  // Everything the process has logged so far.
  std::string Log() const;

 private:
  // The port= of the first line holding `event_name`.
  std::optional<int> LoggedPort(std::string_view event_name, std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_path_;
};

}  // namespace horizonscale::testing
