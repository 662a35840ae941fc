// tests/mistakes.cpp — each common mistake, made on purpose, is named by the lessons' matcher.
//
// Every function below is a deliberately wrong version of something a lesson asks for, written
// as a learner might write it. Run through AllClose(...).naming({...}) as the lessons' suites
// run the learner's code, it must fail with the mistake's name and advice; the right answer
// must pass; and a wrong answer that is no known mistake must fail without a name.
#include <cmath>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

#include <attn/attn.hpp>

#include "support/allclose.hpp"
#include "support/mistakes.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using attn::real;
using testing::AllClose;
using testing::random_matrix;

namespace {

/// What the matcher says of `actual`: "" when it passes.
std::string verdict(const testing::AllCloseMatcher& m, const matrix& actual) {
    return m.match(actual) ? "" : m.describe();
}

// ---- The deliberately wrong versions --------------------------------------------------------

matrix scores_k_times_q(const matrix& Q, const matrix& K) {  // S(i, j) = k_i·q_j
    matrix S = xt::zeros<real>({K.shape(0), Q.shape(0)});
    for (std::size_t i = 0; i < K.shape(0); ++i)
        for (std::size_t j = 0; j < Q.shape(0); ++j)
            for (std::size_t c = 0; c < Q.shape(1); ++c) S(i, j) += K(i, c) * Q(j, c);
    return S;
}

matrix attention_unscaled(const matrix& Q, const matrix& K, const matrix& V) {
    return attn::weighted_sum(attn::softmax_rows(attn::scores(Q, K)), V);
}

matrix softmax_rows_without_max(const matrix& S) {
    matrix P = S;
    for (std::size_t i = 0; i < S.shape(0); ++i) {
        real l = 0;
        for (std::size_t j = 0; j < S.shape(1); ++j) l += std::exp(S(i, j));
        for (std::size_t j = 0; j < S.shape(1); ++j) P(i, j) = std::exp(S(i, j)) / l;
    }
    return P;
}

matrix softmax_by_columns(const matrix& S) {
    const matrix T = xt::transpose(S);
    return xt::transpose(attn::softmax_rows(T));
}

matrix attention_columns(const matrix& Q, const matrix& K, const matrix& V) {
    return attn::weighted_sum(softmax_by_columns(attn::scaled_scores(Q, K)), V);
}

matrix masked_after_softmax(const matrix& Q, const matrix& K, const matrix& V, const attn::mask& M) {
    matrix P = attn::softmax_rows(attn::scaled_scores(Q, K));
    for (std::size_t i = 0; i < P.shape(0); ++i)
        for (std::size_t j = 0; j < P.shape(1); ++j)
            if (!M(i, j)) P(i, j) = 0;
    return attn::weighted_sum(P, V);
}

matrix online_softmax_no_rescale(const attn::vector& z) {
    real m = -std::numeric_limits<real>::infinity(), l = 0;
    for (real x : z) {
        m = std::max(m, x);
        l += std::exp(x - m);
    }
    matrix p = xt::zeros<real>({std::size_t(1), z.size()});
    for (std::size_t j = 0; j < z.size(); ++j) p(0, j) = std::exp(z(j) - m) / l;
    return p;
}

matrix tiled_no_rescale(const matrix& Q, const matrix& K, const matrix& V, std::size_t Bc) {
    const matrix S = attn::scaled_scores(Q, K);
    matrix O = xt::zeros<real>({Q.shape(0), V.shape(1)});
    for (std::size_t i = 0; i < Q.shape(0); ++i) {
        real m = -std::numeric_limits<real>::infinity(), l = 0;
        for (std::size_t k0 = 0; k0 < K.shape(0); k0 += Bc) {
            const std::size_t k1 = std::min(k0 + Bc, K.shape(0));
            for (std::size_t j = k0; j < k1; ++j) m = std::max(m, S(i, j));
            for (std::size_t j = k0; j < k1; ++j) {
                const real p = std::exp(S(i, j) - m);
                l += p;
                for (std::size_t x = 0; x < V.shape(1); ++x) O(i, x) += p * V(j, x);
            }
        }
        for (std::size_t x = 0; x < V.shape(1); ++x) O(i, x) /= l;
    }
    return O;
}

}  // namespace

TEST_CASE("mistakes: transposed scores are named", "[mistakes]") {
    const matrix Q = random_matrix(5, 4, 1), K = random_matrix(5, 4, 2);
    const auto m = AllClose(oracle::matmul_bt(Q, K), 1e-6, 1e-5).naming({mistakes::transposed_k(Q, K)});
    CHECK(verdict(m, attn::scores(Q, K)).empty());
    CHECK_THAT(verdict(m, scores_k_times_q(Q, K)), Catch::StartsWith("looks like transposed scores"));
    CHECK_THAT(verdict(m, scores_k_times_q(Q, K)), Catch::Contains("Row i of S belongs to query i"));
}

