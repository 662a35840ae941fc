// lessons/online_softmax/exercise.cpp — your turn: lesson 08.
//
// Write the five functions marked TODO(online_softmax): one step of the online
// softmax, merging two states, the two-pass softmax built on them, and then the
// same step for attention (a value row folded in beside the score) and the
// loop that streams each query over the keys.
// Signatures are the library's (src/attn/online.hpp);
// lessons/online_softmax/test.cpp runs against these.
//
//   attnlab check 8    build and run the tests against this file
//   attnlab hint 8     a hint if you are stuck (ask again for the next)
//   attnlab lesson 8   the walkthrough, with every m, l and rescale
#include <cmath>
#include <cstddef>
#include <limits>

#include <attn/online.hpp>  // for attn::online_state
#include <attn/shape.hpp>
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::online_state;
using attn::real;
using attn::vector;

/// Fold score z into s; return exp(m_old - m_new), the factor the old sum was multiplied by.
/// If the new max is still -inf (only -inf seen), change nothing and return 1.
real online_update(online_state& s, real z) {
    // TODO(online_softmax): update the running maximum, re-express the sum so far against the new
    //   maximum, add the new term, and return the factor the old sum was multiplied by.
    (void)s, (void)z;  // silences "unused parameter" until you use them: delete this line
    return 0;
}

/// The state of two disjoint parts as one.
online_state merge(const online_state& a, const online_state& b) {
    online_state r;
    // TODO(online_softmax): the merged maximum, then each part's sum re-expressed against it.
    //   Derive it from online_update: what would folding b's scores into a do to a's sum?
    (void)a, (void)b;  // delete this line
    return r;
}

/// softmax(z) in two passes; all -inf gives zeros.
vector online_softmax(const vector& z) {
    attn::require_nonempty("online_softmax", "z", z);
    vector p = xt::zeros<real>({z.size()});
    // TODO(online_softmax): one pass with online_update for the state, one pass to write the weights.
    return p;
}

/// Fold key j's score s and value row v into one query's row (m, l and the unnormalised o);
/// return the rescale. A value row of the wrong width is an attn::shape_error.
real online_fold(attn::online_row& r, real s, const vector& v) {
    // TODO(online_softmax): as online_update, and the output accumulator must stay measured
    //   against the same maximum as l. Check v's width against r.o's first.
    (void)r, (void)s, (void)v;  // delete this line
    return 0;
}

/// softmax(Q·Kᵀ/√d_k)·V, each query streaming once over the keys with online_fold:
/// no row of scores is ever stored.
matrix online_attention(const matrix& Q, const matrix& K, const matrix& V) {
    attn::require_nonempty("online_attention", "Q", Q);
    attn::require_nonempty("online_attention", "V", V);
    attn::require_shapes(Q.shape(1) == K.shape(1), "online_attention", "Q", Q, "K", K, "Q and K need the same d_k");
    attn::require_shapes(K.shape(0) == V.shape(0), "online_attention", "K", K, "V", V, "K and V need one row per key");
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    // TODO(online_softmax): for each query, a fresh row (attn::start_row), each key's scaled score
    //   folded in with its value row (xt::row(V, j)), and the output row written at the end.
    return O;
}

}  // namespace exercise
