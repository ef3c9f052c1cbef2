// The server's shared input checks: strings (UTF-8, control characters,
// length), quoting client input into messages, the cap on listed
// violations, repeated-field sizes, and tamper-evident page tokens.
#include <string>

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/common/field_checks.h"
#include "server/common/page_token.h"
#include "server/common/text_checks.h"

namespace horizonscale::server {
namespace {

TEST(IsValidUtf8, AcceptsWellFormedAndRefusesEveryMalformedKind) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));                           // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xc3"));                                      // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));                                      // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));                                  // overlong "/"
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));                              // overlong, three bytes
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));                              // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));                          // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));                                      // never valid
  EXPECT_FALSE(IsValidUtf8("ok\xe2\x82"));                                // truncated at the end
}

TEST(TextProblem, NamesLengthEncodingAndControlCharacters) {
  EXPECT_EQ(TextProblem("queue-7"), std::nullopt);
  EXPECT_EQ(TextProblem(std::string(kMaxTextBytes, 'x')), std::nullopt);
  EXPECT_EQ(TextProblem(std::string(kMaxTextBytes + 1, 'x')), "must be at most 128 bytes, got 129");
  EXPECT_EQ(TextProblem(std::string("a\0b", 3)),
            "must not contain control characters (NUL included)");
  EXPECT_EQ(TextProblem("a\x7f"), "must not contain control characters (NUL included)");
  EXPECT_EQ(TextProblem("\xc3("), "must be valid UTF-8");
}

TEST(Quoted, CutsLongInputAndEscapesWhatCannotBePrinted) {
  EXPECT_EQ(Quoted("abc"), "\"abc\"");
  EXPECT_EQ(Quoted(std::string("a\0\"\\\xff", 5)), "\"a\\x00\\x22\\x5c\\xff\"");
  const std::string huge(1 << 20, 'x');
  const std::string quoted = Quoted(huge);
  EXPECT_EQ(quoted, "\"" + std::string(kMaxQuotedBytes, 'x') + "\"... (1048576 bytes)");
  // A multi-byte character is never split.
  const std::string euros = [] {
    std::string text;
    for (int i = 0; i < 30; ++i) text += "\xe2\x82\xac";
    return text;
  }();
  EXPECT_TRUE(IsValidUtf8(Quoted(euros)));
  EXPECT_EQ(Quoted(euros).substr(0, 1 + 63), "\"" + euros.substr(0, 63));
}

TEST(FieldChecks, ListsAtMostAHundredViolationsAndCountsTheRest) {
  FieldChecks checks;
  for (int i = 0; i < 100'000; ++i) checks.Fail("models[" + std::to_string(i) + "]", "bad", "R");
  const grpc::Status status = checks.ToStatus();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("; and 99900 more violations"), std::string::npos);
  EXPECT_LT(status.error_message().size(), 4000u);
  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(detail.details(1).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations_size(), kMaxListedViolations);
}

TEST(FieldChecks, SizeAndTextReportTheField) {
  FieldChecks checks;
  EXPECT_TRUE(checks.Size("history", 10, 10, reason::kInvalidMetrics));
  EXPECT_FALSE(checks.Size("history", 11, 10, reason::kInvalidMetrics));
  EXPECT_TRUE(checks.Text("request_id", "r-1", reason::kInvalidRequest));
  EXPECT_FALSE(checks.Text("request_id", std::string("r\0", 2), reason::kInvalidRequest));
  EXPECT_FALSE(checks.Text("host_id", "", reason::kInvalidRequest, kMaxTextBytes, true));
  EXPECT_EQ(checks.ToStatus().error_message(),
            "history has 11 entries; at most 10 are accepted; request_id must not contain "
            "control characters (NUL included); host_id is required");
}

TEST(PageToken, RoundTripsAndRefusesForgedTamperedAndForeignTokens) {
  const db::PlanCursor cursor{absl::FromUnixMicros(1'700'000'000'123'456),
                              "0b7c4a1e-7a51-4a4e-9a53-8f1f4c0b8a11"};
  const std::string token = EncodePlanPageToken("orders", cursor);
  const std::optional<db::PlanCursor> decoded = DecodePlanPageToken("orders", token);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->generated_at, cursor.generated_at);
  EXPECT_EQ(decoded->plan_id, cursor.plan_id);
  EXPECT_FALSE(DecodePlanPageToken("payments", token).has_value());  // another queue
  for (size_t i = 0; i < token.size(); ++i) {                        // any one character changed
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(DecodePlanPageToken("orders", tampered).has_value()) << i;
  }
  EXPECT_FALSE(DecodePlanPageToken("orders", "").has_value());
  EXPECT_FALSE(DecodePlanPageToken("orders", std::string(1 << 20, 'A')).has_value());

  const std::string offset = EncodeOffsetPageToken("risk|run|dept", 200);
  EXPECT_EQ(DecodeOffsetPageToken("risk|run|dept", offset), 200);
  EXPECT_FALSE(DecodeOffsetPageToken("risk|run|other", offset).has_value());

  // A token signed with another secret (another deployment) is refused.
  SetPageTokenSecret("another deployment's secret");
  EXPECT_FALSE(DecodePlanPageToken("orders", token).has_value());
  EXPECT_EQ(DecodeOffsetPageToken("risk|run|dept", EncodeOffsetPageToken("risk|run|dept", 7)), 7);
}

}  // namespace
}  // namespace horizonscale::server
