// lessons/training/exercise.cpp — your turn: lesson 14, the capstone.
//
// Write the two functions marked TODO(training): the answers of the toy tasks,
// and one Adam step. With them, src/attn/train.hpp's trainer (forward, the
// backward of lesson 13, Adam) learns to copy, reverse or shift a sequence.
// Signatures are the library's; lessons/training/test.cpp runs against these.
//
//   attnlab check 14    build and run the tests against this file
//   attnlab hint 14     a hint if you are stuck (ask again for the next)
//   attnlab lesson 14   the walkthrough: a model trained, and its attention map
#include <cmath>
#include <cstddef>
#include <vector>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>
#include <attn/train.hpp>  // attn::toy_task

namespace exercise {

using attn::matrix;
using attn::real;
using attn::toy_task;

/// The answer at each position i of x (n symbols): copy → x[i]; reverse → x[n−1−i];
/// shift → x[i−1], and position 0 gets the last symbol x[n−1].
std::vector<std::size_t> toy_target(toy_task task, const std::vector<std::size_t>& x) {
    std::vector<std::size_t> y(x.size());
    // TODO(training): fill y for each task.
    (void)task;  // delete this line
    return y;
}

/// One Adam step t (t ≥ 1, else attn::value_error) on parameter p with gradient g, moments m and v:
///   m = 0.9·m + 0.1·g;  v = 0.999·v + 0.001·g²;  p −= lr · (m / (1 − 0.9^t)) / (√(v / (1 − 0.999^t)) + 1e-8).
void adam_update(matrix& p, const matrix& g, matrix& m, matrix& v, std::size_t t, real lr) {
    attn::require_shapes(p.shape() == g.shape() && p.shape() == m.shape() && p.shape() == v.shape(), "adam_update", "p",
                         p, "g", g, "a parameter, its gradient and both moments share one shape");
    // TODO(training): element by element over p.data(), g.data(), m.data(), v.data().
    (void)t, (void)lr;  // delete this line
}

}  // namespace exercise
