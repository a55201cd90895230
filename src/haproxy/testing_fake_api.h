// Test support: a RuntimeApi that talks to no socket.  It records every
// command line it is asked to send and answers with scripted replies (in
// order), or, when none is left, with `handler`.  For tests only; not
// thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "haproxy/runtime_api.h"

namespace berth::haproxy::testing {

class FakeRuntimeApi : public RuntimeApi {
 public:
  using Handler = std::function<Result<std::string>(std::string_view line)>;

  FakeRuntimeApi() : RuntimeApi("fake") {}
  explicit FakeRuntimeApi(Handler handler) : RuntimeApi("fake"), handler_(std::move(handler)) {}

  // Queues the reply to the next command.
  void Reply(std::string reply) { replies_.emplace_back(std::move(reply)); }
  void Reply(Status error) { replies_.emplace_back(Err(std::move(error))); }

  const std::vector<std::string>& sent() const { return sent_; }
  void ClearSent() { sent_.clear(); }

 protected:
  Result<std::string> Exchange(std::string_view line) const override {
    sent_.emplace_back(line);
    if (!replies_.empty()) {
      Result<std::string> r = std::move(replies_.front());
      replies_.pop_front();
      return r;
    }
    if (handler_) return handler_(line);
    return Err(Status::Internal("no reply scripted for \"" + std::string(line) + "\""));
  }

 private:
  Handler handler_;
  mutable std::deque<Result<std::string>> replies_;
  mutable std::vector<std::string> sent_;
};

}  // namespace berth::haproxy::testing
