// Process signals as events for the daemon modes: SIGHUP asks for a reload
// of the configuration, SIGTERM and SIGINT for a stop.
//
// BlockDaemonSignals() must run on the main thread before any other thread
// exists (gRPC starts threads when a client is created), so that every thread
// inherits the blocked mask and the signals reach only the SignalWatcher.
// Child processes get the default dispositions back (sys/command.cc).
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace berth::processor {

void BlockDaemonSignals();

class SignalWatcher {
 public:
  // Calls `on_signal(signo)` on its own thread for each SIGHUP, SIGTERM and
  // SIGINT received.
  explicit SignalWatcher(std::function<void(int)> on_signal);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace berth::processor
