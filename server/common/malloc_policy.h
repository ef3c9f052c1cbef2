// How the server's allocator gives memory back to the system.
#pragma once

namespace horizonscale::server {

// Keeps up to 256 MiB of freed heap memory in the process instead of
// returning it to the kernel after each large burst of allocations, and
// serves allocations up to 64 MiB from the heap. The server allocates and
// frees the same working sets over and over (a /metrics render builds
// megabytes of small objects per scrape; plans and forecasts are alike):
// giving the memory back only to fault it in again made a 10,000-queue
// render 2.4 times slower (bench/http: 72 ms against 30 ms). Call once at
// start, before threads are made.
void KeepFreedMemoryForReuse();

}  // namespace horizonscale::server
