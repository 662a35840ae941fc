// lessons/qkv_dot_product/exercise.cpp — your turn: lesson 01.
//
// Write the three functions marked TODO(qkv_dot_product). Their signatures are the
// library's (src/attn/scores.hpp); the tests in
// lessons/qkv_dot_product/test.cpp run against your versions here.
//
//   attnlab check 1    build and run the tests against this file
//   attnlab hint 1     a hint if you are stuck (ask again for the next)
//   attnlab lesson 1   the walkthrough, with every intermediate number
//
// The shape checks are given: they are the library's contract, not this
// lesson's idea. Read a matrix element with M(i, j), a vector element with v(c);
// M.shape(0) is the number of rows, M.shape(1) the number of columns.
#include <cstddef>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>
#include <attn/scores.hpp>  // for attn::qkv, the struct project_qkv returns

namespace exercise {

using attn::matrix;
using attn::real;
using attn::vector;

/// a · b = Σ_c a(c)·b(c). a and b are (d).
real dot(const vector& a, const vector& b) {
    attn::require_shapes(a.size() == b.size(), "dot", "a", a, "b", b,
                         "a dot product needs two vectors of the same length");
    attn::require_nonempty("dot", "a", a);
    // TODO(qkv_dot_product): add up a(c) * b(c) over every c and return the sum.
    return 0;
}

/// Y = X·W. X is (n, d_model), W is (d_model, d_out); returns Y, (n, d_out).
matrix project(const matrix& X, const matrix& W) {
    attn::require_nonempty("project", "X", X);
    attn::require_nonempty("project", "W", W);
    attn::require_shapes(X.shape(1) == W.shape(0), "project", "X", X, "W", W,
                         "X needs as many columns (d_model) as W has rows");
    const std::size_t n = X.shape(0), d_out = W.shape(1);
    matrix Y = xt::zeros<real>({n, d_out});  // Y is (n, d_out): one projected row per token
    // TODO(qkv_dot_product): fill Y(i, c) with Σ_k X(i, k) * W(k, c).
    return Y;
}

/// Q, K, V of one sequence. Given: it is three calls to your project().
attn::qkv project_qkv(const matrix& X, const matrix& W_q, const matrix& W_k, const matrix& W_v) {
    attn::require_shapes(W_q.shape() == W_k.shape(), "project_qkv", "W_q", W_q, "W_k", W_k,
                         "queries and keys must land in the same space (same d_model and d_k)");
    attn::require_shapes(W_q.shape(0) == W_v.shape(0), "project_qkv", "W_q", W_q, "W_v", W_v,
                         "every weight matrix needs d_model rows");
    return {project(X, W_q), project(X, W_k), project(X, W_v)};
}

/// S = Q·Kᵀ. Q is (n_q, d_k), K is (n_k, d_k); returns S, (n_q, n_k).
matrix scores(const matrix& Q, const matrix& K) {
    attn::require_nonempty("scores", "Q", Q);
    attn::require_nonempty("scores", "K", K);
    attn::require_shapes(Q.shape(1) == K.shape(1), "scores", "Q", Q, "K", K,
                         "Q and K need the same number of columns (d_k) to take dot products");
    const std::size_t n_q = Q.shape(0), n_k = K.shape(0);
    matrix S = xt::zeros<real>({n_q, n_k});  // S is (n_q, n_k): one row of scores per query
    // TODO(qkv_dot_product): fill S(i, j) with the dot product of row i of Q and row j of K.
    return S;
}

}  // namespace exercise
