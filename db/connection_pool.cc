#include "db/connection_pool.h"

#include <utility>

#include <absl/strings/str_cat.h>

namespace horizonscale::db {

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

ConnectionPool::Lease::~Lease() {
  if (connection_ != nullptr) pool_->Return(std::move(connection_));
}

ConnectionPool::ConnectionPool(std::string url, int capacity, OnOpen on_open, OnLost on_lost)
    : url_(std::move(url)),
      capacity_(capacity),
      on_open_(std::move(on_open)),
      on_lost_(std::move(on_lost)) {}

ConnectionPool::~ConnectionPool() = default;

absl::StatusOr<std::unique_ptr<ConnectionPool>> ConnectionPool::Create(std::string url,
                                                                       int capacity, OnOpen on_open,
                                                                       OnLost on_lost) {
  if (capacity < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("database pool size must be at least 1, got ", capacity));
  }
  std::unique_ptr<ConnectionPool> pool(
      new ConnectionPool(std::move(url), capacity, std::move(on_open), std::move(on_lost)));
  absl::StatusOr<std::unique_ptr<pqxx::connection>> first = pool->Open();
  if (!first.ok()) return first.status();
  pool->open_ = 1;
  pool->idle_.push_back(*std::move(first));
  return pool;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::Open() const {
  try {
    auto connection = std::make_unique<pqxx::connection>(url_);
    if (on_open_) on_open_(*connection);
    return connection;
  } catch (const std::exception& error) {
    // libpq's messages span lines; keep log lines on one line.
    std::string reason = error.what();
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    for (char& c : reason) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    return absl::UnavailableError(absl::StrCat("cannot connect to the database: ", reason));
  }
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const auto free = [this] { return !idle_.empty() || open_ < capacity_; };
  bool available = free();
  if (!available) {
    ++waiting_;
    available = returned_.wait_for(lock, timeout, free);
    --waiting_;
  }
  if (!available) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "all ", capacity_, " database connections stayed busy for ", timeout.count(), " ms"));
  }
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->is_open()) return Lease(this, std::move(connection));
    --open_;  // broken while idle: replace it below
  }
  ++open_;  // reserve the slot before connecting without the lock
  lock.unlock();
  absl::StatusOr<std::unique_ptr<pqxx::connection>> opened = Open();
  if (!opened.ok()) {
    lock.lock();
    --open_;
    returned_.notify_one();
    lock.unlock();
    if (on_lost_) on_lost_(opened.status());
    return opened.status();
  }
  return Lease(this, *std::move(opened));
}

absl::Status ConnectionPool::Ping(std::chrono::milliseconds timeout) {
  absl::Status failure;
  for (int attempt = 0; attempt <= capacity_; ++attempt) {
    absl::StatusOr<Lease> lease = Acquire(timeout);
    if (!lease.ok()) return lease.status();
    try {
      pqxx::nontransaction tx(**lease);
      tx.exec1("SELECT 1");
      return absl::OkStatus();
    } catch (const std::exception& error) {
      failure = absl::UnavailableError(absl::StrCat("database ping failed: ", error.what()));
    }
    if ((*lease)->is_open()) break;  // the database answered, with an error
  }
  return failure;
}

ConnectionPool::Stats ConnectionPool::stats() {
  std::lock_guard lock(mutex_);
  const int idle = static_cast<int>(idle_.size());
  return {.capacity = capacity_, .in_use = open_ - idle, .idle = idle, .waiting = waiting_};
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection) {
  const bool open = connection->is_open();
  {
    std::lock_guard lock(mutex_);
    if (open) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
    returned_.notify_one();
  }
  if (!open && on_lost_) on_lost_(absl::UnavailableError("a database connection was lost"));
}

}  // namespace horizonscale::db
