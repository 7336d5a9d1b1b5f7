// Fixed-size log-linear latency histogram in the spirit of HdrHistogram.
//
// Values below 2^(kMantissaBits + 1) nanoseconds get one bucket each; above that every power-of-two
// range is split into 2^kMantissaBits equal buckets, so the relative error stays under
// 1 / 2^kMantissaBits (0.4 %) all the way up to 2^40 ns (about 18 minutes). Recording is a couple
// of bit operations and one increment: no allocation and no branches on the data beyond the clamp,
// so the histogram can sit in the hot loop of every connection.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace eddy_bench {

class LatencyHistogram {
 public:
  static constexpr int kMantissaBits = 8;
  static constexpr uint64_t kBucketsPerOctave = uint64_t{1} << kMantissaBits;
  static constexpr uint64_t kLinearLimit = uint64_t{1} << (kMantissaBits + 1);
  static constexpr int kMaxValueBits = 40;
  static constexpr uint64_t kMaxTrackable = (uint64_t{1} << kMaxValueBits) - 1;
  static constexpr size_t kBucketCount =
      kLinearLimit + (kMaxValueBits - kMantissaBits - 1) * kBucketsPerOctave;

  void Record(uint64_t nanos) {
    const uint64_t clamped = std::min(nanos, kMaxTrackable);
    ++counts_[IndexOf(clamped)];
    ++count_;
    sum_ += clamped;
    max_ = std::max(max_, clamped);
    min_ = std::min(min_, clamped);
  }

  void Merge(const LatencyHistogram& other) {
    for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    max_ = std::max(max_, other.max_);
    min_ = std::min(min_, other.min_);
  }

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }

  // Returns the value (in nanoseconds) below which `percentile` percent of samples fall. The
  // bucket midpoint is reported, capped by the exact maximum so p100 equals max.
  uint64_t ValueAtPercentile(double percentile) const {
    if (count_ == 0) return 0;
    const double clamped = std::clamp(percentile, 0.0, 100.0);
    const uint64_t rank =
        std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(clamped / 100.0 * count_)));
    if (rank >= count_) return max_;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBucketCount; ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::clamp(MidpointOf(i), min(), max_);
    }
    return max_;
  }

 private:
  static size_t IndexOf(uint64_t value) {
    if (value < kLinearLimit) return static_cast<size_t>(value);
    const int top_bit = 63 - std::countl_zero(value);
    const int shift = top_bit - kMantissaBits;  // >= 1 because value >= kLinearLimit
    const uint64_t mantissa = (value >> shift) - kBucketsPerOctave;
    return static_cast<size_t>(kLinearLimit + (shift - 1) * kBucketsPerOctave + mantissa);
  }

  static uint64_t MidpointOf(size_t index) {
    if (index < kLinearLimit) return index;
    const uint64_t offset = index - kLinearLimit;
    const int shift = static_cast<int>(offset / kBucketsPerOctave) + 1;
    const uint64_t lowest = (kBucketsPerOctave + offset % kBucketsPerOctave) << shift;
    return lowest + ((uint64_t{1} << shift) >> 1);
  }

  std::array<uint64_t, kBucketCount> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t max_ = 0;
  uint64_t min_ = std::numeric_limits<uint64_t>::max();
};

}  // namespace eddy_bench
