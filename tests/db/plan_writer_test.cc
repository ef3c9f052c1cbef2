// Group commit of plans against a real PostgreSQL.
#include "db/plan_writer.h"

#include <future>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

#include "db/migration.h"
#include "tests/support/test_database.h"

namespace horizonscale::db {
namespace {

using horizonscale::testing::TestDatabase;

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'000);

PlanWrite Write(const std::string& plan_id, const std::string& queue, const std::string& request_id,
                int to_workers) {
  PlanWrite write;
  PlanRecord& record = write.record;
  record.plan_id = plan_id;
  record.queue = queue;
  record.request_id = request_id;
  record.plan.generated_at = kNow;
  record.plan.current_workers = 4;
  record.plan.target_workers = to_workers;
  record.plan.rationale = "a \"quoted\", comma'd rationale";
  record.plan.valid_until = kNow + absl::Minutes(5);
  planner::ScalingStep step;
  step.sequence = 1;
  step.schedule_time = kNow;
  step.action = planner::ScalingAction::kScaleUp;
  step.from_workers = 4;
  step.to_workers = to_workers;
  step.rationale = "needed";
  step.cooldown_until = kNow + absl::Minutes(5);
  record.plan.steps.push_back(step);
  record.forecast_window = absl::Minutes(60);
  record.response = std::string("answer-\0-", 9) + plan_id;  // arbitrary bytes
  planner::QueueSample sample;
  sample.time = kNow;
  sample.arrival_rate = 10;
  sample.mean_service_time = 0.1;
  sample.workers = 4;
  write.metrics.push_back(sample);
  return write;
}

// The stored answer at `i` of `answers`, or the error's text.
std::string Answer(const std::vector<PlanAnswer>& answers, size_t i) {
  return answers.at(i).ok() ? *answers[i] : answers[i].status().ToString();
}

class PlanWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ConnectionPool>> pool =
        ConnectionPool::Create(database_.url(), 2, PreparePlanStatements);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
    ASSERT_TRUE(ApplyMigrations(**lease, EmbeddedMigrations()).ok());
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection connection(database_.url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  TestDatabase database_;
  std::shared_ptr<ConnectionPool> pool_;
};

TEST_F(PlanWriterTest, ABatchStoresEverythingAndAnswersRetriesWithTheFirstPlan) {
  const std::vector<PlanWrite> writes = {
      Write("00000000-0000-4000-8000-000000000001", "a", "req-1", 6),
      Write("00000000-0000-4000-8000-000000000002", "b", "", 7),
      Write("00000000-0000-4000-8000-000000000003", "a", "req-1", 9),  // retry in the batch
  };
  std::vector<const PlanWrite*> pointers;
  for (const PlanWrite& write : writes) pointers.push_back(&write);
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
  absl::StatusOr<std::vector<PlanAnswer>> answers = StorePlans(**lease, pointers);
  ASSERT_TRUE(answers.ok()) << answers.status();
  EXPECT_EQ(Answer(*answers, 0), writes[0].record.response);
  EXPECT_EQ(Answer(*answers, 1), writes[1].record.response);
  EXPECT_EQ(Answer(*answers, 2), writes[0].record.response);  // the stored bytes, NUL included
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM plan_steps"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics"), 2);  // (a, now) once, (b, now)
  EXPECT_EQ(Count("SELECT count(*) FROM queues WHERE last_action = 'scale_up' AND "
                  "last_action_workers IN (6, 7)"),
            2);
  EXPECT_EQ(Count("SELECT count(*) FROM plans WHERE rationale = "
                  "'a \"quoted\", comma''d rationale'"),
            2);

  absl::StatusOr<std::optional<StoredPlan>> read =
      GetPlan(**lease, "00000000-0000-4000-8000-000000000001");
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->response, writes[0].record.response);
  EXPECT_EQ((*read)->generated_at, kNow);
}

// A plan generated `minutes` after kNow whose first step acts at once.
PlanWrite WriteAt(const std::string& plan_id, const std::string& request_id, int minutes,
                  int to_workers) {
  PlanWrite write = Write(plan_id, "a", request_id, to_workers);
  write.record.plan.generated_at = kNow + absl::Minutes(minutes);
  write.record.plan.steps[0].schedule_time = kNow + absl::Minutes(minutes);
  write.metrics[0].time = kNow + absl::Minutes(minutes);
  return write;
}

