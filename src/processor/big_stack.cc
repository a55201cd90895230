#include "processor/big_stack.h"

#include <pthread.h>

#include <cstddef>

namespace berth::processor {
namespace {

void* Trampoline(void* arg) {
  (*static_cast<const std::function<void()>*>(arg))();
  return nullptr;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer cannot unpoison more than 64 MiB of stack when an
// exception unwinds it and then reports false errors; the executor's stack
// guard stops recursion within this smaller stack instead.
constexpr size_t kStackSizes[] = {size_t{32} << 20};
#else
constexpr size_t kStackSizes[] = {size_t{1} << 30, size_t{256} << 20};
#endif

void RunWithLargeStack(const std::function<void()>& work) {
  for (size_t size : kStackSizes) {
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) break;
    pthread_t thread;
    const bool started =
        pthread_attr_setstacksize(&attr, size) == 0 &&
        pthread_create(&thread, &attr, Trampoline, const_cast<std::function<void()>*>(&work)) == 0;
    pthread_attr_destroy(&attr);
    if (started) {
      pthread_join(thread, nullptr);
      return;
    }
  }
  work();
}

}  // namespace berth::processor
