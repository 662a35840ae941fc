// lessons/reading_maps/exercise.cpp — your turn: lesson 18, reading attention maps.
//
// Write the two functions marked TODO(reading_maps): attention rollout, which follows attention
// through every layer at once (Abnar & Zuidema 2020), and Spearman's rank correlation, which says
// how far two rankings (of heads, or of input bytes) agree. Signatures are the library's
// (src/attn/interpret.hpp); lessons/reading_maps/test.cpp runs against these.
//
//   attnlab check 18    build and run the tests against this file
//   attnlab hint 18     a hint if you are stuck (ask again for the next)
//   attnlab lesson 18   the walkthrough: heads, rollout, occlusion, sinks, two models
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::real;

/// Attention rollout: each layer's map A (n, n), heads already averaged, with the residual path
/// counted as half of every row: Â = ½·A + ½·I, each row divided by its sum; then multiplied from
/// the first layer up, R = Â_L ⋯ Â_2·Â_1. No layers is an attn::value_error; maps of different
/// shapes an attn::shape_error.
matrix attention_rollout(const std::vector<matrix>& layers) {
    if (layers.empty()) throw attn::value_error("attention_rollout: no layers");
    const std::size_t n = layers[0].shape(0);
    matrix R = xt::eye<real>(n);
    // TODO(reading_maps): for each layer in order: check its shape, mix in the identity,
    //   renormalise the rows, and put it on the left of R.
    return R;
}

/// Spearman's rank correlation of a and b: rank each (0, 1, 2, … from the smallest; equal values
/// share the mean of their ranks), then Pearson's correlation of the ranks. Lists of different
/// lengths, or shorter than 2, are an attn::value_error; a list of equal values gives 0.
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size() || a.size() < 2)
        throw attn::value_error("spearman: two lists of the same length, at least 2");
    // TODO(reading_maps): the ranks, with ties, then their correlation.
    return 0;
}

}  // namespace exercise
