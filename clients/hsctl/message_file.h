// Requests and resources from files: YAML (or JSON, which YAML reads too)
// in protobuf's JSON mapping, snake_case or lowerCamelCase field names.
#pragma once

#include <string>
#include <vector>

#include <absl/status/status.h>
#include <google/protobuf/message.h>

namespace horizonscale::hsctl {

// Reads `path` ("-": stdin) into `message`. INVALID_ARGUMENT naming the file
// and what is wrong (not YAML, a field the message does not have, a value
// of the wrong type).
absl::Status ReadMessageFile(const std::string& path, google::protobuf::Message& message);

// The same from text; `where` names it in errors.
absl::Status ReadMessageText(const std::string& text, const std::string& where,
                             google::protobuf::Message& message);

// The dotted paths of the leaves of the YAML mapping `text` under `root`
// (e.g. root "queue": "config.max_workers"), for an update mask that
// changes what a file sets and nothing else.
std::vector<std::string> LeafPaths(const std::string& text, const std::string& root);

}  // namespace horizonscale::hsctl
