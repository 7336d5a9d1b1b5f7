#pragma once
// Time to Live's background work: deleting the expired items of every table with TTL enabled
// (through the same write path as DeleteItem, so index rows and REMOVE stream records go with
// them) and dropping stream records past their 24 hours.
#include <cstdint>
#include <functional>

#include "operations/namespaces.h"

namespace eddy::operations {

// Sweeps one namespace as of `now`, in writer jobs of a few hundred deletions each so that other
// writers are not held up; done(deleted) runs once finished (on the writer thread, or at once when
// nothing is due). A failed job ends the sweep early: what is left is found next time.
void sweep_expired(Namespace& space, double now, std::function<void(int64_t deleted)> done);

// Sweeps every open namespace; done(total deleted) once all have finished.
void sweep_all_expired(Namespaces& namespaces, double now,
                       std::function<void(int64_t deleted)> done);

}  // namespace eddy::operations
