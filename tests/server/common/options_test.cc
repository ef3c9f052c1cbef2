#include "server/common/options.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

absl::StatusOr<ServerOptions> Parse(std::vector<std::string_view> args,
                                    std::map<std::string, std::string> env = {}) {
  return ParseOptions(args, [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(ServerOptions, DefaultsMatchTheDocumentation) {
  absl::StatusOr<ServerOptions> options = Parse({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->listen, "127.0.0.1:50051");
  EXPECT_EQ(options->database_url, "");
  EXPECT_EQ(options->db_pool_size, 8);
  EXPECT_EQ(options->log_level, "info");
  EXPECT_EQ(options->log_format, LogFormat::kText);
  EXPECT_EQ(options->drain_timeout, std::chrono::seconds(30));
  EXPECT_EQ(options->worker_threads, 64);
  EXPECT_EQ(options->max_queued_calls, 64);
  EXPECT_EQ(options->stream_idle_timeout, std::chrono::seconds(30));
  EXPECT_EQ(options->max_streams_per_peer, 16);
  EXPECT_EQ(options->max_streams, 256);
  EXPECT_EQ(options->http_listen, "127.0.0.1:8080");
  EXPECT_EQ(options->http_threads, 8);
  EXPECT_EQ(options->metrics_max_queues, 10'000);
  EXPECT_EQ(options->metrics_refresh, std::chrono::seconds(30));
  EXPECT_EQ(options->metrics_max_risk_series, 1'000);
  EXPECT_EQ(options->tls_cert, "");
  EXPECT_EQ(options->tls_client_auth, "none");
  EXPECT_FALSE(options->allow_insecure);
  EXPECT_FALSE(options->help);
}

// A switch alone means true and takes no value from the next argument; the
// HTTP port is turned off with an empty address.
TEST(ServerOptions, SwitchesAndAnEmptyHttpAddress) {
  absl::StatusOr<ServerOptions> options =
      Parse({"--allow_insecure", "--listen=0.0.0.0:1", "--http_listen="});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_TRUE(options->allow_insecure);
  EXPECT_EQ(options->listen, "0.0.0.0:1");
  EXPECT_EQ(options->http_listen, "");
  EXPECT_FALSE(Parse({"--allow_insecure=maybe"}).ok());
  EXPECT_FALSE(Parse({"--tls_client_auth=sometimes"}).ok());
  EXPECT_FALSE(Parse({"--http_listen=8080"}).ok());
  EXPECT_TRUE(Parse({"--tls_client_auth=require"}).ok());  // checked with the files at start
}

TEST(ServerOptions, FlagBeatsEnvironmentBeatsDefault) {
  absl::StatusOr<ServerOptions> from_env =
      Parse({}, {{"HS_LISTEN", "0.0.0.0:7000"}, {"DATABASE_URL", "postgresql:///x"}});
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->listen, "0.0.0.0:7000");
  EXPECT_EQ(from_env->database_url, "postgresql:///x");

  absl::StatusOr<ServerOptions> from_flag =
      Parse({"--listen=127.0.0.1:9", "--database_url", "dbname=y"},
            {{"HS_LISTEN", "0.0.0.0:7000"}, {"DATABASE_URL", "postgresql:///x"}});
  ASSERT_TRUE(from_flag.ok()) << from_flag.status();
  EXPECT_EQ(from_flag->listen, "127.0.0.1:9");
  EXPECT_EQ(from_flag->database_url, "dbname=y");
}

TEST(ServerOptions, DurationsAcceptUnitsAndPlainSeconds) {
  EXPECT_EQ(Parse({"--drain_timeout=1500ms"})->drain_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(Parse({"--drain_timeout=2m"})->drain_timeout, std::chrono::minutes(2));
  EXPECT_EQ(Parse({"--drain_timeout=2.5"})->drain_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(Parse({}, {{"HS_DRAIN_TIMEOUT", "10s"}})->drain_timeout, std::chrono::seconds(10));
}

TEST(ServerOptions, StreamLimitsAreSetByFlagOrVariable) {
  absl::StatusOr<ServerOptions> options =
      Parse({"--stream_idle_timeout=250ms", "--max_streams_per_peer=3", "--max_queued_calls=0"},
            {{"HS_MAX_STREAMS", "40"}, {"HS_STREAM_IDLE_TIMEOUT", "5s"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->stream_idle_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(options->max_streams_per_peer, 3);
  EXPECT_EQ(options->max_streams, 40);
  EXPECT_EQ(options->max_queued_calls, 0);
}

TEST(ServerOptions, BadValuesNameTheFlagOrVariable) {
  struct Case {
    std::vector<std::string_view> args;
    std::map<std::string, std::string> env;
    std::string expected_in_message;
  };
  const std::vector<Case> cases = {
      {{"--db_pool_size=0"}, {}, "--db_pool_size"},
      {{"--db_pool_size=abc"}, {}, "--db_pool_size"},
      {{"--worker_threads=1"}, {}, "--worker_threads"},
      {{"--drain_timeout=-1s"}, {}, "--drain_timeout"},
      {{"--drain_timeout=soon"}, {}, "--drain_timeout"},
      {{"--log_level=loud"}, {}, "--log_level"},
      {{"--log_format=xml"}, {}, "--log_format"},
      {{"--listen=nohostport"}, {}, "--listen"},
      {{"--no_such_flag=1"}, {}, "--no_such_flag"},
      {{"--listen"}, {}, "--listen needs a value"},
      {{"positional"}, {}, "positional"},
      {{}, {{"HS_DB_POOL_SIZE", "-3"}}, "HS_DB_POOL_SIZE"},
      {{"--stream_idle_timeout=50ms"}, {}, "--stream_idle_timeout"},
      {{"--stream_idle_timeout=never"}, {}, "--stream_idle_timeout"},
      {{"--max_streams_per_peer=0"}, {}, "--max_streams_per_peer"},
      {{"--max_streams=0"}, {}, "--max_streams"},
      {{"--max_queued_calls=-1"}, {}, "--max_queued_calls"},
      {{}, {{"HS_MAX_STREAMS_PER_PEER", "x"}}, "HS_MAX_STREAMS_PER_PEER"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ServerOptions> options = Parse(c.args, c.env);
    ASSERT_FALSE(options.ok()) << c.expected_in_message;
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(options.status().message()).find(c.expected_in_message),
              std::string::npos)
        << options.status().message();
  }
}

TEST(ServerOptions, HelpListsEveryFlagWithItsVariable) {
  EXPECT_TRUE(Parse({"--help"})->help);
  const std::string usage = UsageText();
  for (const char* text :
       {"--listen", "HS_LISTEN", "--database_url", "DATABASE_URL", "--db_pool_size", "--log_level",
        "--log_format", "--worker_threads", "--drain_timeout", "HS_DRAIN_TIMEOUT",
        "--max_queued_calls", "--stream_idle_timeout", "HS_STREAM_IDLE_TIMEOUT",
        "--max_streams_per_peer", "HS_MAX_STREAMS_PER_PEER", "--max_streams", "HS_MAX_STREAMS"}) {
    EXPECT_NE(usage.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace horizonscale::server