TEST_CASE("mistakes: a missing 1/sqrt(d_k) is named, in the scores and in attention", "[mistakes]") {
    const matrix Q = random_matrix(6, 16, 3), K = random_matrix(7, 16, 4), V = random_matrix(7, 3, 5);
    const auto s =
        AllClose(oracle::to64(attn::scaled_scores(Q, K)), 1e-6, 1e-5).naming({mistakes::missing_scale(Q, K)});
    CHECK_THAT(verdict(s, attn::scores(Q, K)), Catch::StartsWith("looks like a missing 1/√d_k"));
    const auto a = AllClose(oracle::attention(Q, K, V), 1e-6, 1e-5)
                       .naming({mistakes::softmax_over_columns(Q, K, V), mistakes::missing_scale(Q, K, V)});
    CHECK(verdict(a, attn::attention(Q, K, V)).empty());
    CHECK_THAT(verdict(a, attention_unscaled(Q, K, V)), Catch::StartsWith("looks like a missing 1/√d_k"));
}

TEST_CASE("mistakes: a softmax without its maximum subtracted is named by its NaNs", "[mistakes]") {
    const matrix S = {{100, 99, 0}, {1, 2, 3}, {-200, -201, -202}};
    const auto m = AllClose(oracle::softmax_rows(oracle::to64(S)), 1e-6, 1e-5).naming({mistakes::no_max_subtracted(S)});
    CHECK(verdict(m, attn::softmax_rows(S)).empty());
    CHECK_THAT(verdict(m, softmax_rows_without_max(S)), Catch::StartsWith("looks like no maximum subtracted"));
}

TEST_CASE("mistakes: a softmax over the wrong axis is named", "[mistakes]") {
    const matrix S = random_matrix(4, 6, 6, -3, 3);
    const auto m =
        AllClose(oracle::softmax_rows(oracle::to64(S)), 1e-6, 1e-5).naming({mistakes::softmax_over_columns(S)});
    CHECK_THAT(verdict(m, softmax_by_columns(S)), Catch::StartsWith("looks like a softmax over the wrong axis"));
    const matrix Q = random_matrix(5, 4, 7), K = random_matrix(5, 4, 8), V = random_matrix(5, 2, 9);
    const auto a = AllClose(oracle::attention(Q, K, V), 1e-6, 1e-5)
                       .naming({mistakes::missing_scale(Q, K, V), mistakes::softmax_over_columns(Q, K, V)});
    CHECK_THAT(verdict(a, attention_columns(Q, K, V)), Catch::StartsWith("looks like a softmax over the wrong axis"));
}

TEST_CASE("mistakes: a mask applied after the softmax is named", "[mistakes]") {
    const matrix Q = random_matrix(5, 4, 10), K = random_matrix(5, 4, 11), V = random_matrix(5, 3, 12);
    const attn::mask M = attn::causal_mask(5);
    const auto m =
        AllClose(oracle::attention(Q, K, V, &M), 1e-6, 1e-5).naming({mistakes::mask_after_softmax(Q, K, V, M)});
    CHECK(verdict(m, attn::masked_attention(Q, K, V, M)).empty());
    CHECK_THAT(verdict(m, masked_after_softmax(Q, K, V, M)),
               Catch::StartsWith("looks like the mask applied after the softmax"));
}

TEST_CASE("mistakes: a rescale forgotten when the maximum grows is named, online and tiled", "[mistakes]") {
    const attn::vector z = {1, 3, 0.5f, 4, -2};  // the maximum grows twice
    const matrix row = xt::view(z, xt::newaxis(), xt::all());
    const auto s =
        AllClose(oracle::softmax_rows(oracle::to64(row)), 1e-6, 1e-5).naming({mistakes::forgotten_rescale(z)});
    CHECK_THAT(verdict(s, online_softmax_no_rescale(z)), Catch::StartsWith("looks like a rescale forgotten"));

    const matrix Q = random_matrix(6, 4, 13, -3, 3), K = random_matrix(9, 4, 14, -3, 3), V = random_matrix(9, 3, 15);
    const auto t = AllClose(oracle::attention(Q, K, V), 1e-6, 1e-5).naming({mistakes::forgotten_rescale(Q, K, V, 3)});
    CHECK(verdict(t, attn::tiled_attention(Q, K, V, 2, 3)).empty());
    CHECK_THAT(verdict(t, tiled_no_rescale(Q, K, V, 3)), Catch::StartsWith("looks like a rescale forgotten"));
}

TEST_CASE("mistakes: a wrong answer that is no known mistake is reported without a name", "[mistakes]") {
    const matrix Q = random_matrix(5, 4, 16), K = random_matrix(5, 4, 17), V = random_matrix(5, 3, 18);
    const auto m = AllClose(oracle::attention(Q, K, V), 1e-6, 1e-5)
                       .naming({mistakes::missing_scale(Q, K, V), mistakes::softmax_over_columns(Q, K, V)});
    const matrix zeros = xt::zeros<real>({std::size_t(5), std::size_t(3)});
    const std::string v = verdict(m, zeros);
    CHECK_THAT(v, Catch::StartsWith("has 15 of 15 elements outside"));
    CHECK_THAT(v, !Catch::Contains("looks like"));
}
