#include "server/keda/scaler_metadata.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/util/time_util.h>

#include "server/common/errors.h"
#include "server/common/field_checks.h"
#include "server/common/text_checks.h"
#include "server/planner/queue_checks.h"
#include "server/planner/queue_settings.h"

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;

// Metadata larger than this (an unusual ScaledObject) is parsed on every
// call, so the cache stays within capacity x this many bytes.
constexpr size_t kMaxCachedMetadataBytes = 4096;

// Keys KEDA itself reads from an external trigger's metadata and passes on.
const std::set<std::string, std::less<>>& KedaOwnKeys() {
  static const std::set<std::string, std::less<>> keys = {
      "scalerAddress", "caCert",    "tlsCertFile", "tlsClientCert",
      "tlsClientKey",  "enableTLS", "unsafeSsl"};
  return keys;
}

// Durations of the metadata: "90s", "5m", "1h30m" (Go's and Abseil's form,
// as Kubernetes users write them).
std::optional<absl::Duration> ParseMetadataDuration(const std::string& text) {
  absl::Duration duration;
  if (!absl::ParseDuration(text, &duration) || duration == absl::InfiniteDuration() ||
      duration == -absl::InfiniteDuration()) {
    return std::nullopt;
  }
  return duration;
}

// Sets `field` of `message` from the metadata text `value`; the problem
// otherwise.
std::optional<std::string> SetField(const std::string& value, const pb::FieldDescriptor& field,
                                    pb::Message& message) {
  const pb::Reflection& reflection = *message.GetReflection();
  switch (field.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_DOUBLE: {
      double number = 0;
      if (!absl::SimpleAtod(value, &number)) return "must be a number";
      reflection.SetDouble(&message, &field, number);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_INT32: {
      int32_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) return "must be a whole number";
      reflection.SetInt32(&message, &field, number);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      int64_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) return "must be a whole number";
      reflection.SetInt64(&message, &field, number);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      bool flag = false;
      if (!absl::SimpleAtob(value, &flag)) return "must be true or false";
      reflection.SetBool(&message, &field, flag);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      const pb::EnumValueDescriptor* named =
          field.enum_type()->FindValueByName(absl::AsciiStrToUpper(value));
      if (named == nullptr || named->number() == 0) {
        return absl::StrCat("must name a value of ", field.enum_type()->name(), " (e.g. ",
                            field.enum_type()->value(field.enum_type()->value_count() - 1)->name(),
                            ")");
      }
      reflection.SetEnum(&message, &field, named);
      return std::nullopt;
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
      if (field.message_type()->full_name() != pb::Duration::descriptor()->full_name()) break;
      std::optional<absl::Duration> duration = ParseMetadataDuration(value);
      if (!duration.has_value()) return "must be a duration such as 90s, 5m or 1h";
      pb::Duration proto =
          pb::util::TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(*duration));
      reflection.MutableMessage(&message, &field)->CopyFrom(proto);
      return std::nullopt;
    }
    default:
      break;
  }
  return "is not settable from metadata";
}

// The field of `type` named `name` by its JSON or proto name.
const pb::FieldDescriptor* FindField(const pb::Descriptor& type, const std::string& name) {
  if (const pb::FieldDescriptor* field = type.FindFieldByName(name)) return field;
  for (int i = 0; i < type.field_count(); ++i) {
    if (type.field(i)->json_name() == name) return type.field(i);
  }
  return nullptr;
}

// The field of `queries` a Prometheus key sets; null for any other key.
std::string* PrometheusField(const std::string& key, PrometheusQueries& queries) {
  if (key == "prometheusAddress") return &queries.address;
  if (key == "arrivalRateQuery") return &queries.arrival_rate;
  if (key == "serviceTimeQuery") return &queries.service_time;
  if (key == "backlogQuery") return &queries.backlog;
  if (key == "workersQuery") return &queries.workers;
  return nullptr;
}

bool IsPrometheusKey(const std::string& key) {
  PrometheusQueries unused;
  return PrometheusField(key, unused) != nullptr;
}

}  // namespace

