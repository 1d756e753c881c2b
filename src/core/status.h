// Errors as values at layer boundaries: a Status says whether an operation worked, and why not.
// Codes are stable strings on the wire (HTTP bodies, logs), so never rename one.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cw {

enum class Code {
  kOk,
  kInvalidArgument,  // the caller's input is wrong; nothing was changed
  kNotFound,
  kAlreadyExists,
  kUnauthenticated,
  kPermissionDenied,
  kCorruption,  // stored data failed a check
  kUnavailable,  // a resource is busy or locked; retrying may work
  kResourceExhausted,  // disk full, queue full, too large
  kInternal,
};

// Stable lower-case identifier of a code, e.g. "invalid_argument".
const char* code_name(Code c);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Code::kOk; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
inline Status not_found(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
inline Status internal_error(std::string m) { return {Code::kInternal, std::move(m)}; }

// A value or the Status that explains its absence.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: must not be ok

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cw

#define CW_RETURN_IF_ERROR(expr)        \
  do {                                  \
    ::cw::Status cw_status_ = (expr);   \
    if (!cw_status_.is_ok()) return cw_status_; \
  } while (0)
