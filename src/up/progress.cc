#include "up/progress.h"

#include <atomic>
#include <cstdio>

namespace berth::up {

namespace {

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

std::string Seconds(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1fs",
                std::chrono::duration_cast<std::chrono::duration<double>>(d).count());
  return buf;
}

}  // namespace

void Progress::Begin(std::string name) {
  ++step_;
  name_ = std::move(name);
  began_ = std::chrono::steady_clock::now();
}

void Progress::Done(const std::string& message) {
  std::fprintf(out_, "[%d/%d] %s: %s  %s\n", step_, steps_, name_.c_str(), message.c_str(),
               Seconds(std::chrono::steady_clock::now() - began_).c_str());
  std::fflush(out_);
}

void Progress::Note(const std::string& message) {
  std::fprintf(out_, "  %s\n", message.c_str());
  std::fflush(out_);
}

std::string Progress::Where() const {
  return "step " + std::to_string(step_) + "/" + std::to_string(steps_) + " (" + name_ + ")";
}

void RequestInterrupt() { g_interrupted.store(true, std::memory_order_relaxed); }

bool Interrupted() { return g_interrupted.load(std::memory_order_relaxed); }

Status CheckInterrupted() {
  return Interrupted() ? Status::Cancelled("interrupted") : Status::Ok();
}

}  // namespace berth::up
