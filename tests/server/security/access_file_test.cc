// The access file: a complete file parses into what it says; every kind of
// mistake is refused naming the entry and the field; token hashes are
// SHA-256 (FIPS 180-2's "abc" vector).
#include "server/security/access_file.h"

#include <gtest/gtest.h>

#include <absl/strings/escaping.h>

namespace horizonscale::server {
namespace {

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'B');

TEST(AccessFile, ACompleteFileParses) {
  const absl::StatusOr<AccessTable> table = ParseAccessFile(
      "tokens:\n"
      "  - identity: keda\n"
      "    sha256: " +
      kHashA +
      "\n"
      "    roles: [reader, planner]\n"
      "  - {identity: ops, sha256: " +
      kHashB +
      ", roles: [admin], expires: 2027-06-30T12:00:00Z}\n"
      "certificates:\n"
      "  - {identity: keda-cert, subject: keda.keda.svc, roles: [planner]}\n"
      "limits:\n"
      "  rate:\n"
      "    reader: {read: 5, compute: 0}\n"
      "  concurrency: {admin: 2}\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->tokens.size(), 2u);
  EXPECT_EQ(table->tokens[0].identity, "keda");
  EXPECT_EQ(table->tokens[0].role, Role::kPlanner);  // the highest listed
  EXPECT_EQ(table->tokens[0].sha256[0], 0xaa);
  EXPECT_FALSE(table->tokens[0].expires.has_value());
  EXPECT_EQ(table->tokens[1].role, Role::kAdmin);
  EXPECT_EQ(*table->tokens[1].expires, absl::FromUnixSeconds(1'814'356'800));
  ASSERT_EQ(table->certificates.size(), 1u);
  EXPECT_EQ(table->certificates[0].subject, "keda.keda.svc");
  EXPECT_EQ(table->limits.RateOf(Role::kReader, MethodClass::kRead), 5);
  EXPECT_EQ(table->limits.RateOf(Role::kReader, MethodClass::kCompute), 0);
  EXPECT_EQ(table->limits.RateOf(Role::kReader, MethodClass::kPlan), kDefaultPlanRate);
  EXPECT_EQ(table->limits.RateOf(Role::kPlanner, MethodClass::kRead), kDefaultReadRate);
  EXPECT_EQ(table->limits.ConcurrencyOf(Role::kAdmin), 2);
  EXPECT_EQ(table->limits.ConcurrencyOf(Role::kPlanner), kDefaultComputeConcurrency);
}

TEST(AccessFile, AnEmptyFileLetsNobodyIn) {
  const absl::StatusOr<AccessTable> table = ParseAccessFile("");
  ASSERT_TRUE(table.ok());
  EXPECT_TRUE(table->tokens.empty());
  EXPECT_TRUE(table->certificates.empty());
}

TEST(AccessFile, MistakesAreNamed) {
  const std::string token = "  - {identity: a, sha256: " + kHashA + ", roles: [reader]}\n";
  struct Case {
    std::string text;
    std::string named;
  };
  const Case cases[] = {
      {"tokens: [ {identity: broken\n", "not YAML"},
      {"users: []\n", "unknown key \"users\""},
      {"tokens: {a: b}\n", "tokens: must be a list"},
      {"tokens:\n  - {identity: a, sha256: abc, roles: [reader]}\n", "tokens[0].sha256"},
      {"tokens:\n  - {identity: a, sha256: " + std::string(64, 'g') + ", roles: [reader]}\n",
       "tokens[0].sha256"},
      {"tokens:\n" + token + token, "tokens[1].sha256: is listed twice"},
      {"tokens:\n  - {identity: a, sha256: " + kHashA + ", roles: [root]}\n", "tokens[0].roles"},
      {"tokens:\n  - {identity: a, sha256: " + kHashA + ", roles: []}\n", "tokens[0].roles"},
      {"tokens:\n  - {identity: a, sha256: " + kHashA + "}\n", "tokens[0].roles"},
      {"tokens:\n  - {sha256: " + kHashA + ", roles: [reader]}\n", "tokens[0].identity"},
      {"tokens:\n  - {identity: \"" + std::string(300, 'x') + "\", sha256: " + kHashA +
           ", roles: [reader]}\n",
       "tokens[0].identity"},
      {"tokens:\n  - {identity: \"a\\tb\", sha256: " + kHashA + ", roles: [reader]}\n",
       "tokens[0].identity"},
      {"tokens:\n  - {identity: a, sha256: " + kHashA + ", roles: [reader], expires: soon}\n",
       "tokens[0].expires"},
      {"tokens:\n  - {identity: a, sha256: " + kHashA + ", roles: [reader], password: x}\n",
       "tokens[0]: unknown key \"password\""},
      {"certificates:\n  - {identity: a, roles: [reader]}\n", "certificates[0].subject"},
      {"certificates:\n  - {identity: a, subject: s, roles: [reader]}\n"
       "  - {identity: b, subject: s, roles: [reader]}\n",
       "certificates[1].subject: is listed twice"},
      {"limits:\n  rate:\n    root: {read: 1}\n", "limits.rate.root"},
      {"limits:\n  rate:\n    reader: {write: 1}\n", "limits.rate.reader.write"},
      {"limits:\n  rate:\n    reader: {read: -1}\n", "limits.rate.reader.read"},
      {"limits:\n  rate:\n    reader: {read: .nan}\n", "limits.rate.reader.read"},
      {"limits:\n  rate:\n    reader: {read: .inf}\n", "limits.rate.reader.read"},
      {"limits:\n  concurrency: {admin: 1.5}\n", "limits.concurrency.admin"},
      {"limits:\n  concurrency: {admin: -1}\n", "limits.concurrency.admin"},
      {"limits:\n  burst: 3\n", "limits: unknown key \"burst\""},
  };
  for (const Case& c : cases) {
    const absl::StatusOr<AccessTable> table = ParseAccessFile(c.text);
    ASSERT_FALSE(table.ok()) << c.text;
    EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(table.status().message().find(c.named), std::string::npos)
        << table.status().message() << "\n  wanted: " << c.named;
  }
}

TEST(AccessFile, LoadNamesTheFile) {
  const absl::StatusOr<AccessTable> missing = LoadAccessFile("/nonexistent/access.yaml");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/access.yaml"), std::string::npos);
}

TEST(AccessFile, TokensAreHashedWithSha256) {
  const std::array<uint8_t, 32> digest = Sha256("abc");
  EXPECT_EQ(absl::BytesToHexString(
                absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace horizonscale::server
