// Evaluate and FindMinimumWorkers reject bad inputs with INVALID_ARGUMENT and
// a message naming the field.
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

PoolSpec Valid(Model model) {
  PoolSpec pool;
  pool.model = model;
  pool.arrival_rate = 5;
  pool.mean_service_time = 0.1;
  pool.service_time_stddev = 0.05;
  pool.workers = model == Model::kMM1 ? 1 : 3;
  pool.system_capacity = 10;
  return pool;
}

void ExpectInvalid(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(std::string(status.message()).find(field), std::string::npos)
      << "message does not name " << field << ": " << status;
}

struct PoolCase {
  std::string field;
  std::function<void(PoolSpec&)> spoil;
};

TEST(ValidationTest, EvaluateNamesTheField) {
  const std::vector<PoolCase> cases = {
      {"arrival_rate", [](PoolSpec& p) { p.arrival_rate = kNaN; }},
      {"arrival_rate", [](PoolSpec& p) { p.arrival_rate = kInf; }},
      {"arrival_rate", [](PoolSpec& p) { p.arrival_rate = -1; }},
      {"mean_service_time", [](PoolSpec& p) { p.mean_service_time = 0; }},
      {"mean_service_time", [](PoolSpec& p) { p.mean_service_time = -0.1; }},
      {"mean_service_time", [](PoolSpec& p) { p.mean_service_time = kNaN; }},
      {"mean_service_time", [](PoolSpec& p) { p.mean_service_time = kInf; }},
      {"mean_service_time", [](PoolSpec& p) { p.mean_service_time = 1e-320; }},
      {"service_time_stddev", [](PoolSpec& p) { p.service_time_stddev = -1; }},
      {"service_time_stddev", [](PoolSpec& p) { p.service_time_stddev = kNaN; }},
      {"workers", [](PoolSpec& p) { p.workers = 0; }},
      {"workers", [](PoolSpec& p) { p.workers = kMaxWorkers + 1; }},
      {"arrival_rate * mean_service_time",
       [](PoolSpec& p) {
         p.arrival_rate = 1e300;
         p.mean_service_time = 1e300;
       }},
      {"model", [](PoolSpec& p) { p.model = static_cast<Model>(42); }},
  };
  for (Model model : {Model::kMM1, Model::kMMc, Model::kMMcK, Model::kMGc}) {
    ASSERT_TRUE(Evaluate(Valid(model)).ok()) << Evaluate(Valid(model)).status();
    for (const PoolCase& c : cases) {
      PoolSpec pool = Valid(model);
      c.spoil(pool);
      SCOPED_TRACE(c.field);
      ExpectInvalid(Evaluate(pool).status(), c.field);
    }
  }
}

TEST(ValidationTest, ModelSpecificRules) {
  PoolSpec mm1 = Valid(Model::kMM1);
  mm1.workers = 2;
  ExpectInvalid(Evaluate(mm1).status(), "workers");
  EXPECT_NE(Evaluate(mm1).status().message().find("kMM1"), absl::string_view::npos);

  PoolSpec finite = Valid(Model::kMMcK);
  finite.system_capacity = 2;  // < workers = 3
  ExpectInvalid(Evaluate(finite).status(), "system_capacity");
  finite.system_capacity = kMaxSystemCapacity + 1;
  ExpectInvalid(Evaluate(finite).status(), "system_capacity");
  finite.system_capacity = 0;
  ExpectInvalid(Evaluate(finite).status(), "system_capacity");
  // system_capacity is ignored by the other models.
  PoolSpec mmc = Valid(Model::kMMc);
  mmc.system_capacity = -5;
  EXPECT_TRUE(Evaluate(mmc).ok());
  // Edge values that are valid.
  finite.system_capacity = 3;  // K = c
  EXPECT_TRUE(Evaluate(finite).ok());
  mmc.workers = kMaxWorkers;
  EXPECT_TRUE(Evaluate(mmc).ok());
  mmc.arrival_rate = 0;
  EXPECT_TRUE(Evaluate(mmc).ok());
}

TEST(ValidationTest, FindMinimumWorkersValidatesPoolAndTarget) {
  // Pool errors as in Evaluate (workers is ignored by the search).
  PoolSpec pool = Valid(Model::kMMc);
  pool.workers = 0;
  EXPECT_TRUE(FindMinimumWorkers(pool, {}).ok());
  pool.arrival_rate = -3;
  ExpectInvalid(FindMinimumWorkers(pool, {}).status(), "arrival_rate");
  PoolSpec finite = Valid(Model::kMMcK);
  finite.system_capacity = 0;
  ExpectInvalid(FindMinimumWorkers(finite, {}).status(), "system_capacity");

  struct TargetCase {
    std::string field;
    CapacityTarget target;
  };
  for (const TargetCase& c : {
           TargetCase{"response_p95", {.response_p95 = kNaN}},
           TargetCase{"response_p95", {.response_p95 = -0.2}},
           TargetCase{"max_backlog", {.max_backlog = kNaN}},
           TargetCase{"max_utilization", {.max_utilization = 0}},
           TargetCase{"max_utilization", {.max_utilization = 1.01}},
           TargetCase{"max_utilization", {.max_utilization = kNaN}},
           TargetCase{"max_workers", {.max_workers = 0}},
           TargetCase{"max_workers", {.max_workers = kMaxWorkers + 1}},
           TargetCase{"max_blocking", {.max_blocking = -0.1}},
           TargetCase{"max_blocking", {.max_blocking = kNaN}},
       }) {
    SCOPED_TRACE(c.field);
    ExpectInvalid(FindMinimumWorkers(Valid(Model::kMMc), c.target).status(), c.field);
  }
  // Unset targets are valid and not enforced.
  EXPECT_TRUE(FindMinimumWorkers(Valid(Model::kMMc), {.response_p95 = kInf}).ok());
  EXPECT_TRUE(FindMinimumWorkers(Valid(Model::kMMc), {.max_backlog = kInf}).ok());
  EXPECT_TRUE(FindMinimumWorkers(Valid(Model::kMMc), {.max_backlog = -7}).ok());
}

TEST(ValidationTest, MessageQuotesTheBadValue) {
  PoolSpec pool = Valid(Model::kMMc);
  pool.arrival_rate = kNaN;
  EXPECT_EQ(Evaluate(pool).status().message(), "arrival_rate must be finite and >= 0, got nan");
  pool = Valid(Model::kMMc);
  pool.workers = -4;
  EXPECT_EQ(Evaluate(pool).status().message(), "workers must be in [1, 100000], got -4");
}

}  // namespace
}  // namespace horizonscale::queueing
