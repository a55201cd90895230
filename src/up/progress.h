// The progress lines of `berth up` and `berth down`, one per step:
//
//   [2/10] etcd: started, http://127.0.0.1:2379 (data in etcd/, log logs/etcd.log)  0.9s
//
// and the interruption flag both commands poll while they wait, set by a
// signal handler (Ctrl-C) so that a run stops at the next check and cleans
// up after itself.  A Progress belongs to one thread; the flag functions are
// async-signal-safe.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "base/status.h"

namespace berth::up {

class Progress {
 public:
  Progress(std::FILE* out, int steps) : out_(out), steps_(steps) {}

  // Starts the next step (its number is the previous one's plus one).
  void Begin(std::string name);
  // Prints the current step's line with `message` and the time it took.
  void Done(const std::string& message);
  // Prints a line that belongs to no step ("  rolling back: ...").
  void Note(const std::string& message);

  int step() const { return step_; }
  int steps() const { return steps_; }
  // The number of steps, once known (berth up adds one for the scaler).
  void set_steps(int steps) { steps_ = steps; }
  const std::string& name() const { return name_; }
  // "step 6/10 (haproxy)", for error messages.
  std::string Where() const;

 private:
  std::FILE* out_;
  int steps_;
  int step_ = 0;
  std::string name_;
  std::chrono::steady_clock::time_point began_;
};

// Asks the running up or down to stop at its next check (signal handlers).
void RequestInterrupt();
bool Interrupted();
// kCancelled when interrupted, else OK: for wait loops.
Status CheckInterrupted();

}  // namespace berth::up
