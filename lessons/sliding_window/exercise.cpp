// lessons/sliding_window/exercise.cpp — your turn: lesson 11.
//
// Write the three functions marked TODO(sliding_window): whether a query sees a
// key, the window mask, and the number of pairs a window lets through.
// Signatures are the library's (src/attn/window.hpp);
// lessons/sliding_window/test.cpp runs against these.
//
//   attnlab check 11    build and run the tests against this file
//   attnlab hint 11     a hint if you are stuck (ask again for the next)
//   attnlab lesson 11   the walkthrough: the band, its cost, the skipped tiles
#include <algorithm>
#include <cstddef>

#include <attn/mask.hpp>
#include <attn/window.hpp>  // for attn::check_window
#include <attn/tensor.hpp>

namespace exercise {

using attn::mask;

/// Query i sees key j when j is at most w-1 positions before i (or i itself), and, only
/// when not causal, also when j is at most w-1 positions after i.
bool in_window(std::size_t i, std::size_t j, std::size_t w, bool causal) {
    // TODO(sliding_window): careful with unsigned subtraction: compare i - j only when j <= i.
    (void)i, (void)j, (void)w, (void)causal;  // delete this line
    return true;
}

/// (n, n): M(i, j) = in_window(i, j, w, causal). n = 0 or w = 0 is an attn::value_error.
mask window_mask(std::size_t n, std::size_t w, bool causal = true) {
    attn::check_window("window_mask", n, w);
    mask M = xt::zeros<bool>({n, n});
    // TODO(sliding_window): fill M.
    (void)causal;  // delete this line
    return M;
}

/// How many (i, j) pairs are in the window, without building the mask: for each query,
/// the keys behind it that exist (at most w, itself included) plus, not causal, those ahead.
double window_pairs(std::size_t n, std::size_t w, bool causal = true) {
    attn::check_window("window_pairs", n, w);
    double pairs = 0;
    // TODO(sliding_window): for i in 0..n-1: pairs += min(i + 1, w) + (causal ? 0 : min(n - 1 - i, w - 1)).
    (void)causal;  // delete this line
    return pairs;
}

}  // namespace exercise
