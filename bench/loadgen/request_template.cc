#include "request_template.h"

#include <charconv>
#include <stdexcept>

namespace eddy_bench {
namespace {

// Emulators do not verify signatures, but dynalite and dynamodb-local reject requests without a
// well-formed SigV4 Authorization header, so we send a constant one dated like X-Amz-Date.
constexpr std::string_view kAmzDate = "20260101T000000Z";
constexpr std::string_view kAuthorization =
    "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=6b1f0c2d8e3a4f5b7c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d";

}  // namespace

Endpoint ParseEndpoint(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    throw std::invalid_argument("endpoint must start with http:// (TLS is not supported)");
  }
  std::string_view rest = url.substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) throw std::invalid_argument("endpoint needs a :PORT");
  std::string_view host = rest.substr(0, colon);
  const std::string_view port_text = rest.substr(colon + 1);
  if (host == "localhost") host = "127.0.0.1";
  // Benchmarks saturate whatever they point at; refusing anything but loopback keeps a typo from
  // turning the harness into a load test of someone else's machine.
  if (host != "127.0.0.1") throw std::invalid_argument("endpoint host must be 127.0.0.1");
  unsigned port = 0;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    throw std::invalid_argument("endpoint port is not a number in 1..65535");
  }
  Endpoint endpoint;
  endpoint.host = std::string(host);
  endpoint.port = static_cast<uint16_t>(port);
  endpoint.host_header = endpoint.host + ":" + std::to_string(port);
  return endpoint;
}

BodyBuilder& BodyBuilder::Number(uint16_t var, uint8_t width) {
  slots_.push_back(DigitSlot{static_cast<uint32_t>(text_.size()), width, var});
  text_.append(width, '0');
  return *this;
}

BodyBuilder& BodyBuilder::Filler(size_t length) {
  // Varied letters rather than one repeated byte, so a server that compresses values does not get
  // an unrealistically easy payload.
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (size_t i = 0; i < length; ++i)
    text_.push_back(kAlphabet[(i * 7 + i / 13) % kAlphabet.size()]);
  return *this;
}

RequestTemplate RequestTemplate::DynamoPost(const Endpoint& endpoint, std::string_view operation,
                                            const BodyBuilder& body) {
  RequestTemplate request;
  std::string& out = request.bytes_;
  out.reserve(body.text().size() + 512);
  out.append("POST / HTTP/1.1\r\nHost: ").append(endpoint.host_header);
  out.append("\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.");
  out.append(operation);
  out.append("\r\nX-Amz-Date: ").append(kAmzDate);
  out.append("\r\nAuthorization: ").append(kAuthorization);
  out.append("\r\nContent-Length: ").append(std::to_string(body.text().size()));
  out.append("\r\n\r\n");
  request.body_offset_ = out.size();
  out.append(body.text());
  request.slots_ = body.slots();
  for (DigitSlot& slot : request.slots_) slot.offset += static_cast<uint32_t>(request.body_offset_);
  return request;
}

RequestTemplate RequestTemplate::HealthGet(const Endpoint& endpoint) {
  RequestTemplate request;
  request.bytes_ = "GET / HTTP/1.1\r\nHost: " + endpoint.host_header + "\r\n\r\n";
  request.body_offset_ = request.bytes_.size();
  return request;
}

void RequestTemplate::Fill(std::span<const uint64_t> variables) {
  for (const DigitSlot& slot : slots_) {
    uint64_t value = variables[slot.var];
    char* digit = bytes_.data() + slot.offset + slot.width;
    for (uint8_t i = 0; i < slot.width; ++i) {
      *--digit = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  }
}

}  // namespace eddy_bench
