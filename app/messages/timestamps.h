#pragma once
// The seeds' timestamps: Python's datetime.now(timezone.utc).astimezone().isoformat(), i.e.
// ISO-8601 with microseconds and an offset ("2026-11-21T09:05:03.123456+00:00"). They are the
// sort keys of both row kinds, so their text order must be their time order: always UTC, always
// six fractional digits.
#include <chrono>
#include <optional>
#include <string>

namespace cruddur::messages {

using Clock = std::chrono::system_clock;

std::string iso8601(Clock::time_point when);

// The time an iso8601() text names (any offset); nullopt for other text.
std::optional<Clock::time_point> parse_iso8601(const std::string& text);

// The year of `when` as the sort keys begin with it ("2026"): patterns A and B's begins_with.
std::string year_of(Clock::time_point when);

// "2026-11-21 09:05 AM", as the seeds' get-conversation prints sk (strftime '%Y-%m-%d %I:%M %p');
// text that is not such a timestamp comes back unchanged.
std::string listing_time(const std::string& iso_timestamp);

// A fresh random (version 4) UUID in its usual text form.
std::string random_uuid();

}  // namespace cruddur::messages
