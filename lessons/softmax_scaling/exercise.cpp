// lessons/softmax_scaling/exercise.cpp — your turn: lesson 02.
//
// Write the four functions marked TODO(softmax_scaling). Their signatures are the
// library's (src/attn/softmax.hpp); lessons/softmax_scaling/test.cpp runs
// against your versions here, including scores of ±10000 that the naive
// formula cannot survive.
//
//   attnlab check 2    build and run the tests against this file
//   attnlab hint 2     a hint if you are stuck (ask again for the next)
//   attnlab lesson 2   the walkthrough, with every intermediate number
//
// attn::scores (lesson 01) is yours to use. Checks of shapes and temperatures
// are given.
#include <cmath>
#include <cstddef>
#include <limits>

#include <attn/scores.hpp>
#include <attn/shape.hpp>
#include <attn/softmax.hpp>  // for attn::detail::require_temperature and attn::softmax_naive
#include <attn/tensor.hpp>

namespace exercise {

using attn::matrix;
using attn::real;
using attn::vector;

/// Given: the formula as written, which overflows. Yours below must not.
using attn::softmax_naive;

/// Stable softmax at temperature T: exp((z_j - m)/T) / Σ_k exp((z_k - m)/T), m = max z.
/// A row that is all -inf must give all zeros (nothing to attend to).
vector softmax(const vector& z, real temperature = 1) {
    attn::require_nonempty("softmax", "z", z);
    attn::detail::require_temperature("softmax", temperature);
    vector p = xt::zeros<real>({z.size()});  // p is (n)
    // TODO(softmax_scaling): the stable softmax of z / T: shift first so no exponent is positive,
    //   then exponentiate and normalise. An all −∞ row gives zeros (see the test).
    return p;
}

/// softmax() on every row of S, (n_q, n_k).
matrix softmax_rows(const matrix& S, real temperature = 1) {
    attn::require_nonempty("softmax_rows", "S", S);
    attn::detail::require_temperature("softmax_rows", temperature);
    matrix P = xt::zeros<real>(S.shape());  // P is (n_q, n_k)
    // TODO(softmax_scaling): for each row i, P's row i = softmax(row i of S, temperature).
    // Hint: xt::row(S, i) is a view of row i; vector(xt::row(S, i)) copies it.
    return P;
}

/// Q·Kᵀ / √d_k. Q is (n_q, d_k), K is (n_k, d_k).
matrix scaled_scores(const matrix& Q, const matrix& K) {
    matrix S = attn::scores(Q, K);  // (n_q, n_k), shapes checked
    // TODO(softmax_scaling): divide every score by √d_k (d_k is Q.shape(1)).
    return S;
}

/// -Σ p_j ln p_j in nats, with 0·ln 0 = 0.
real entropy(const vector& p) {
    attn::require_nonempty("entropy", "p", p);
    // TODO(softmax_scaling): sum -p·ln(p) over the entries that are > 0.
    return -1;
}

}  // namespace exercise