grpc::Status ParseScalerMetadata(const pb::Map<std::string, std::string>& metadata,
                                 ScalerTarget* target) {
  *target = ScalerTarget{};
  FieldChecks checks;
  if (!checks.Size("scalerMetadata", static_cast<int>(metadata.size()), kMaxScalerMetadataEntries,
                   reason::kInvalidRequest)) {
    return checks.ToStatus();
  }
  // Sorted, so the canonical key does not depend on the map's order.
  const std::map<std::string, std::string> entries(metadata.begin(), metadata.end());
  std::vector<std::string> canonical;
  for (const auto& [key, value] : entries) {
    if (std::optional<std::string> problem = TextProblem(key); problem.has_value()) {
      checks.Fail(absl::StrCat("scalerMetadata[", Quoted(key), "]"), "key " + *problem,
                  reason::kInvalidRequest);
      continue;
    }
    const std::string field = "scalerMetadata." + key;
    if (KedaOwnKeys().contains(key)) continue;
    // PromQL may span lines (a YAML block): newlines and tabs pass.
    std::string checked = value;
    if (IsPrometheusKey(key)) {
      std::replace_if(
          checked.begin(), checked.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
    }
    if (!checks.Text(field, checked, reason::kInvalidRequest, kMaxScalerMetadataValueBytes)) {
      continue;
    }
    canonical.push_back(absl::StrCat(key, "=", value));
    if (key == "queue") {
      if (!IsQueueName(value)) {
        checks.Fail(field, "must be 1 to 128 characters of [A-Za-z0-9._:/-]",
                    reason::kInvalidRequest);
      }
      target->queue = value;
    } else if (key == "hpaTolerance") {
      double tolerance = 0;
      if (!absl::SimpleAtod(value, &tolerance) || !(tolerance >= 0 && tolerance < 1)) {
        checks.Fail(field, "must be a number in [0, 1)", reason::kInvalidRequest);
      } else {
        target->hpa_tolerance = tolerance;
      }
    } else if (key == "metricsMaxAge" || key == "planExpiry") {
      std::optional<absl::Duration> duration = ParseMetadataDuration(value);
      if (!duration.has_value() || *duration <= absl::ZeroDuration() ||
          *duration > absl::Hours(24 * 7)) {
        checks.Fail(field, "must be a duration above 0 and at most 168h, such as 90s or 5m",
                    reason::kInvalidRequest);
      } else {
        (key == "metricsMaxAge" ? target->metrics_max_age : target->plan_expiry) = *duration;
      }
    } else if (IsPrometheusKey(key)) {
      if (!target->prometheus.has_value()) target->prometheus.emplace();
      *PrometheusField(key, *target->prometheus) = value;
    } else if (key.starts_with("slo.") || key.starts_with("config.")) {
      const bool slo = key.starts_with("slo.");
      pb::Message& message =
          slo ? static_cast<pb::Message&>(target->slo) : static_cast<pb::Message&>(target->config);
      const pb::FieldDescriptor* descriptor =
          FindField(*message.GetDescriptor(), key.substr(slo ? 4 : 7));
      if (descriptor == nullptr) {
        checks.Fail(field, absl::StrCat("is not a field of ", message.GetDescriptor()->name()),
                    reason::kInvalidRequest);
      } else if (std::optional<std::string> problem = SetField(value, *descriptor, message)) {
        checks.Fail(field, *problem, reason::kInvalidRequest);
      }
    } else {
      checks.Fail(field,
                  "is not a key of HorizonScale's scaler (queue, slo.<field>, config.<field>, "
                  "hpaTolerance, metricsMaxAge, planExpiry, prometheusAddress, "
                  "arrivalRateQuery, serviceTimeQuery, backlogQuery, workersQuery)",
                  reason::kInvalidRequest);
    }
  }
  if (target->prometheus.has_value()) {
    const PrometheusQueries& queries = *target->prometheus;
    if (!IsPrometheusAddress(queries.address)) {
      checks.Fail("scalerMetadata.prometheusAddress",
                  queries.address.empty() ? "is required with the Prometheus queries"
                                          : "must be an http:// or https:// URL with a host",
                  reason::kInvalidRequest);
    }
    if (queries.arrival_rate.empty()) {
      checks.Fail("scalerMetadata.arrivalRateQuery", "is required with prometheusAddress",
                  reason::kInvalidRequest);
    }
    if (queries.service_time.empty()) {
      checks.Fail("scalerMetadata.serviceTimeQuery", "is required with prometheusAddress",
                  reason::kInvalidRequest);
    }
  }
  if (!entries.contains("queue")) {
    checks.Fail("scalerMetadata.queue", "is required: the queue to scale by",
                reason::kInvalidRequest);
  }
  if (!checks.ok()) return checks.ToStatus();
  // What the planner would refuse, named now rather than on every call.
  FieldChecks planner_checks("scalerMetadata.");
  CheckQueueSettings(QueueSettings{target->slo, target->config}, planner_checks);
  if (!planner_checks.ok()) return planner_checks.ToStatus();
  target->key = absl::StrJoin(canonical, "\n");
  return grpc::Status::OK;
}

grpc::Status ScalerTargetCache::Parse(const pb::Map<std::string, std::string>& metadata,
                                      std::shared_ptr<const ScalerTarget>* target) {
  // The raw map, sorted, as the key: entries are length-prefixed, so no
  // two maps share one.
  std::vector<std::pair<std::string_view, std::string_view>> entries(metadata.begin(),
                                                                     metadata.end());
  std::sort(entries.begin(), entries.end());
  std::string raw;
  for (const auto& [key, value] : entries) {
    raw += std::to_string(key.size()) + ":";
    raw += key;
    raw += std::to_string(value.size()) + ":";
    raw += value;
  }
  {
    std::lock_guard lock(mutex_);
    if (auto found = targets_.find(raw); found != targets_.end()) {
      *target = found->second;
      return grpc::Status::OK;
    }
  }
  auto parsed = std::make_shared<ScalerTarget>();
  if (grpc::Status status = ParseScalerMetadata(metadata, parsed.get()); !status.ok()) {
    return status;
  }
  std::lock_guard lock(mutex_);
  if (targets_.size() >= capacity_) targets_.clear();
  if (raw.size() <= kMaxCachedMetadataBytes) targets_.emplace(std::move(raw), parsed);
  *target = std::move(parsed);
  return grpc::Status::OK;
}

}  // namespace horizonscale::server
