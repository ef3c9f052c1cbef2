// A fixed-capacity pool of PostgreSQL connections (libpqxx).
//
// Connections are opened lazily up to the capacity and reopened when found
// broken (e.g. after a database restart), so a pool outlives outages.
//
// Thread safety: all methods may be called concurrently. A Lease, and the
// connection it grants, belongs to one thread at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <pqxx/pqxx>

namespace horizonscale::db {

class ConnectionPool {
 public:
  // Exclusive use of one pooled connection; returns it to the pool when
  // destroyed. A connection found closed on return is discarded.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    pqxx::connection& operator*() const { return *connection_; }
    pqxx::connection* operator->() const { return connection_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection);

    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
  };

  // Called on every newly opened connection, e.g. to register prepared
  // statements. May throw (libpqxx exceptions); the connection is then
  // discarded and the open reported as failed.
  using OnOpen = std::function<void(pqxx::connection&)>;

  // Called, on the thread that saw it, with the reason whenever the pool
  // finds the database unreachable after Create: a new connection could not
  // be opened, or a leased connection came back closed (lost while in use).
  // Must not call back into the pool.
  using OnLost = std::function<void(const absl::Status&)>;

  // Creates a pool of at most `capacity` connections to `url` (a libpq
  // connection string or URL; empty means libpq's PG* environment variables)
  // and opens the first connection to prove the database is reachable.
  // Returns INVALID_ARGUMENT for capacity < 1 and UNAVAILABLE (with libpq's
  // reason) when the database cannot be reached.
  static absl::StatusOr<std::unique_ptr<ConnectionPool>> Create(std::string url, int capacity,
                                                                OnOpen on_open = nullptr,
                                                                OnLost on_lost = nullptr);

  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  // Grants a connection, waiting up to `timeout` for one to be returned when
  // all are in use. Returns RESOURCE_EXHAUSTED when none freed up in time and
  // UNAVAILABLE when a new connection could not be opened.
  absl::StatusOr<Lease> Acquire(std::chrono::milliseconds timeout);

  // Runs `SELECT 1` on a pooled connection (on further ones, up to the
  // capacity, while the ones tried turn out closed, e.g. idle connections
  // left from before a database restart). OK when the database answers,
  // UNAVAILABLE (with the reason) otherwise.
  absl::Status Ping(std::chrono::milliseconds timeout);

  int capacity() const { return capacity_; }

  // The pool's connections at this moment (for metrics): leased (in_use,
  // including ones being opened), idle, and callers of Acquire waiting.
  struct Stats {
    int capacity = 0;
    int in_use = 0;
    int idle = 0;
    int waiting = 0;
  };
  Stats stats();

 private:
  ConnectionPool(std::string url, int capacity, OnOpen on_open, OnLost on_lost);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Open() const;
  void Return(std::unique_ptr<pqxx::connection> connection);

  const std::string url_;
  const int capacity_;
  const OnOpen on_open_;
  const OnLost on_lost_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // guarded by mutex_
  int open_ = 0;     // connections idle or leased, guarded by mutex_
  int waiting_ = 0;  // callers of Acquire waiting, guarded by mutex_
};

}  // namespace horizonscale::db
