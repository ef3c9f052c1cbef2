#include "server/http/connect_unary.h"

#include <chrono>
#include <future>
#include <map>
#include <shared_mutex>

#include <absl/strings/ascii.h>
#include <absl/strings/escaping.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/type.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>
#include <google/protobuf/util/type_resolver_util.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/byte_buffer.h>

#include "google/rpc/status.pb.h"
#include "server/common/errors.h"
#include "server/common/json_string.h"
#include "server/http/json_printer.h"
#include "server/security/call_gate.h"
#include "server/transport/raw_message.h"

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;

// A JSON call's deadline when the client names none.
constexpr std::chrono::seconds kDefaultDeadline(30);
// The longest deadline a client may ask for (Connect-Timeout-Ms has at most
// 10 digits).
constexpr int64_t kMaxTimeoutMs = 9'999'999'999;

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

// "/package.Service/Method" split in two; empty parts when it is not that.
std::pair<std::string_view, std::string_view> SplitPath(std::string_view path) {
  if (path.size() < 4 || path[0] != '/') return {};
  const size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos || slash + 1 >= path.size()) return {};
  return {path.substr(1, slash - 1), path.substr(slash + 1)};
}

// The generated pool's type resolver, remembering what it resolved: the
// JSON parser asks for every message and enum type of a request on each
// call, and building them from descriptors anew cost about 18 us of a
// GeneratePlan's JSON path when answers were printed through it too.
class CachingTypeResolver final : public pb::util::TypeResolver {
 public:
  CachingTypeResolver()
      : resolver_(pb::util::NewTypeResolverForDescriptorPool(
            "type.googleapis.com", pb::DescriptorPool::generated_pool())) {}

  pb::util::Status ResolveMessageType(const std::string& type_url, pb::Type* type) override {
    return Resolve(type_url, messages_, type, &pb::util::TypeResolver::ResolveMessageType);
  }
  pb::util::Status ResolveEnumType(const std::string& type_url, pb::Enum* type) override {
    return Resolve(type_url, enums_, type, &pb::util::TypeResolver::ResolveEnumType);
  }

 private:
  template <class Type>
  pb::util::Status Resolve(const std::string& type_url, std::map<std::string, Type>& cache,
                           Type* type,
                           pb::util::Status (pb::util::TypeResolver::*resolve)(const std::string&,
                                                                               Type*)) {
    {
      std::shared_lock lock(mutex_);
      if (auto found = cache.find(type_url); found != cache.end()) {
        *type = found->second;
        return pb::util::Status();
      }
    }
    pb::util::Status status = (resolver_.get()->*resolve)(type_url, type);
    if (status.ok()) {
      std::unique_lock lock(mutex_);
      cache.emplace(type_url, *type);  // bounded: the generated pool's types
    }
    return status;
  }

  const std::unique_ptr<pb::util::TypeResolver> resolver_;
  std::shared_mutex mutex_;
  std::map<std::string, pb::Type> messages_;  // guarded by mutex_
  std::map<std::string, pb::Enum> enums_;     // guarded by mutex_
};

pb::util::TypeResolver* Resolver() {
  static CachingTypeResolver* const resolver = new CachingTypeResolver();
  return resolver;
}

std::string TypeUrl(const pb::Descriptor& type) {
  return absl::StrCat("type.googleapis.com/", type.full_name());
}