TEST_F(PlanWriterTest, ARetryNeitherStoresItsPlanNorRecordsItsAction) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
  const PlanWrite first = WriteAt("00000000-0000-4000-8000-000000000011", "req-1", 0, 6);
  ASSERT_TRUE(StorePlans(**lease, {&first}).ok());

  // The retry is the batch's latest plan for queue a; the fresh plan's
  // earlier action must be the one recorded.
  const PlanWrite fresh = WriteAt("00000000-0000-4000-8000-000000000012", "", 1, 8);
  const PlanWrite retry = WriteAt("00000000-0000-4000-8000-000000000013", "req-1", 2, 9);
  absl::StatusOr<std::vector<PlanAnswer>> answers = StorePlans(**lease, {&fresh, &retry});
  ASSERT_TRUE(answers.ok()) << answers.status();
  EXPECT_EQ(Answer(*answers, 0), fresh.record.response);
  EXPECT_EQ(Answer(*answers, 1), first.record.response);
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM plan_steps WHERE plan_id = "
                  "'00000000-0000-4000-8000-000000000013'"),
            0);
  EXPECT_EQ(Count("SELECT last_action_workers FROM queues WHERE name = 'a'"), 8);

  // An action older than the recorded one does not replace it.
  const PlanWrite late = WriteAt("00000000-0000-4000-8000-000000000014", "", -5, 3);
  ASSERT_TRUE(StorePlans(**lease, {&late}).ok());
  EXPECT_EQ(Count("SELECT last_action_workers FROM queues WHERE name = 'a'"), 8);
  // first, fresh and late; a retry's metrics came with its first write.
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics WHERE queue = 'a'"), 3);
}

TEST_F(PlanWriterTest, AFailingBatchWritesNothing) {
  PlanWrite bad = Write("00000000-0000-4000-8000-000000000009", "c", "", 5);
  bad.metrics[0].mean_service_time = -1;  // violates the CHECK constraint
  const PlanWrite good = Write("00000000-0000-4000-8000-000000000008", "d", "", 5);
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
  absl::StatusOr<std::vector<PlanAnswer>> answers = StorePlans(**lease, {&good, &bad});
  EXPECT_EQ(answers.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM queues"), 0);
}

std::string PlanId(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return id;
}

std::vector<const PlanWrite*> Pointers(const std::vector<PlanWrite>& writes) {
  std::vector<const PlanWrite*> pointers;
  for (const PlanWrite& write : writes) pointers.push_back(&write);
  return pointers;
}

TEST_F(PlanWriterTest, APoisonedWriteFailsAloneAndItsErrorNamesNoOtherWrite) {
  std::vector<PlanWrite> writes;
  for (int i = 0; i < 12; ++i) {
    writes.push_back(
        Write(PlanId(200 + i), absl::StrCat("good-q", i % 3), absl::StrCat("good-req-", i), 5));
  }
  // Writes that fail on their own, each differently, among the good ones: a
  // NUL in the request id, a NUL in the queue name, a CHECK violation.
  PlanWrite unchecked = Write(PlanId(302), "bad-q3", "bad-req-3", 5);
  unchecked.metrics[0].mean_service_time = -1;
  writes.insert(writes.begin() + 3, Write(PlanId(300), "bad-q", std::string("bad\0req", 7), 5));
  writes.insert(writes.begin() + 8, Write(PlanId(301), std::string("bad\0q", 5), "bad-req-2", 5));
  writes.push_back(unchecked);
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
  const std::vector<PlanAnswer> answers = StorePlansIsolated(**lease, Pointers(writes));
  ASSERT_EQ(answers.size(), writes.size());
  int failed = 0;
  for (size_t i = 0; i < writes.size(); ++i) {
    const PlanRecord& record = writes[i].record;
    if (record.plan_id >= PlanId(300)) {
      ++failed;
      EXPECT_EQ(answers[i].status().code(), absl::StatusCode::kInternal) << i;
      const std::string message(answers[i].status().message());
      for (int k = 0; k < 12; ++k) {
        EXPECT_EQ(message.find(absl::StrCat("good-req-", k)), std::string::npos) << message;
        EXPECT_EQ(message.find(PlanId(200 + k)), std::string::npos) << message;
      }
      EXPECT_EQ(message.find("good-q"), std::string::npos) << message;
    } else {
      EXPECT_EQ(Answer(answers, i), record.response) << i;
    }
  }
  EXPECT_EQ(failed, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 12);
  EXPECT_EQ(Count("SELECT count(*) FROM plans WHERE request_id LIKE 'good-req-%'"), 12);
  EXPECT_EQ(Count("SELECT count(*) FROM plan_steps"), 12);
  EXPECT_EQ(Count("SELECT count(*) FROM queues"), 3);         // good-q0..2
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics"), 3);  // one instant per queue
}

TEST_F(PlanWriterTest, PoisonedSubmissionsFailOnlyThemselves) {
  PlanWriter writer(pool_, /*threads=*/2, /*max_batch=*/32);
  std::vector<std::future<absl::StatusOr<std::string>>> futures;
  std::vector<PlanWrite> writes;
  for (int i = 0; i < 150; ++i) {
    const bool poisoned = i % 10 == 3;
    writes.push_back(
        Write(PlanId(1000 + i), absl::StrCat("q", i % 7),
              poisoned ? std::string("x\0", 2) + std::to_string(i) : absl::StrCat("ok-", i), 5));
  }
  for (const PlanWrite& write : writes) futures.push_back(writer.Submit(write));
  int failed = 0;
  for (size_t i = 0; i < futures.size(); ++i) {
    const absl::StatusOr<std::string> answer = futures[i].get();
    if (i % 10 == 3) {
      ++failed;
      EXPECT_EQ(answer.status().code(), absl::StatusCode::kInternal);
      EXPECT_EQ(answer.status().message().find("ok-"), std::string_view::npos) << answer.status();
    } else {
      ASSERT_TRUE(answer.ok()) << i << ": " << answer.status();
      EXPECT_EQ(*answer, writes[i].record.response);
    }
  }
  EXPECT_EQ(failed, 15);
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 135);
}

