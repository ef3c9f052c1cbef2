#include "tests/support/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace horizonscale::testing {

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(const std::string& binary, const std::vector<std::string>& args) {
  char path[] = "/tmp/hs-server-log-XXXXXX";
  const int log_fd = mkstemp(path);
  if (log_fd < 0) throw std::runtime_error("cannot create a log file");
  log_path_ = path;
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Never outlive the test: a crashed or killed test takes its server along.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    close(log_fd);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    // Many tests' servers run at once: unless a test chooses, the HTTP port
    // is the kernel's choice (HttpPort() reads it from the log), not 8080.
    static char http_any_port[] = "--http_listen=127.0.0.1:0";
    const bool is_server = binary.ends_with("horizonscale-server");
    bool http_chosen = false;
    for (const std::string& arg : args)
      http_chosen = http_chosen || arg.starts_with("--http_listen");
    if (is_server && !http_chosen) argv.push_back(http_any_port);
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(log_fd);
}

ServerProcess::~ServerProcess() {
  if (Running()) {
    kill(pid_, SIGKILL);
    WaitForExit(std::chrono::seconds(10));
  }
  unlink(log_path_.c_str());
}

void ServerProcess::Signal(int signal) const { kill(pid_, signal); }

std::optional<int> ServerProcess::WaitForExit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_.has_value()) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_code_;
}

bool ServerProcess::Running() { return !WaitForExit(std::chrono::milliseconds(0)).has_value(); }

std::optional<int> ServerProcess::ListeningPort(std::chrono::milliseconds timeout) {
  return LoggedPort(" listening ", timeout);
}

std::optional<int> ServerProcess::HttpPort(std::chrono::milliseconds timeout) {
  return LoggedPort(" http_listening ", timeout);
}

std::optional<int> ServerProcess::LoggedPort(std::string_view event_name,
                                             std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < give_up) {
    const std::string log = Log();
    if (const size_t event = log.find(event_name); event != std::string::npos) {
      const size_t key = log.find(" port=", event);
      const size_t line_end = log.find('\n', event);
      if (key != std::string::npos && key < line_end) return std::atoi(log.c_str() + key + 6);
    }
    if (!Running()) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

std::string ServerProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace horizonscale::testing
