#include "tests/support/test_database.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>

#include <pqxx/pqxx>

namespace horizonscale::testing {

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  name_ = "hs_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  url_ = "dbname=" + name_;
  try {
    pqxx::connection admin("");
    pqxx::nontransaction tx(admin);
    tx.exec0("CREATE DATABASE " + tx.quote_name(name_));
  } catch (const std::exception& error) {
    std::cerr << "TestDatabase: cannot create a database (" << error.what()
              << "). Run the suite with tests/run-all.sh, or under pg_virtualenv, "
                 "or set the PG* variables to a PostgreSQL you may create databases in.\n";
    std::abort();
  }
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin("");
    pqxx::nontransaction tx(admin);
    tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& error) {
    std::cerr << "TestDatabase: cannot drop " << name_ << ": " << error.what() << "\n";
  }
}

}  // namespace horizonscale::testing
