// Request parsing and response serialization for handlers registered on raw
// bytes (grpc::ByteBuffer). Every method of the server is registered so:
// gRPC's own parsing answers a body that does not parse with INTERNAL and
// an empty message (UNIMPLEMENTED for callback methods), while it is the
// client's fault and deserves INVALID_ARGUMENT with a message.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

namespace horizonscale::server {

// Parses `bytes` into `message` (cleared first). Returns OK, or
// INVALID_ARGUMENT (reason INVALID_REQUEST) whose message names the
// message type when the bytes are not its protobuf encoding (truncated,
// malformed, or a string field that is not UTF-8). `what` opens the message
// ("the request", "message 3 of the stream").
grpc::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message,
                          std::string_view what = "the request");

// Serializes `message` into `bytes` (replacing what they held). Returns OK, or INTERNAL when the
// message cannot be encoded (larger than 2 GiB).
grpc::Status SerializeMessage(const google::protobuf::Message& message, grpc::ByteBuffer& bytes);

}  // namespace horizonscale::server
