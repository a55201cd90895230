// Running work on a thread with a large stack.
//
// Go lets templates nest {{template}} calls 100,000 deep because goroutine
// stacks grow; a C++ thread has a fixed stack.  Rendering runs on a thread
// whose stack is reserved large enough (virtual memory, touched only as
// used), so berth reaches Go's limit instead of stopping early.  When such a
// thread cannot be created the work runs on the calling thread, where the
// executor's stack guard still turns runaway recursion into an error.
#pragma once

#include <functional>

namespace berth::processor {

// Runs `work` to completion on a large-stack thread and returns afterwards.
void RunWithLargeStack(const std::function<void()>& work);

}  // namespace berth::processor
