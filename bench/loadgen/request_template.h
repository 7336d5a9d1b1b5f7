// Pre-serialized HTTP requests whose varying parts are fixed-width decimal "slots".
//
// Every key the load generator sends is built from zero-padded numbers, so the byte length of a
// request never changes. That lets us serialize the whole request (request line, headers with a
// final Content-Length, JSON body) once per connection and, per request, only overwrite the digits
// in place: no JSON serialization, no string building and no allocation on the hot path.
#pragma once

#include <boost/asio/buffer.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>  // before any Asio header: Boost 1.74's awaitable.hpp uses std::exchange
#include <vector>

namespace eddy_bench {

struct Endpoint {
  std::string host;  // numeric loopback address, e.g. 127.0.0.1
  uint16_t port = 0;
  std::string host_header;  // "127.0.0.1:8000", the value sent in Host
};

// Parses "http://127.0.0.1:PORT" (the only form accepted: loads may only target loopback).
// Throws std::invalid_argument with an explanation otherwise.
Endpoint ParseEndpoint(std::string_view url);

// One run of digits inside a request, filled from variables[var] on every Fill().
struct DigitSlot {
  uint32_t offset = 0;
  uint8_t width = 0;
  uint16_t var = 0;
};

// Accumulates a JSON body and remembers where the numeric slots are.
class BodyBuilder {
 public:
  BodyBuilder& Text(std::string_view text) {
    text_.append(text);
    return *this;
  }
  // Appends `width` zero digits that Fill() will later overwrite with variables[var].
  BodyBuilder& Number(uint16_t var, uint8_t width);
  // Appends `length` printable filler characters (the ~1 KB payload attribute).
  BodyBuilder& Filler(size_t length);

  const std::string& text() const { return text_; }
  const std::vector<DigitSlot>& slots() const { return slots_; }

 private:
  std::string text_;
  std::vector<DigitSlot> slots_;
};

class RequestTemplate {
 public:
  // POST / with the DynamoDB JSON 1.0 protocol headers and a SigV4-shaped Authorization header.
  static RequestTemplate DynamoPost(const Endpoint& endpoint, std::string_view operation,
                                    const BodyBuilder& body);
  // GET / with no body: measures the server's HTTP ceiling without any DynamoDB work.
  static RequestTemplate HealthGet(const Endpoint& endpoint);

  // Writes every slot's variable as zero-padded decimal (values wider than the slot keep their
  // low-order digits, which is enough to stay unique within one run).
  void Fill(std::span<const uint64_t> variables);

  boost::asio::const_buffer Bytes() const { return boost::asio::buffer(bytes_); }
  std::string_view View() const { return bytes_; }
  std::string_view Body() const { return std::string_view(bytes_).substr(body_offset_); }

 private:
  std::string bytes_;
  std::vector<DigitSlot> slots_;
  size_t body_offset_ = 0;
};

}  // namespace eddy_bench
