// Lesson 01 — queries, keys, values and the dot product.
//
// Runs against the library (qkv_dot_product_tests, native and wasm) and against the
// learner's exercise (qkv_dot_product_exercise_tests): see support/impl.hpp.
#include <array>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using testing::AllClose;
using testing::random_matrix;
using sizes = std::vector<std::array<std::size_t, 3>>;

TEST_CASE("dot: the sum of elementwise products", "[qkv_dot_product][dot]") {
    const attn::vector a = {1, 2, 3}, b = {4, -5, 6};
    CHECK(impl::dot(a, b) == 1 * 4 - 2 * 5 + 3 * 6);  // 12
    CHECK(impl::dot(a, a) == 14);                     // a vector with itself: its squared length
    const attn::vector e0 = {1, 0, 0}, e1 = {0, 1, 0};
    CHECK(impl::dot(e0, e1) == 0);  // perpendicular vectors score 0
}

TEST_CASE("dot: matches float64 on random vectors of many lengths", "[qkv_dot_product][dot][oracle]") {
    for (std::size_t d : {1u, 2u, 7u, 64u, 513u}) {
        const attn::vector a = testing::random_vector(d, 11 + d), b = testing::random_vector(d, 97 + d);
        double expected = 0;
        for (std::size_t c = 0; c < d; ++c) expected += double(a(c)) * double(b(c));
        INFO("d = " << d);
        CHECK(impl::dot(a, b) == Approx(expected).margin(1e-5));
    }
}

TEST_CASE("project: the worked example's Q, K and V", "[qkv_dot_product][project][example]") {
    const auto ex = lessons::qkv_dot_product::fixed_example();
    const auto p = impl::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    // Every value is small and whole (or a half), so float32 is exact here.
    const matrix Q = {{2, 0, 1}, {0, 3, 1}, {1, 1, 1}, {1, 2, 2}};
    const matrix K = {{0, 2, 1}, {3, 0, 2}, {1, 1, 1}, {2, 1, 1}};
    const matrix V = {{1, 0, 1}, {0.5, 1.5, 0.5}, {1, 0.5, 0}, {1, 1, 2}};
    CHECK_THAT(p.Q, AllClose(oracle::to64(Q), 0, 0));
    CHECK_THAT(p.K, AllClose(oracle::to64(K), 0, 0));
    CHECK_THAT(p.V, AllClose(oracle::to64(V), 0, 0));
}

TEST_CASE("project: matches float64 X·W for random shapes", "[qkv_dot_product][project][oracle]") {
    for (auto [n, d_model, d_out] : sizes{{1, 1, 1}, {3, 5, 2}, {17, 8, 33}, {64, 128, 16}}) {
        const matrix X = random_matrix(n, d_model, 1 + n), W = random_matrix(d_model, d_out, 2 + d_out);
        INFO("X (" << n << ", " << d_model << "), W (" << d_model << ", " << d_out << ")");
        CHECK_THAT(impl::project(X, W), AllClose(oracle::matmul(X, W), 1e-5, 1e-5));
    }
}

TEST_CASE("scores: the worked example's S = Q·Kᵀ", "[qkv_dot_product][scores][example]") {
    const auto ex = lessons::qkv_dot_product::fixed_example();
    const auto p = impl::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    const matrix S = impl::scores(p.Q, p.K);
    // Row i: query token i against every key. The lesson's README quotes these.
    const matrix expected = {{1, 8, 3, 5}, {7, 2, 4, 4}, {3, 5, 3, 4}, {6, 7, 5, 6}};
    CHECK_THAT(S, AllClose(oracle::to64(expected), 0, 0));
    // The hover explanation on the page: S(cat, the) = q_cat · k_the.
    CHECK(S(1, 0) == impl::dot(xt::xtensor<float, 1>(xt::row(p.Q, 1)), xt::xtensor<float, 1>(xt::row(p.K, 0))));
}

TEST_CASE("scores: matches float64 Q·Kᵀ, including n_q != n_k (cross-attention)", "[qkv_dot_product][scores][oracle]") {
    for (auto [n_q, n_k, d_k] : sizes{{1, 1, 1}, {1, 9, 4}, {5, 3, 8}, {33, 70, 64}, {128, 128, 128}}) {
        const matrix Q = random_matrix(n_q, d_k, 3 + n_q), K = random_matrix(n_k, d_k, 4 + n_k);
        INFO("Q (" << n_q << ", " << d_k << "), K (" << n_k << ", " << d_k << ")");
        CHECK_THAT(impl::scores(Q, K), AllClose(oracle::matmul_bt(Q, K), 1e-5, 1e-5));
    }
}

TEST_CASE("scores: swapping queries and keys transposes S", "[qkv_dot_product][scores][property]") {
    const matrix Q = random_matrix(6, 4, 5), K = random_matrix(9, 4, 6);
    const matrix S = impl::scores(Q, K);
    const matrix St = impl::scores(K, Q);
    REQUIRE(St.shape(0) == S.shape(1));
    REQUIRE(St.shape(1) == S.shape(0));
    CHECK_THAT(St, AllClose(oracle::to64(xt::eval(xt::transpose(S))), 0, 0));
    // Self-scores of X with itself: the diagonal is each row's squared length.
    const matrix G = impl::scores(Q, Q);
    for (std::size_t i = 0; i < 6; ++i) {
        double sq = 0;
        for (std::size_t c = 0; c < 4; ++c) sq += double(Q(i, c)) * Q(i, c);
        CHECK(G(i, i) == Approx(sq).margin(1e-6));
    }
}

TEST_CASE("wrong shapes throw attn::shape_error naming both shapes", "[qkv_dot_product][shapes]") {
    const matrix X = random_matrix(4, 3, 7);
    const matrix W_ok = random_matrix(3, 2, 8), W_bad = random_matrix(5, 2, 9);

    CHECK_THROWS_MATCHES(impl::project(X, W_bad), attn::shape_error,
                         Catch::Matchers::Message("project: X is (4, 3) but W is (5, 2); "
                                                  "X needs as many columns (d_model) as W has rows"));
    const matrix Q = random_matrix(4, 3, 10), K = random_matrix(6, 2, 11);
    CHECK_THROWS_MATCHES(impl::scores(Q, K), attn::shape_error,
                         Catch::Matchers::Message("scores: Q is (4, 3) but K is (6, 2); Q and K need the same "
                                                  "number of columns (d_k) to take dot products"));
    CHECK_THROWS_AS(impl::project_qkv(X, W_ok, random_matrix(3, 3, 12), W_ok), attn::shape_error);
    CHECK_THROWS_AS(impl::dot(attn::vector{1, 2}, attn::vector{1, 2, 3}), attn::shape_error);
    // An empty sequence is refused too, not silently turned into an empty S.
    CHECK_THROWS_AS(impl::scores(matrix(std::array<std::size_t, 2>{0, 3}), Q), attn::shape_error);
    // shape_error is an invalid_argument, for callers that catch the standard type.
    CHECK_THROWS_AS(impl::scores(Q, K), std::invalid_argument);
}
