// Int128: a signed 128-bit integer for the exact intermediate products that overflow 64 bits
// (W x ms of a long span, µ€/kWh x mWh of a year). g++ has __int128 on 64-bit targets only; on a
// 32-bit one (armhf: a Raspberry Pi 2, 3 or Zero 2 on a 32-bit OS) Int128 is SoftInt128, the same
// arithmetic on two 64-bit halves.
//
// SoftInt128 behaves as __int128 does where __int128 is defined: two's complement, / truncates
// toward zero, % takes the sign of the dividend, conversions to narrower integers keep the low
// bits; where __int128 would overflow (undefined), it wraps. Division by zero is as undefined as
// for the built-in type. tests/core/int128_test.cc checks it against __int128 where both exist.
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <type_traits>

namespace cw {

class SoftInt128 {
 public:
  constexpr SoftInt128() = default;
  template <std::integral T>
  constexpr SoftInt128(T v)  // NOLINT(google-explicit-constructor): an integer, as __int128 is
      : hi_(high_of(v)), lo_(std::uint64_t(v)) {}

  // Truncates toward zero, as __int128(d) does; d must be finite and within ±2^127.
  constexpr explicit SoftInt128(double d) {
    const double m = d < 0 ? -d : d;
    const double hi = double(std::uint64_t(m / 18446744073709551616.0));
    *this = SoftInt128(std::uint64_t(hi), std::uint64_t(m - hi * 18446744073709551616.0));
    if (d < 0) *this = -*this;
  }

  template <std::integral T>
  constexpr explicit operator T() const {
    if constexpr (std::same_as<T, bool>) return hi_ != 0 || lo_ != 0;
    return T(lo_);
  }
  constexpr explicit operator double() const {
    const SoftInt128 m = negative() ? -*this : *this;
    const double d = double(m.hi_) * 18446744073709551616.0 + double(m.lo_);
    return negative() ? -d : d;
  }

  friend constexpr bool operator==(const SoftInt128&, const SoftInt128&) = default;
  friend constexpr std::strong_ordering operator<=>(const SoftInt128& a, const SoftInt128& b) {
    if (a.hi_ != b.hi_) return std::int64_t(a.hi_) <=> std::int64_t(b.hi_);
    return a.lo_ <=> b.lo_;
  }

  constexpr SoftInt128 operator-() const { return SoftInt128(~hi_, ~lo_) + 1; }
  constexpr SoftInt128 operator+() const { return *this; }
  friend constexpr SoftInt128 operator+(SoftInt128 a, SoftInt128 b) {
    const std::uint64_t lo = a.lo_ + b.lo_;
    return SoftInt128(a.hi_ + b.hi_ + (lo < a.lo_ ? 1 : 0), lo);
  }
  friend constexpr SoftInt128 operator-(SoftInt128 a, SoftInt128 b) { return a + -b; }
  // The low 128 bits of the product, the same for signed and unsigned operands.
  friend constexpr SoftInt128 operator*(SoftInt128 a, SoftInt128 b) {
    SoftInt128 p = mul64(a.lo_, b.lo_);
    p.hi_ += a.lo_ * b.hi_ + a.hi_ * b.lo_;
    return p;
  }
  friend constexpr SoftInt128 operator/(SoftInt128 a, SoftInt128 b) { return divmod(a, b, false); }
  friend constexpr SoftInt128 operator%(SoftInt128 a, SoftInt128 b) { return divmod(a, b, true); }

  constexpr SoftInt128& operator+=(SoftInt128 b) { return *this = *this + b; }
  constexpr SoftInt128& operator-=(SoftInt128 b) { return *this = *this - b; }
  constexpr SoftInt128& operator*=(SoftInt128 b) { return *this = *this * b; }
  constexpr SoftInt128& operator/=(SoftInt128 b) { return *this = *this / b; }
  constexpr SoftInt128& operator%=(SoftInt128 b) { return *this = *this % b; }
  constexpr SoftInt128& operator++() { return *this += 1; }
  constexpr SoftInt128& operator--() { return *this -= 1; }

 private:
  constexpr SoftInt128(std::uint64_t hi, std::uint64_t lo) : hi_(hi), lo_(lo) {}
  constexpr bool negative() const { return (hi_ >> 63) != 0; }
  template <std::integral T>
  static constexpr std::uint64_t high_of(T v) {  // the sign extension of v
    if constexpr (std::is_signed_v<T>) return v < 0 ? ~std::uint64_t{0} : 0;
    return 0;
  }

  // The full 128-bit product of two 64-bit halves, from 32-bit limbs.
  static constexpr SoftInt128 mul64(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const std::uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    return SoftInt128(p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32),
                      (mid << 32) | (p00 & 0xffffffffu));
  }

  // Unsigned long division of magnitudes; 64-bit operands take the hardware's division.
  static constexpr void udivmod(SoftInt128 n, SoftInt128 d, SoftInt128& q, SoftInt128& r) {
    if (n.hi_ == 0 && d.hi_ == 0) {
      q = SoftInt128(0, n.lo_ / d.lo_);
      r = SoftInt128(0, n.lo_ % d.lo_);
      return;
    }
    q = 0;
    r = 0;
    for (int i = 127; i >= 0; --i) {
      r = SoftInt128((r.hi_ << 1) | (r.lo_ >> 63), (r.lo_ << 1) | (bit(n, i) ? 1 : 0));
      if (!(ucompare(r, d) < 0)) {
        r = r - d;
        if (i >= 64)
          q.hi_ |= std::uint64_t{1} << (i - 64);
        else
          q.lo_ |= std::uint64_t{1} << i;
      }
    }
  }
  static constexpr bool bit(const SoftInt128& x, int i) {
    return i >= 64 ? (x.hi_ >> (i - 64)) & 1 : (x.lo_ >> i) & 1;
  }
  static constexpr std::strong_ordering ucompare(const SoftInt128& a, const SoftInt128& b) {
    if (a.hi_ != b.hi_) return a.hi_ <=> b.hi_;
    return a.lo_ <=> b.lo_;
  }
  static constexpr SoftInt128 divmod(SoftInt128 a, SoftInt128 b, bool want_remainder) {
    const bool na = a.negative(), nb = b.negative();
    SoftInt128 q, r;
    udivmod(na ? -a : a, nb ? -b : b, q, r);
    if (want_remainder) return na ? -r : r;
    return na != nb ? -q : q;
  }

  std::uint64_t hi_ = 0;  // the high half, two's complement
  std::uint64_t lo_ = 0;
};

#if defined(__SIZEOF_INT128__)
using Int128 = __int128;
#else
using Int128 = SoftInt128;
#endif

}  // namespace cw