// Whether `value` may travel as gRPC metadata: 1 to 256 printable ASCII
// bytes (what else a client sends in these headers is not forwarded).
bool MetadataSafe(std::string_view value) {
  if (value.empty() || value.size() > 256) return false;
  for (const char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

HttpAnswer Error(const grpc::Status& status) {
  return {.status = HttpStatusOf(status.error_code()), .body = ConnectErrorBody(status)};
}

// Appends `message` in the canonical JSON mapping: by reflection
// (json_printer.h: protobuf's converter took as long as a GeneratePlan),
// by protobuf's converter where the printer leaves it that. False when the
// message has no JSON form.
bool AppendJson(const pb::Message& message, std::string& out) {
  const size_t start = out.size();
  if (AppendCanonicalJson(message, out)) return true;
  out.resize(start);
  pb::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = false;  // lowerCamelCase, as the canonical mapping
  std::string json;
  if (!pb::util::MessageToJsonString(message, &json, options).ok()) return false;
  out += json;
  return true;
}

// `status`'s google.rpc.Status details as Connect details (JSON array).
std::string Details(const grpc::Status& status) {
  google::rpc::Status rich;
  if (status.error_details().empty() || !rich.ParseFromString(status.error_details())) return "";
  std::string out;
  for (const pb::Any& detail : rich.details()) {
    const std::string_view type_url = detail.type_url();
    const std::string type(type_url.substr(type_url.rfind('/') + 1));
    std::string entry = absl::StrCat("{\"type\":\"", type, "\",\"value\":\"",
                                     absl::Base64Escape(detail.value()), "\"");
    // The detail in JSON, for people reading the answer with curl.
    if (const pb::Descriptor* descriptor =
            pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type)) {
      std::unique_ptr<pb::Message> message(
          pb::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
      std::string json;
      if (message->ParseFromString(detail.value()) && AppendJson(*message, json)) {
        absl::StrAppend(&entry, ",\"debug\":", json);
      }
    }
    entry.push_back('}');
    absl::StrAppend(&out, out.empty() ? "" : ",", entry);
  }
  return out;
}

}  // namespace

std::string_view ConnectCodeName(grpc::StatusCode code) {
  static constexpr std::string_view kNames[] = {"ok",
                                                "canceled",
                                                "unknown",
                                                "invalid_argument",
                                                "deadline_exceeded",
                                                "not_found",
                                                "already_exists",
                                                "permission_denied",
                                                "resource_exhausted",
                                                "failed_precondition",
                                                "aborted",
                                                "out_of_range",
                                                "unimplemented",
                                                "internal",
                                                "unavailable",
                                                "data_loss",
                                                "unauthenticated"};
  const auto index = static_cast<size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "unknown";
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

std::string ConnectErrorBody(const grpc::Status& status) {
  std::string body = absl::StrCat("{\"code\":\"", AbslView(ConnectCodeName(status.error_code())),
                                  "\",\"message\":");
  AppendJsonString(status.error_message(), body);
  if (std::string details = Details(status); !details.empty()) {
    absl::StrAppend(&body, ",\"details\":[", details, "]");
  }
  body.push_back('}');
  return body;
}

ConnectUnaryBridge::ConnectUnaryBridge(std::shared_ptr<grpc::Channel> channel,
                                       std::vector<std::string> services, std::string bridge_key)
    : channel_(std::move(channel)),
      services_(std::move(services)),
      bridge_key_(std::move(bridge_key)),
      stub_(channel_) {}

bool ConnectUnaryBridge::Serves(std::string_view path) const {
  auto [service, method] = SplitPath(path);
  for (const std::string& name : services_) {
    if (name != service) continue;
    const pb::ServiceDescriptor* descriptor =
        pb::DescriptorPool::generated_pool()->FindServiceByName(name);
    return descriptor != nullptr && descriptor->FindMethodByName(std::string(method)) != nullptr;
  }
  return false;
}

HttpAnswer ConnectUnaryBridge::Call(const ConnectRequest& request) {
  auto [service_name, method_name] = SplitPath(request.path);
  const pb::MethodDescriptor* method = nullptr;
  if (Serves(request.path)) {
    method = pb::DescriptorPool::generated_pool()
                 ->FindServiceByName(std::string(service_name))
                 ->FindMethodByName(std::string(method_name));
  }
  if (method == nullptr) {
    HttpAnswer answer =
        Error(grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                           absl::StrCat("no method ", AbslView(request.path),
                                        ": POST /<package>.<Service>/<Method>, e.g. "
                                        "/horizonscale.v1.CapacityPlannerService/GeneratePlan")));
    answer.status = 404;  // an unknown route, as Connect answers it
    return answer;
  }
  if (method->client_streaming() || method->server_streaming()) {
    HttpAnswer answer = Error(grpc::Status(
        grpc::StatusCode::UNIMPLEMENTED,
        absl::StrCat(method->full_name(),
                     " is a streaming method: call it over gRPC (JSON over HTTP serves unary "
                     "methods only)")));
    answer.status = 404;
    return answer;
  }
  // Connect's unary JSON requests are application/json (parameters allowed).
  std::string media_type(request.content_type.substr(0, request.content_type.find(';')));
  absl::StripAsciiWhitespace(&media_type);
  absl::AsciiStrToLower(&media_type);
  if (media_type != "application/json") {
    HttpAnswer answer =
        Error(MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                        absl::StrCat("Content-Type \"", AbslView(request.content_type),
                                     "\" is not served: send the request as application/json"),
                        {{"Content-Type", "must be application/json"}}));
    answer.status = 415;
    return answer;
  }

  grpc::ClientContext context;
  if (request.timeout_ms.empty()) {
    context.set_deadline(std::chrono::system_clock::now() + kDefaultDeadline);
  } else {
    int64_t timeout_ms = 0;
    if (request.timeout_ms.size() > 10 ||
        !absl::SimpleAtoi(AbslView(request.timeout_ms), &timeout_ms) || timeout_ms <= 0 ||
        timeout_ms > kMaxTimeoutMs) {
      return Error(
          MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                    "Connect-Timeout-Ms must be a positive integer of at most 10 digits "
                    "(milliseconds)",
                    {{"Connect-Timeout-Ms", "must be a positive integer of milliseconds"}}));
    }
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  }
  if (!request.authorization.empty()) {
    context.AddMetadata("authorization", std::string(request.authorization));
  }
  if (MetadataSafe(request.request_id)) {
    context.AddMetadata(kRequestIdMetadata, std::string(request.request_id));
  }
  if (!bridge_key_.empty()) {
    context.AddMetadata(kBridgeKeyMetadata, bridge_key_);
    if (!request.peer.empty()) context.AddMetadata(kHttpPeerMetadata, request.peer);
    for (const std::string& name : request.certificate_names) {
      if (MetadataSafe(name)) context.AddMetadata(kHttpCertificateMetadata, name);
    }
  } else if (!request.peer.empty()) {
    context.AddMetadata(kHttpPeerMetadata, request.peer);
  }

  // The request from JSON straight to protobuf bytes by the type resolver
  // (the handler parses them as a gRPC call's).
  pb::util::JsonParseOptions parse_options;
  parse_options.ignore_unknown_fields = false;
  const std::string_view body = request.body.empty() ? std::string_view("{}") : request.body;
  std::string request_binary;
  if (pb::util::Status parsed = pb::util::JsonToBinaryString(
          Resolver(), TypeUrl(*method->input_type()), pb::StringPiece(body.data(), body.size()),
          &request_binary, parse_options);
      !parsed.ok()) {
    const std::string why(parsed.message().data(), parsed.message().size());
    return Error(MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                           absl::StrCat("the request body is not a ",
                                        method->input_type()->full_name(), " in JSON: ", why),
                           {{"body", why}}));
  }
  grpc::Slice request_slice(request_binary);
  grpc::ByteBuffer request_bytes(&request_slice, 1);

  grpc::ByteBuffer response_bytes;
  std::promise<grpc::Status> ended;
  stub_.UnaryCall(&context, absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                  grpc::StubOptions(), &request_bytes, &response_bytes,
                  [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
  const grpc::Status status = ended.get_future().get();
  if (!status.ok()) return Error(status);

  // The answer read into its generated type and printed.
  std::unique_ptr<pb::Message> response(
      pb::MessageFactory::generated_factory()->GetPrototype(method->output_type())->New());
  if (!ParseMessage(response_bytes, *response, "the answer").ok()) {
    return Error(grpc::Status(
        grpc::StatusCode::INTERNAL,
        absl::StrCat("the server's answer is not a ", method->output_type()->full_name())));
  }
  HttpAnswer answer;
  answer.body.reserve(response_bytes.Length() * 2);
  if (!AppendJson(*response, answer.body)) {
    return Error(grpc::Status(grpc::StatusCode::INTERNAL, "the server's answer has no JSON form"));
  }
  return answer;
}

}  // namespace horizonscale::server
