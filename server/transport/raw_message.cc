#include "server/transport/raw_message.h"

#include <absl/strings/str_cat.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include "server/common/errors.h"

namespace horizonscale::server {

grpc::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message,
                          std::string_view what) {
  message.Clear();
  grpc::ByteBuffer input_bytes(bytes);  // shares the slices; the reader needs a mutable buffer
  grpc::ProtoBufferReader input(&input_bytes);
  if (!input.status().ok() || !message.ParseFromZeroCopyStream(&input)) {
    const std::string& type = message.GetDescriptor()->full_name();
    return MakeError(
        grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
        absl::StrCat(absl::string_view(what.data(), what.size()), " is not a valid ", type,
                     ": truncated or not UTF-8 (the body must be the protobuf encoding of ", type,
                     ", and every string field must hold UTF-8)"));
  }
  return grpc::Status::OK;
}

grpc::Status SerializeMessage(const google::protobuf::Message& message, grpc::ByteBuffer& bytes) {
  bytes.Clear();  // gRPC serializes only into an empty buffer
  bool own_buffer = false;
  grpc::Status status =
      grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, &bytes, &own_buffer);
  if (!status.ok()) {
    return MakeError(grpc::StatusCode::INTERNAL, reason::kInternal,
                     absl::StrCat("the response (", message.GetDescriptor()->full_name(),
                                  ") could not be encoded"));
  }
  return status;
}

}  // namespace horizonscale::server
