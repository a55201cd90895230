// Status and Result<T>: the error vocabulary of every fallible call in berth.
//
// A Status is either OK or carries a code and a human-readable message; the
// message already names what failed (file:line, key, command), so callers
// print it as is.  Result<T> is std::expected<T, Status>.  Decisions are made
// on codes, never on message text.  Both are plain values, safe to copy
// between threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace berth {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // bad input: a template, a TOML or YAML file, a flag
  kNotFound,         // a file, key, container that does not exist
  kIoError,          // the OS refused: open, write, rename, connect
  kUnavailable,      // a server is down or unreachable; retrying may help
  kTimeout,          // a deadline passed
  kFailedPrecondition,
  kCancelled,  // stopped on request (signal)
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {Code::kIoError, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status Timeout(std::string m) { return {Code::kTimeout, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {Code::kFailedPrecondition, std::move(m)};
  }
  static Status Cancelled(std::string m) { return {Code::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message".
  Status Wrap(std::string_view context) const {
    if (ok()) return *this;
    return Status(code_, std::string(context) + ": " + message_);
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

template <typename T>
using Result = std::expected<T, Status>;

// `return Err(Status::NotFound(...));` from a function returning Result<T>.
inline std::unexpected<Status> Err(Status s) { return std::unexpected<Status>(std::move(s)); }

}  // namespace berth

namespace berth {
// What BERTH_RETURN_IF_ERROR returns: converts to a Status or to any Result<T>.
struct ErrorReturn {
  Status status;
  operator Status() && { return std::move(status); }  // NOLINT(google-explicit-constructor)
  template <typename T>
  operator Result<T>() && {  // NOLINT(google-explicit-constructor)
    return std::unexpected<Status>(std::move(status));
  }
};
}  // namespace berth

// Propagates a failed Status from an expression returning Status, out of a
// function returning Status or Result<T>.
#define BERTH_RETURN_IF_ERROR(expr)                          \
  do {                                                       \
    ::berth::Status berth_status_ = (expr);                  \
    if (!berth_status_.ok()) {                               \
      return ::berth::ErrorReturn{std::move(berth_status_)}; \
    }                                                        \
  } while (0)
