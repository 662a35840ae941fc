// lessons/trained_model/exercise.cpp — your turn: lesson 17, inside a trained model.
//
// Write the two functions marked TODO(trained_model): choosing the next token from the model's
// logits (greedy, or drawn at a temperature from the top k), and the induction score that finds
// the head that copies. Signatures are the library's (src/attn/inspect.hpp);
// lessons/trained_model/test.cpp runs against these, and then uses your induction_score to find
// the induction head of the course's trained model.
//
//   attnlab check 17    build and run the tests against this file
//   attnlab hint 17     a hint if you are stuck (ask again for the next)
//   attnlab lesson 17   the walkthrough: the model, what it writes, its induction head
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;

/// The next token from `logits`: at temperature 0 the most likely (the lowest index on a tie);
/// otherwise a draw from softmax(logits / temperature) over the top_k most likely (top_k 0: all),
/// using u ∈ [0, 1) as the draw: in order of decreasing probability, the first token whose running
/// sum of probabilities passes u. Empty logits, a temperature outside [0, 100], a u outside [0, 1)
/// or a logit that is not finite is an attn::value_error.
std::size_t sample_next(const std::vector<float>& logits, double temperature, std::size_t top_k, double u) {
    if (logits.empty()) throw attn::value_error("sample_next: no logits to choose from");
    if (!(temperature >= 0) || temperature > 100)
        throw attn::value_error("sample_next: the temperature must be in [0, 100]");
    if (!(u >= 0 && u < 1)) throw attn::value_error("sample_next: the draw u must be in [0, 1)");
    // TODO(trained_model): refuse a logit that is not finite; order the tokens by logit, largest
    //   first; greedy at temperature 0; else keep the top k, turn them into probabilities at this
    //   temperature, and walk down them until the running sum passes u.
    (void)top_k;  // delete this line
    return 0;
}

/// On a string that repeats every `period` bytes, the mean weight the map (n, n) puts, over the
/// queries i ≥ period, on key i − period + 1. A map that is not square is an attn::shape_error;
/// a period outside 1..n−1 an attn::value_error.
double induction_score(const matrix& map, std::size_t period) {
    attn::require_shapes(map.shape(0) == map.shape(1), "induction_score", "map", map, "map", map,
                         "an attention map is square, one row and one column per token");
    // TODO(trained_model): check the period, then average the induction target's weight.
    (void)period;  // delete this line
    return 0;
}

}  // namespace exercise
