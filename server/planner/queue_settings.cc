#include "server/planner/queue_settings.h"

#include <vector>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <google/protobuf/util/json_util.h>

#include "server/common/errors.h"
#include "server/planner/plan_request.h"
#include "server/planner/queue_checks.h"

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;

constexpr int kMaxMaskPaths = 64;

absl::Status ParseJson(const std::string& json, pb::Message& message, const char* what) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // settings stored by a newer server
  const auto parsed = pb::util::JsonStringToMessage(json, &message, options);
  if (!parsed.ok()) {
    return absl::InternalError(
        absl::StrCat("the stored ", what, " does not parse: ", parsed.ToString()));
  }
  return absl::OkStatus();
}

std::string ToJson(const pb::Message& message) {
  std::string json;
  pb::util::JsonPrintOptions options;
  (void)pb::util::MessageToJsonString(message, &json, options);  // cannot fail on a valid message
  return json.empty() ? "{}" : json;
}

}  // namespace

absl::StatusOr<QueueSettings> ParseQueueSettings(const db::QueueSettings& stored) {
  QueueSettings settings;
  if (absl::Status s = ParseJson(stored.slo_json, settings.slo, "slo"); !s.ok()) return s;
  if (absl::Status s = ParseJson(stored.config_json, settings.config, "config"); !s.ok()) {
    return s;
  }
  return settings;
}

db::QueueSettings ToStoredSettings(const QueueSettings& settings) {
  return db::QueueSettings{ToJson(settings.slo), ToJson(settings.config)};
}

void OverlaySetFields(const pb::Message& over, pb::Message& base) {
  const pb::Reflection* reflection = over.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  reflection->ListFields(over, &fields);
  for (const pb::FieldDescriptor* field : fields) {
    base.GetReflection()->ClearField(&base, field);
  }
  base.MergeFrom(over);  // into cleared fields: a copy of each
}

void ApplyUpdateMask(const v1::Queue& from, const pb::FieldMask& mask, QueueSettings& settings,
                     FieldChecks& checks) {
  if (!checks.Size("update_mask.paths", mask.paths_size(), kMaxMaskPaths,
                   reason::kInvalidRequest)) {
    return;
  }
  std::vector<std::string> paths(mask.paths().begin(), mask.paths().end());
  if (paths.empty()) paths = {"slo", "config"};
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string& path = paths[i];
    const std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (!checks.Text(field, path, reason::kInvalidRequest, 256, /*required=*/true)) continue;
    const std::vector<std::string> parts = absl::StrSplit(path, '.');
    pb::Message* target = nullptr;
    const pb::Message* source = nullptr;
    if (parts[0] == "slo") {
      target = &settings.slo;
      source = &from.slo();
    } else if (parts[0] == "config") {
      target = &settings.config;
      source = &from.config();
    }
    if (target == nullptr || parts.size() > 2) {
      checks.Fail(field,
                  absl::StrCat("\"", path,
                               "\" is not an updatable field: use slo, config, slo.<field> or "
                               "config.<field>"),
                  reason::kInvalidRequest);
      continue;
    }
    if (parts.size() == 1) {
      target->CopyFrom(*source);
      continue;
    }
    const pb::FieldDescriptor* descriptor = target->GetDescriptor()->FindFieldByName(parts[1]);
    if (descriptor == nullptr) {
      checks.Fail(field,
                  absl::StrCat("\"", path, "\": ", target->GetDescriptor()->name(),
                               " has no field \"", parts[1], "\""),
                  reason::kInvalidRequest);
      continue;
    }
    const pb::Reflection* reflection = target->GetReflection();
    reflection->ClearField(target, descriptor);
    if (descriptor->is_repeated() ? source->GetReflection()->FieldSize(*source, descriptor) > 0
                                  : source->GetReflection()->HasField(*source, descriptor)) {
      // Copy the one field: clear everything else in a copy, then merge.
      std::unique_ptr<pb::Message> only(source->New());
      only->CopyFrom(*source);
      std::vector<const pb::FieldDescriptor*> fields;
      only->GetReflection()->ListFields(*only, &fields);
      for (const pb::FieldDescriptor* other : fields) {
        if (other != descriptor) only->GetReflection()->ClearField(only.get(), other);
      }
      target->MergeFrom(*only);
    }
  }
}

void CheckQueueSettings(const QueueSettings& settings, FieldChecks& checks) {
  CheckSlo(settings.slo, checks);
  planner::PlannerConfig config;
  ReadPlannerConfig(settings.config, checks, config);
}

}  // namespace horizonscale::server
