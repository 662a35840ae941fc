// Lesson 03 — scaled dot-product attention, self and cross.
// Runs against attn:: (native and wasm) and against lessons/03/exercise.cpp.
#include <algorithm>
#include <array>
#include <numeric>
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

TEST_CASE("weighted_sum: P·V against float64", "[scaled_dot_product][weighted_sum][oracle]") {
    const matrix P = attn::softmax_rows(random_matrix(9, 13, 1, -2, 2)), V = random_matrix(13, 5, 2);
    CHECK_THAT(impl::weighted_sum(P, V), AllClose(oracle::matmul(P, V), 1e-6, 1e-5));
    CHECK_THROWS_AS(impl::weighted_sum(P, random_matrix(12, 5, 3)), attn::shape_error);
}

TEST_CASE("attention: the worked example", "[scaled_dot_product][attention][example]") {
    const auto ex = lessons::scaled_dot_product::fixed_example();
    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    const matrix O = impl::attention(p.Q, p.K, p.V);
    CHECK_THAT(O, AllClose(oracle::attention(p.Q, p.K, p.V), 1e-6, 1e-5));
    // "sat" (row 2) gathers mostly the animal feature from "cat": the README's reading of step 5.
    CHECK(O(2, 1) > 0.5);
    CHECK(O(2, 1) == Approx(0.801).margin(5e-4));
    // the two "the" rows are identical
    for (std::size_t c = 0; c < 4; ++c) CHECK(O(0, c) == O(4, c));
    CHECK_THAT(impl::self_attention(ex.X, ex.W_q, ex.W_k, ex.W_v), AllClose(oracle::to64(O), 0, 0));
}

TEST_CASE("attention: matches float64 up to n = 512, d = 128", "[scaled_dot_product][attention][oracle]") {
    for (auto [n_q, n_k, d] :
         std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {5, 9, 3}, {64, 64, 64}, {512, 512, 128}}) {
        const matrix Q = random_matrix(n_q, d, 10 + n_q), K = random_matrix(n_k, d, 20 + n_k),
                     V = random_matrix(n_k, d, 30 + n_k);
        INFO("n_q " << n_q << ", n_k " << n_k << ", d " << d);
        CHECK_THAT(impl::attention(Q, K, V), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
    }
}

TEST_CASE("attention: permuting keys together with their values changes nothing",
          "[scaled_dot_product][attention][property]") {
    const matrix Q = random_matrix(7, 8, 41), K = random_matrix(11, 8, 42), V = random_matrix(11, 3, 43);
    std::vector<std::size_t> order(11);
    std::iota(order.begin(), order.end(), 0);
    std::reverse(order.begin(), order.end());
    std::rotate(order.begin(), order.begin() + 4, order.end());
    matrix Kp = K, Vp = V;
    for (std::size_t j = 0; j < 11; ++j) {
        xt::row(Kp, j) = xt::row(K, order[j]);
        xt::row(Vp, j) = xt::row(V, order[j]);
    }
    CHECK_THAT(impl::attention(Q, Kp, Vp), AllClose(oracle::to64(impl::attention(Q, K, V)), 1e-6, 1e-6));
}

TEST_CASE("attention: outputs are convex combinations of the values", "[scaled_dot_product][attention][property]") {
    // one key: every query gets exactly that value
    const matrix V1 = {{0.5f, -2.0f, 3.0f}};
    const matrix O1 = impl::attention(random_matrix(4, 2, 5), random_matrix(1, 2, 6), V1);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t c = 0; c < 3; ++c) CHECK(O1(i, c) == Approx(V1(0, c)).margin(1e-6));
    // identical keys: uniform weights, every output is the mean value
    matrix K = xt::zeros<float>({5, 3});
    for (std::size_t j = 0; j < 5; ++j) xt::row(K, j) = xt::row(random_matrix(1, 3, 7), 0);
    const matrix V = random_matrix(5, 2, 8);
    const matrix O = impl::attention(random_matrix(3, 3, 9), K, V);
    for (std::size_t c = 0; c < 2; ++c) {
        double mean = 0;
        for (std::size_t j = 0; j < 5; ++j) mean += V(j, c) / 5.0;
        for (std::size_t i = 0; i < 3; ++i) CHECK(O(i, c) == Approx(mean).margin(1e-6));
    }
}

TEST_CASE("attention: stable with logits of ±1e4", "[scaled_dot_product][attention][stability]") {
    // q·k/√d_k = ±1e4: softmax must not overflow; the winning key takes everything.
    const matrix Q = {{100.0f, 0.0f}, {-100.0f, 0.0f}};
    const matrix K = {{200.0f, 0.0f}, {-200.0f, 0.0f}, {0.0f, 0.0f}};  // scores ±2e4/√2
    const matrix V = {{1, 0}, {0, 1}, {0.5f, 0.5f}};
    const matrix O = impl::attention(Q, K, V);
    CHECK_THAT(O, AllClose(oracle::attention(Q, K, V), 1e-6, 0));
    CHECK(O(0, 0) == 1);
    CHECK(O(1, 1) == 1);
}

TEST_CASE("cross-attention: queries from one sequence, keys and values from another", "[scaled_dot_product][cross]") {
    const auto ex = lessons::scaled_dot_product::fixed_example();
    const matrix O = impl::cross_attention(ex.X_cross, ex.X, ex.W_q_cross, ex.W_k, ex.W_v);
    REQUIRE(O.shape(0) == 3);  // one output per French token
    REQUIRE(O.shape(1) == 4);
    const matrix Qc = attn::project(ex.X_cross, ex.W_q_cross);
    CHECK_THAT(O, AllClose(oracle::attention(Qc, ex.X, ex.X), 1e-6, 1e-5));
    // "chat" attends to "cat" more than to anything else: its output is mostly animal
    CHECK(O(1, 1) > 0.5);
    const matrix Xq = random_matrix(3, 6, 1), Xkv = random_matrix(8, 6, 2);
    const matrix Wq = random_matrix(6, 4, 3), Wk = random_matrix(6, 4, 4), Wv = random_matrix(6, 2, 5);
    CHECK_THAT(
        impl::cross_attention(Xq, Xkv, Wq, Wk, Wv),
        AllClose(oracle::attention(attn::project(Xq, Wq), attn::project(Xkv, Wk), attn::project(Xkv, Wv)), 1e-6, 1e-5));
}

TEST_CASE("wrong shapes throw attn::shape_error naming both shapes", "[scaled_dot_product][shapes]") {
    const matrix Q = random_matrix(4, 3, 1), K = random_matrix(5, 3, 2), V = random_matrix(6, 2, 3);
    CHECK_THROWS_MATCHES(impl::attention(Q, K, V), attn::shape_error,
                         Catch::Matchers::Message("attention: K is (5, 3) but V is (6, 2); K and V need one row per "
                                                  "key, the same number of rows"));
    CHECK_THROWS_AS(impl::attention(Q, random_matrix(5, 4, 4), random_matrix(5, 2, 5)), attn::shape_error);
    CHECK_THROWS_AS(impl::cross_attention(random_matrix(2, 4, 6), random_matrix(3, 5, 7), random_matrix(4, 2, 8),
                                          random_matrix(4, 2, 9), random_matrix(4, 2, 10)),
                    attn::shape_error);
}
