#include "clients/hsctl/telemetry_csv.h"

#include <algorithm>
#include <charconv>

#include <absl/strings/str_cat.h>

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

bool HasFourFields(const std::vector<std::string>& fields, std::string& error) {
  if (fields.size() == 4) return true;
  error = absl::StrCat("expected 4 fields, found ", fields.size());
  return false;
}

}  // namespace

bool SplitCsvLine(std::string_view line, std::vector<std::string>& fields, std::string& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  fields.clear();
  size_t i = 0;
  while (true) {
    std::string& field = fields.emplace_back();
    if (i < line.size() && line[i] == '"') {
      const size_t opened = i++;
      while (true) {
        if (i >= line.size()) {
          error = absl::StrCat("the quoted field at column ", opened + 1, " is not closed");
          return false;
        }
        if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          field.push_back('"');
          i += 2;
        } else if (line[i] == '"') {
          ++i;
          break;
        } else {
          field.push_back(line[i++]);
        }
      }
      if (i < line.size() && line[i] != ',') {
        error = absl::StrCat("text after the closing quote at column ", i + 1);
        return false;
      }
    } else {
      const size_t end = std::min(line.find(',', i), line.size());
      field.assign(line.substr(i, end - i));
      if (field.find('"') != std::string::npos) {
        error = absl::StrCat("a quote inside the unquoted field at column ", i + 1);
        return false;
      }
      i = end;
    }
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

std::optional<v1::Resource> ResourceFromName(std::string_view name) {
  if (name == "cpu") return v1::RESOURCE_CPU;
  if (name == "memory") return v1::RESOURCE_MEMORY;
  if (name == "disk") return v1::RESOURCE_DISK;
  if (name == "network") return v1::RESOURCE_NETWORK;
  return std::nullopt;
}

bool ParseSampleRow(const std::vector<std::string>& fields, v1::UtilizationSample& sample,
                    std::string& error) {
  if (!HasFourFields(fields, error)) return false;
  const std::optional<v1::Resource> resource = ResourceFromName(fields[1]);
  if (!resource.has_value()) {
    error = absl::StrCat("resource \"", fields[1], "\" is not cpu, memory, disk or network");
    return false;
  }
  const std::string& text = fields[3];
  double value = 0;
  const auto [end, code] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || code != std::errc() || end != text.data() + text.size()) {
    error = absl::StrCat("p95_utilization_percent \"", text, "\" is not a number");
    return false;
  }
  sample.set_host_id(fields[0]);
  sample.set_resource(*resource);
  sample.set_date(fields[2]);
  sample.set_p95_utilization_percent(value);
  return true;
}

bool ParseHostRow(const std::vector<std::string>& fields, v1::HostMetadata& host,
                  std::string& error) {
  if (!HasFourFields(fields, error)) return false;
  host.set_host_id(fields[0]);
  host.set_department(fields[1]);
  host.set_app_code(fields[2]);
  host.set_scenario(fields[3]);
  return true;
}

}  // namespace horizonscale::hsctl
