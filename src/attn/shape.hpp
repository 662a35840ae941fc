// attn/shape.hpp — shape checks that speak the learner's language.
//
// Teaches: every public function of the library checks its inputs before it
// computes, and a wrong shape is an exception whose message names both shapes
// ("scores: Q is (3, 4) but K is (5, 2); ...") so the learner sees at once which
// operand is off. Never an assert: asserts vanish in Release builds.
// Leaves out: rank checks. xtensor's fixed-rank containers make a wrong rank a
// compile error, which is better than any message we could write.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>

namespace attn {

/// A wrong-shaped (or otherwise unusable) input. Derived from
/// std::invalid_argument, so generic handlers catch it too.
class shape_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// An input with the right shape but an unusable value: a temperature of 0,
/// a head count that does not divide d_model. Also an invalid_argument.
class value_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// "(3, 4)" for a shape-like container.
template <class Shape>
std::string shape_str(const Shape& shape) {
    std::ostringstream out;
    out << '(';
    bool first = true;
    for (auto extent : shape) {
        if (!first) out << ", ";
        out << extent;
        first = false;
    }
    out << ')';
    return out.str();
}

/// Throws shape_error "<where>: <a_name> is (..) but <b_name> is (..); <why>"
/// unless `ok`. The one place every two-operand check goes through.
template <class A, class B>
void require_shapes(bool ok, const char* where, const char* a_name, const A& a, const char* b_name, const B& b,
                    const char* why) {
    if (ok) return;
    throw shape_error(std::string(where) + ": " + a_name + " is " + shape_str(a.shape()) + " but " + b_name + " is " +
                      shape_str(b.shape()) + "; " + why);
}

/// Throws shape_error unless `t` has at least one row and one column.
template <class T>
void require_nonempty(const char* where, const char* name, const T& t) {
    for (auto extent : t.shape()) {
        if (extent == 0) {
            throw shape_error(std::string(where) + ": " + name + " is " + shape_str(t.shape()) +
                              "; every dimension needs at least one element");
        }
    }
}

/// Throws value_error "<what> must be a whole number from <lo> to <hi>" unless lo ≤ x ≤ hi.
inline void require_whole_in(const std::string& what, double x, double lo, double hi) {
    if (x >= lo && x <= hi) return;
    char range[96];
    std::snprintf(range, sizeof range, " must be a whole number from %.9g to %.9g", lo, hi);
    throw value_error(what + range);
}

/// Throws value_error "<what> must be from <lo> to <hi>, not <x>" unless lo ≤ x ≤ hi.
inline void require_in(const std::string& what, double x, double lo, double hi) {
    if (x >= lo && x <= hi) return;
    char range[128];
    std::snprintf(range, sizeof range, " must be from %.9g to %.9g, not %.9g", lo, hi, x);
    throw value_error(what + range);
}

/// Throws value_error "<where>: <name>(i, j) came out inf: …" for the first entry of the 2-D M that
/// is NaN or ±∞ (no "<where>: " when where is ""; with `masked_ok`, −∞ is allowed: what a mask
/// writes). What a page calls on a result computed from finite inputs:
/// there, ∞ or NaN means float32 overflowed (beyond ±3.4e38), and the learner is told where.
template <class M>
void require_finite(const char* where, const char* name, const M& m, bool masked_ok = false) {
    for (std::size_t i = 0; i < m.shape(0); ++i)
        for (std::size_t j = 0; j < m.shape(1); ++j) {
            const double x = m(i, j);
            if (std::isfinite(x) || (masked_ok && x == -INFINITY)) continue;
            char text[200];
            std::snprintf(text, sizeof text,
                          "%s%s%s(%zu, %zu) came out %s: float32 overflowed (it holds at most ±3.4e38); "
                          "make the inputs smaller",
                          where, *where ? ": " : "", name, i, j,
                          std::isnan(x) ? "NaN"
                          : x > 0       ? "inf"
                                        : "-inf");
            throw value_error(text);
        }
}

}  // namespace attn
