#pragma once
// eddy's clock: the system clock plus an offset that only moves forward. Tests move it (through
// the local-only admin endpoint) to see TTL expiry, shard rollover, iterator expiry and stream
// retention without waiting hours. Every time an operation reads or records goes through here.
namespace eddy::operations {

// Seconds since the epoch, with milliseconds, as eddy sees them.
double now_seconds();

// Moves eddy's clock forward by seconds (at most a century per call; nothing for 0 or less);
// returns the offset from the system clock.
double advance_clock(double seconds);
double clock_offset_seconds();

}  // namespace eddy::operations