// A write under the key (queue, request_id) made for the request whose
// fingerprint is `fingerprint`, its metrics observed `minutes` after kNow.
PlanWrite Keyed(int plan, const std::string& queue, const std::string& request_id,
                const std::string& fingerprint, int minutes = 0) {
  PlanWrite write = Write(PlanId(plan), queue, request_id, 5 + plan % 10);
  write.record.request_fingerprint = fingerprint;
  write.metrics[0].time = kNow + absl::Minutes(minutes);
  return write;
}

TEST_F(PlanWriterTest, AKeyIsARetryOnlyWithTheSameRequestAndBelongsToItsQueue) {
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
  const std::string fingerprint_a("fp-\0A", 5), fingerprint_b("fp-\0B", 5);
  const PlanWrite first = Keyed(501, "a", "key-1", fingerprint_a);
  ASSERT_EQ(Answer(StorePlansIsolated(**lease, {&first}), 0), first.record.response);

  // The same request again: the first answer; nothing stored.
  const PlanWrite retry = Keyed(502, "a", "key-1", fingerprint_a, 1);
  EXPECT_EQ(Answer(StorePlansIsolated(**lease, {&retry}), 0), first.record.response);

  // Another request under the key: refused, naming the plan holding it;
  // nothing of it stored.
  const PlanWrite other = Keyed(503, "a", "key-1", fingerprint_b, 2);
  const std::vector<PlanAnswer> refused = StorePlansIsolated(**lease, {&other});
  EXPECT_EQ(refused[0].status().code(), absl::StatusCode::kAlreadyExists) << refused[0].status();
  EXPECT_NE(refused[0].status().message().find(PlanId(501)), std::string_view::npos)
      << refused[0].status();
  EXPECT_NE(refused[0].status().message().find("key-1"), std::string_view::npos);

  // The same key on another queue is another plan.
  const PlanWrite elsewhere = Keyed(504, "b", "key-1", fingerprint_b);
  EXPECT_EQ(Answer(StorePlansIsolated(**lease, {&elsewhere}), 0), elsewhere.record.response);

  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM plans WHERE request_id = 'key-1'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM plan_steps"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics WHERE queue = 'a'"), 1);
  EXPECT_EQ(Count("SELECT last_action_workers FROM queues WHERE name = 'a'"),
            first.record.plan.target_workers);

  // Plans stored before fingerprints existed answer any request under their
  // key, as before.
  pqxx::connection admin(database_.url());
  pqxx::nontransaction(admin).exec0("UPDATE plans SET request_fingerprint = NULL");
  EXPECT_EQ(Answer(StorePlansIsolated(**lease, {&other}), 0), first.record.response);
}

TEST_F(PlanWriterTest, AKeyTwiceInOneBatchWithDifferentRequestsRefusesTheLaterOne) {
  const std::vector<PlanWrite> writes = {
      Keyed(601, "a", "key-2", "fp-A"),
      Keyed(602, "a", "key-2", "fp-A"),
      Keyed(603, "a", "key-2", "fp-B"),
      Keyed(604, "c", "key-2", "fp-B"),
  };
  absl::StatusOr<ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
  absl::StatusOr<std::vector<PlanAnswer>> answers = StorePlans(**lease, Pointers(writes));
  ASSERT_TRUE(answers.ok()) << answers.status();
  EXPECT_EQ(Answer(*answers, 0), writes[0].record.response);
  EXPECT_EQ(Answer(*answers, 1), writes[0].record.response);
  EXPECT_EQ((*answers)[2].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE((*answers)[2].status().message().find(PlanId(601)), std::string_view::npos);
  EXPECT_EQ(Answer(*answers, 3), writes[3].record.response);
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 2);
}

TEST_F(PlanWriterTest, ConcurrentSubmissionsAreGroupCommitted) {
  PlanWriter writer(pool_, /*threads=*/2, /*max_batch=*/64);
  std::vector<std::future<absl::StatusOr<std::string>>> futures;
  for (int i = 0; i < 200; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", 100 + i);
    futures.push_back(writer.Submit(Write(id, absl::StrCat("q", i % 10), "", 5)));
  }
  for (auto& future : futures) {
    absl::StatusOr<std::string> answer = future.get();
    EXPECT_TRUE(answer.ok()) << answer.status();
  }
  writer.Stop();
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 200);
  EXPECT_EQ(writer.Submit(Write("00000000-0000-4000-8000-000000000999", "q", "", 5))
                .get()
                .status()
                .code(),
            absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace horizonscale::db
