// lessons/positions/exercise.cpp — your turn: lesson 13.
//
// Write the three functions marked TODO(positions): the sinusoidal encoding,
// RoPE's rotation, and ALiBi's bias. Signatures are the library's
// (src/attn/positions.hpp); lessons/positions/test.cpp runs against these.
//
//   attnlab check 13    build and run the tests against this file
//   attnlab hint 13     a hint if you are stuck (ask again for the next)
//   attnlab lesson 13   the walkthrough: order-blindness and three cures
#include <cmath>
#include <cstddef>
#include <string>

#include <attn/positions.hpp>  // for attn::frequency, attn::check_rope
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::real;

/// (n, d): PE(p, c) = sin(p·ω) for even c, cos(p·ω) for odd c, with ω = attn::frequency(c / 2, d, base).
matrix sinusoidal(std::size_t n, std::size_t d, double base = 10000) {
    if (n == 0 || d == 0) throw attn::value_error("sinusoidal: n and d must be at least 1");
    matrix PE = xt::zeros<real>({n, d});
    // TODO(positions): fill PE (compute the angle in double, store as float).
    (void)base;  // delete this line
    return PE;
}

/// Row r of X is the token at position first + r: rotate each pair (x0, x1) = columns (2i, 2i+1)
/// by θ = (first + r)·attn::frequency(i, d, base): (x0·cos θ − x1·sin θ, x0·sin θ + x1·cos θ).
/// An odd number of columns is an attn::shape_error (attn::check_rope).
matrix rope(const matrix& X, std::size_t first = 0, double base = 10000) {
    attn::require_nonempty("rope", "X", X);
    attn::check_rope("rope", X.shape(1));
    matrix R = X;
    // TODO(positions): rotate every pair of every row.
    (void)first, (void)base;  // delete this line
    return R;
}

/// (n, n): B(i, j) = −slope·|i − j|. n = 0 or a negative slope is an attn::value_error.
matrix alibi_bias(std::size_t n, real slope) {
    if (n == 0) throw attn::value_error("alibi_bias: n is 0");
    matrix B = xt::zeros<real>({n, n});
    // TODO(positions): reject slope < 0; fill B (careful: |i − j| with unsigned i and j).
    (void)slope;  // delete this line
    return B;
}

}  // namespace exercise
