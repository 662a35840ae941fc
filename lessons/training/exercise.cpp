// lessons/training/exercise.cpp — your turn: lesson 15, the capstone.
//
// Write the two functions marked TODO(training): the answers of the toy tasks,
// and the backward pass through the whole model: the chain rule from the loss
// back through the read-out, through attention (lesson 14 did that part), through
// the three projections, and into the token and position embeddings. The tests
// check every gradient against finite differences.
// Signatures are the library's (src/attn/train.hpp); lessons/training/test.cpp runs against these.
//
//   attnlab check 15    build and run the tests against this file
//   attnlab hint 15     a hint if you are stuck (ask again for the next)
//   attnlab lesson 15   the walkthrough: a model trained, and its attention map
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <attn/backward.hpp>  // attn::attention_backward (lesson 14)
#include <attn/scores.hpp>    // attn::scores(A, B) = A·Bᵀ
#include <attn/shape.hpp>
#include <attn/tensor.hpp>
#include <attn/train.hpp>  // attn::toy_task, toy_model, toy_forward

namespace exercise {

using attn::matrix;
using attn::real;
using attn::toy_model;
using attn::toy_task;

/// The answer at each position i of x (n symbols): copy → x[i]; reverse → x[n−1−i];
/// shift → x[i−1], and position 0 gets the last symbol x[n−1].
std::vector<std::size_t> toy_target(toy_task task, const std::vector<std::size_t>& x) {
    std::vector<std::size_t> y(x.size());
    // TODO(training): fill y for each task.
    (void)task;  // delete this line
    return y;
}

/// C += Aᵀ·B, given: the shape of every weight gradient below (the layer's input, transposed,
/// times the gradient of its output).
inline void add_at_b(matrix& C, const matrix& A, const matrix& B) {
    for (std::size_t k = 0; k < A.shape(0); ++k)
        for (std::size_t i = 0; i < A.shape(1); ++i)
            for (std::size_t j = 0; j < B.shape(1); ++j) C(i, j) += A(k, i) * B(k, j);
}

/// Adds this sequence's gradient of weight · Σ_i −ln probs(i, y_i) into g (g's matrices have the
/// model's shapes; add, do not overwrite: the trainer sums over a batch) and returns the summed
/// loss, unweighted. The model: X = E[x] + P, Q = X·W_q, K = X·W_k, V = X·W_v,
/// O = attention(Q, K, V), probs = softmax_rows(O·W_out). attn::toy_forward gives every one of them.
real toy_backward(const toy_model& m, const std::vector<std::size_t>& x, const std::vector<std::size_t>& y, real weight,
                  toy_model& g) {
    const attn::toy_pass f = attn::toy_forward(m, x);
    real loss = 0;
    // TODO(training): walk the model backwards, one layer at a time.
    //   1. The loss, and its gradient with respect to the logits (lesson 02's softmax with
    //      cross-entropy has a short answer), scaled by weight.
    //   2. The read-out: W_out's gradient, and the gradient reaching O.
    //   3. Attention: attn::attention_backward<real>(Q, K, V, dO) from lesson 14.
    //   4. The projections: each weight's gradient, and the three paths that meet again at X.
    //   5. The embeddings: X is a sum, so both of its terms get X's gradient; E only in the rows used.
    (void)y, (void)weight, (void)g, (void)f;  // delete this line
    return loss;
}

}  // namespace exercise
