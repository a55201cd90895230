// Status and Result<T>: the error vocabulary of every fallible call in berth.
//
// A Status is either OK or carries a code and a human-readable message; the
// message already names what failed (file:line, key, command), so callers
// print it as is.  Result<T> is std::expected<T, Status>.  Decisions are made
// on codes, never on message text.  Both are plain values, safe to copy
// between threads.
#pragma once

#include <expected>
#include <type_traits>
#include <variant>
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

#if defined(__cpp_lib_expected) && __cpp_lib_expected >= 202202L

template <typename T>
using Result = std::expected<T, Status>;
using Unexpected = std::unexpected<Status>;

#else

// A failed Result (std::unexpected<Status>).
class Unexpected {
 public:
  explicit Unexpected(Status s) : status_(std::move(s)) {}
  Status& error() & { return status_; }
  const Status& error() const& { return status_; }
  Status&& error() && { return std::move(status_); }

 private:
  Status status_;
};

// std::expected<T, Status> for compilers whose standard library lacks it
// (clang with libstdc++ 12, used by the fuzz build): the same interface, as
// far as berth uses it.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result()
    requires std::is_default_constructible_v<T>
      : v_(std::in_place_index<0>) {}
  Result(const T& v) : v_(std::in_place_index<0>, v) {}  // NOLINT(google-explicit-constructor)
  Result(T&& v) : v_(std::in_place_index<0>, std::move(v)) {}  // NOLINT
  template <typename U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, Result> &&
             !std::is_same_v<std::decay_t<U>, Unexpected> && !std::is_same_v<std::decay_t<U>, T>)
  Result(U&& u) : v_(std::in_place_index<0>, std::forward<U>(u)) {}  // NOLINT
  Result(Unexpected u) : v_(std::in_place_index<1>, std::move(u).error()) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T&& operator*() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }
  Status& error() & { return std::get<1>(v_); }
  const Status& error() const& { return std::get<1>(v_); }
  Status&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

#endif

// `return Err(Status::NotFound(...));` from a function returning Result<T>.
inline Unexpected Err(Status s) { return Unexpected(std::move(s)); }

}  // namespace berth

namespace berth {
// What BERTH_RETURN_IF_ERROR returns: converts to a Status or to any Result<T>.
struct ErrorReturn {
  Status status;
  operator Status() && { return std::move(status); }  // NOLINT(google-explicit-constructor)
  template <typename T>
  operator Result<T>() && {  // NOLINT(google-explicit-constructor)
    return Unexpected(std::move(status));
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
