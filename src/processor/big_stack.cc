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

void RunWithLargeStack(const std::function<void()>& work) {
  for (size_t size : {size_t{1} << 30, size_t{256} << 20}) {
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
