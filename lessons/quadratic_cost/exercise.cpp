// lessons/quadratic_cost/exercise.cpp — your turn: lesson 07.
//
// Two TODO(quadratic_cost)s: the cost model, and the naive kernel over raw
// row-major arrays with its counters. Signatures are the library's
// (src/attn/cost.hpp, src/attn/kernels/naive.hpp);
// lessons/quadratic_cost/test.cpp holds your count to your model and your
// kernel to a float64 reference.
//
//   attnlab check 7    build and run the tests against this file
//   attnlab hint 7     a hint if you are stuck (ask again for the next)
//   attnlab lesson 7   the walkthrough, with every number
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

#include <attn/cost.hpp>
#include <attn/kernels/naive.hpp>  // for attn::kernels::counters
#include <attn/shape.hpp>

namespace exercise {

using attn::attention_cost;

/// pairs, FLOPs, exps, score bytes and IO bytes of one attention call (see src/attn/cost.hpp).
attention_cost attention_cost_model(std::size_t n_q, std::size_t n_k, std::size_t d_k, std::size_t d_v, bool causal) {
    attention_cost c{};
    // TODO(quadratic_cost): count the (query, key) pairs that are computed (causal: only the keys each
    //   query may see, with the queries as the last positions when n_q ≠ n_k, lesson 06), then fill
    //   every field of c from that count and the widths, as the struct's comments define them.
    (void)n_q, (void)n_k, (void)d_k, (void)d_v,
        (void)causal;  // silences "unused parameter" until you use them: delete this line
    return c;
}

namespace kernels {

using attn::kernels::counters;

/// S = Q·Kᵀ/√d_k into S (n_q·n_k floats), softmax each row, O = P·V. All row-major.
/// With causal, query i only sees keys 0..i (0..i + n_k - n_q when n_q ≠ n_k: attn::visible_keys).
/// Add what you did to *count if it is given.
void naive_attention(const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k,
                     std::size_t d_k, std::size_t d_v, bool causal, float* S, counters* count = nullptr) {
    // TODO(quadratic_cost): lesson 03's attention, one query row at a time, with the whole score
    //   matrix in S. Then, if count is given, add what this call did to it, as your model counts it.
    (void)Q, (void)K, (void)V, (void)causal, (void)S, (void)count;  // delete this line
    std::fill(O, O + n_q * d_v, 0.0f);
    (void)n_k, (void)d_k;
}

}  // namespace kernels
}  // namespace exercise
