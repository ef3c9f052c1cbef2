#include "server/keda/prometheus_source.h"

#include <cmath>
#include <vector>

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include "server/common/errors.h"
#include "server/common/text_checks.h"

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;

// Largest worker count and backlog a source may report (as GeneratePlan
// accepts them).
constexpr double kMaxWorkers = 100'000;
constexpr double kMaxBacklog = 1125899906842624.0;  // 2^50
// Most bytes of a query answer read (one number is a few hundred).
constexpr size_t kMaxAnswerBytes = 1 << 20;

struct Url {
  std::string scheme_host_port;  // "http://prometheus:9090"
  std::string path_prefix;       // "" or "/prometheus"
};

std::optional<Url> ParseUrl(const std::string& address) {
  const size_t scheme_end = address.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const std::string scheme = address.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const size_t host_start = scheme_end + 3;
  const size_t path_start = address.find('/', host_start);
  Url url;
  url.scheme_host_port = address.substr(0, path_start);
  if (url.scheme_host_port.size() == host_start) return std::nullopt;  // no host
  if (path_start != std::string::npos) {
    url.path_prefix = address.substr(path_start);
    while (!url.path_prefix.empty() && url.path_prefix.back() == '/') url.path_prefix.pop_back();
  }
  return url;
}

grpc::Status SourceFailed(const std::string& key, const std::string& message) {
  return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kMetricsSourceFailed, message,
                   {{"scalerMetadata." + key, message}});
}

// The one number `query` (metadata key `key`) yields, or the error.
grpc::Status RunQuery(httplib::Client& client, const std::string& path, const std::string& key,
                      const std::string& query, double* value) {
  httplib::Result answer = client.Get(path, httplib::Params{{"query", query}}, httplib::Headers{});
  if (!answer) {
    return SourceFailed(key, absl::StrCat("Prometheus did not answer the ", key, ": ",
                                          httplib::to_string(answer.error())));
  }
  if (answer->body.size() > kMaxAnswerBytes) {
    return SourceFailed(key, absl::StrCat("Prometheus's answer to the ", key, " is over 1 MiB"));
  }
  pb::Struct body;
  if (!pb::util::JsonStringToMessage(answer->body, &body).ok()) {
    return SourceFailed(key, absl::StrCat("Prometheus answered the ", key, " with HTTP ",
                                          answer->status, " and no JSON"));
  }
  const auto& fields = body.fields();
  auto text = [&](const pb::Struct& from, const std::string& name) {
    auto it = from.fields().find(name);
    return it == from.fields().end() ? std::string() : it->second.string_value();
  };
  if (text(body, "status") != "success") {
    const std::string message =
        absl::StrCat("Prometheus refused the ", key, " (HTTP ", answer->status, ", ",
                     text(body, "errorType"), "): ", Quoted(text(body, "error")));
    if (text(body, "errorType") == "bad_data") {
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest, message,
                       {{"scalerMetadata." + key, message}});
    }
    return SourceFailed(key, message);
  }
  auto data_it = fields.find("data");
  if (data_it == fields.end()) return SourceFailed(key, "Prometheus's answer has no data");
  const pb::Struct& data = data_it->second.struct_value();
  const std::string type = text(data, "resultType");
  auto result_it = data.fields().find("result");
  if (result_it == data.fields().end())
    return SourceFailed(key, "Prometheus's answer has no result");
  const pb::ListValue& result = result_it->second.list_value();
  const pb::ListValue* sample = nullptr;  // [time, "value"]
  if (type == "scalar") {
    sample = &result;
  } else if (type == "vector") {
    if (result.values_size() != 1) {
      return SourceFailed(key, absl::StrCat("the ", key, " returned ", result.values_size(),
                                            " series; it must return one (wrap it in sum() or "
                                            "avg())"));
    }
    auto value_it = result.values(0).struct_value().fields().find("value");
    if (value_it != result.values(0).struct_value().fields().end()) {
      sample = &value_it->second.list_value();
    }
  } else {
    return SourceFailed(key, absl::StrCat("the ", key, " returned a ", Quoted(type),
                                          "; it must return a scalar or an instant vector"));
  }
  if (sample == nullptr || sample->values_size() != 2 ||
      !absl::SimpleAtod(sample->values(1).string_value(), value) || !std::isfinite(*value)) {
    return SourceFailed(key, absl::StrCat("the ", key, " returned no finite number"));
  }
  return grpc::Status::OK;
}

// Checks `value` of `key` within [min, max] (and above min when `min_open`).
grpc::Status CheckRange(const std::string& key, double value, double min, double max,
                        bool min_open = false) {
  if ((min_open ? value > min : value >= min) && value <= max) return grpc::Status::OK;
  return SourceFailed(key, absl::StrCat("the ", key, " returned ", value, ", outside ",
                                        min_open ? "(" : "[", min, ", ", max, "]"));
}

}  // namespace

bool IsPrometheusAddress(const std::string& address) { return ParseUrl(address).has_value(); }

grpc::Status QueryPrometheus(const PrometheusQueries& queries, absl::Time now,
                             planner::QueueSample* sample) {
  const std::optional<Url> url = ParseUrl(queries.address);
  if (!url.has_value()) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                     "prometheusAddress must be an http:// or https:// URL",
                     {{"scalerMetadata.prometheusAddress", "must be an http:// or https:// URL"}});
  }
  httplib::Client client(url->scheme_host_port);
  const int64_t timeout_us = absl::ToInt64Microseconds(kPrometheusTimeout);
  client.set_connection_timeout(timeout_us / 1'000'000, timeout_us % 1'000'000);
  client.set_read_timeout(timeout_us / 1'000'000, timeout_us % 1'000'000);
  client.set_write_timeout(timeout_us / 1'000'000, timeout_us % 1'000'000);
  client.set_follow_location(false);
  const std::string path = url->path_prefix + "/api/v1/query";

  *sample = planner::QueueSample{};
  sample->time = now;
  double value = 0;
  grpc::Status status = RunQuery(client, path, "arrivalRateQuery", queries.arrival_rate, &value);
  if (status.ok()) status = CheckRange("arrivalRateQuery", value, 0, 1e9);
  if (!status.ok()) return status;
  sample->arrival_rate = value;
  status = RunQuery(client, path, "serviceTimeQuery", queries.service_time, &value);
  if (status.ok()) status = CheckRange("serviceTimeQuery", value, 0, 86'400, /*min_open=*/true);
  if (!status.ok()) return status;
  sample->mean_service_time = value;
  if (!queries.backlog.empty()) {
    status = RunQuery(client, path, "backlogQuery", queries.backlog, &value);
    if (status.ok()) status = CheckRange("backlogQuery", value, 0, kMaxBacklog);
    if (!status.ok()) return status;
    sample->backlog = static_cast<int64_t>(std::llround(value));
  }
  if (!queries.workers.empty()) {
    status = RunQuery(client, path, "workersQuery", queries.workers, &value);
    if (status.ok()) status = CheckRange("workersQuery", value, 0, kMaxWorkers);
    if (!status.ok()) return status;
    sample->workers = static_cast<int>(std::lround(value));
  }
  return grpc::Status::OK;
}

}  // namespace horizonscale::server
