// A fresh PostgreSQL database per test, created in the cluster that the PG*
// environment variables point at (tests/run-all.sh runs the suite under
// pg_virtualenv, which sets them) and dropped when the object goes away.
#pragma once

#include <string>

namespace horizonscale::testing {

class TestDatabase {
 public:
  // Creates database `hs_test_<pid>_<counter>`; aborts the test binary with a
  // clear message when no PostgreSQL is reachable.
  TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase();

  // libpq connection string of the database (other parameters from PG*).
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string url_;
};

}  // namespace horizonscale::testing
