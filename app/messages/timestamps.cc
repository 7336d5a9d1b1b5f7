#include "messages/timestamps.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace cruddur::messages {

std::string iso8601(Clock::time_point when) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(when.time_since_epoch());
  std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(micros).count();
  long fraction = static_cast<long>(micros.count() % 1000000);
  if (fraction < 0) {  // before 1970: floor, so the fraction stays within [0, 1 s)
    fraction += 1000000;
    seconds -= 1;
  }
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, fraction);
  return text;
}

std::optional<Clock::time_point> parse_iso8601(const std::string& text) {
  int year, month, day, hour, minute, second, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  std::tm fields{};
  fields.tm_year = year - 1900;
  fields.tm_mon = month - 1;
  fields.tm_mday = day;
  fields.tm_hour = hour;
  fields.tm_min = minute;
  fields.tm_sec = second;
  auto when = Clock::from_time_t(timegm(&fields));
  size_t position = 19;
  if (position < text.size() && text[position] == '.') {
    long micros = 0;
    int digits = 0;
    while (++position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
      if (digits++ < 6) micros = micros * 10 + (text[position] - '0');
    }
    for (; digits < 6; ++digits) micros *= 10;
    when += std::chrono::microseconds(micros);
  }
  std::string zone = text.substr(position);
  if (zone == "Z" || zone.empty()) return when;
  int offset_hours, offset_minutes;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
      std::sscanf(zone.c_str() + 1, "%2d:%2d", &offset_hours, &offset_minutes) != 2) {
    return std::nullopt;
  }
  auto offset = std::chrono::hours(offset_hours) + std::chrono::minutes(offset_minutes);
  return zone[0] == '+' ? when - offset : when + offset;
}

std::string year_of(Clock::time_point when) {
  return iso8601(when).substr(0, 4);
}

std::string listing_time(const std::string& iso_timestamp) {
  std::tm parsed{};
  const char* rest = strptime(iso_timestamp.c_str(), "%Y-%m-%dT%H:%M:%S", &parsed);
  if (rest == nullptr) return iso_timestamp;
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %I:%M %p", &parsed);
  return text;
}

std::string random_uuid() {
  // boost's generator is not thread-safe; requests and the worker create uuids concurrently.
  static std::mutex generator_mutex;
  static boost::uuids::random_generator generator;
  std::lock_guard lock(generator_mutex);
  return boost::uuids::to_string(generator());
}

}  // namespace cruddur::messages
