#include "clients/hsctl/message_file.h"

#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <absl/strings/str_cat.h>
#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include "server/common/json_string.h"

namespace horizonscale::hsctl {
namespace {

// A YAML scalar as JSON: numbers and booleans bare, everything else a
// string (quoted YAML scalars stay strings).
void AppendScalar(const YAML::Node& node, std::string& out) {
  const std::string& text = node.Scalar();
  static const std::regex kNumber(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)");
  if (node.Tag() != "!" && (text == "true" || text == "false" || std::regex_match(text, kNumber))) {
    out += text;
    return;
  }
  if (node.Tag() != "!" && (text == "null" || text == "~")) {
    out += "null";
    return;
  }
  server::AppendJsonString(text, out);
}

void AppendJson(const YAML::Node& node, std::string& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      out.push_back('{');
      bool first = true;
      for (const auto& entry : node) {
        if (!first) out.push_back(',');
        first = false;
        server::AppendJsonString(entry.first.as<std::string>(), out);
        out.push_back(':');
        AppendJson(entry.second, out);
      }
      out.push_back('}');
      return;
    }
    case YAML::NodeType::Sequence: {
      out.push_back('[');
      for (size_t i = 0; i < node.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJson(node[i], out);
      }
      out.push_back(']');
      return;
    }
    case YAML::NodeType::Scalar:
      AppendScalar(node, out);
      return;
    default:
      out += "null";
  }
}

void CollectLeaves(const YAML::Node& node, const std::string& prefix,
                   std::vector<std::string>& paths) {
  if (!node.IsMap()) {
    paths.push_back(prefix);
    return;
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    CollectLeaves(entry.second, prefix.empty() ? key : prefix + "." + key, paths);
  }
}

}  // namespace

absl::Status ReadMessageText(const std::string& text, const std::string& where,
                             google::protobuf::Message& message) {
  std::string json;
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return absl::InvalidArgumentError(where + ": must be a YAML mapping");
    AppendJson(root, json);
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": not YAML: ", error.what()));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": not a ", message.GetTypeName(), ": ",
                                                   std::string(parsed.message())));
  }
  return absl::OkStatus();
}

absl::Status ReadMessageFile(const std::string& path, google::protobuf::Message& message) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path);
    if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
    text << in.rdbuf();
  }
  return ReadMessageText(text.str(), path == "-" ? "stdin" : path, message);
}

std::vector<std::string> LeafPaths(const std::string& text, const std::string& root) {
  std::vector<std::string> paths;
  try {
    const YAML::Node node = YAML::Load(text);
    if (node.IsMap() && node[root]) CollectLeaves(node[root], "", paths);
  } catch (const YAML::Exception&) {
  }
  return paths;
}

}  // namespace horizonscale::hsctl
