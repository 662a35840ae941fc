// lessons/why_attention/exercise.cpp — your turn: lesson 04, Bahdanau's additive attention.
//
// Write the two functions marked TODO(why_attention): the additive score of a decoder state
// against every encoder state, and the weights and context it makes. Lesson 01's score was a
// dot product, q·k; this one maps both sides into a shared space first, adds them and squashes
// the sum. The RNN translator of this lesson (src/attn/seq2seq.hpp) calls the same arithmetic at
// every target word; the tests check yours against float64 and against the trained model.
// Signatures are the library's (src/attn/seq2seq.hpp); lessons/why_attention/test.cpp runs against these.
//
//   attnlab check 4    build and run the tests against this file
//   attnlab hint 4     a hint if you are stuck (ask again for the next)
//   attnlab lesson 4   the walkthrough: both translators trained, and what attention changed
#include <cmath>
#include <cstddef>

#include <attn/seq2seq.hpp>  // attn::additive_result
#include <attn/shape.hpp>
#include <attn/softmax.hpp>  // attn::softmax (lesson 02)
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::vector;

/// e_j = vᵀ tanh(W s + U h_j) for every row h_j of Hs.
/// s is (H_s), Hs is (n, H_h), W is (A, H_s), U is (A, H_h), v is (A); returns e, (n).
/// Throws attn::shape_error (attn::require_shapes) when W's columns do not match s, U's columns
/// Hs's, or W's or U's rows v; and attn::value_error when a score comes out NaN or infinite.
vector additive_scores(const vector& s, const matrix& Hs, const matrix& W, const matrix& U, const vector& v) {
    attn::require_nonempty("additive_scores", "Hs", Hs);
    attn::require_nonempty("additive_scores", "v", v);
    vector e = xt::zeros<attn::real>({Hs.shape(0)});
    // TODO(why_attention): check the four shapes, then for each j: W s (once), U h_j, the sum,
    // tanh of each entry, and its dot product with v.
    (void)s, (void)W, (void)U;  // delete this line
    return e;
}

/// The scores e, their softmax α, and the context c = Σ_j α_j h_j (H_h numbers).
attn::additive_result additive_attention(const vector& s, const matrix& Hs, const matrix& W, const matrix& U,
                                         const vector& v) {
    attn::additive_result r;
    r.e = additive_scores(s, Hs, W, U, v);
    // TODO(why_attention): α = softmax(e); c = the α-weighted sum of the rows of Hs.
    r.alpha = xt::zeros<attn::real>({Hs.shape(0)});
    r.context = xt::zeros<attn::real>({Hs.shape(1)});
    return r;
}

}  // namespace exercise
