// Lesson 06 — masks: causal, padding, combined, and what -inf means.
// Runs against attn:: (native and wasm) and against lessons/05/exercise.cpp.
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::mask;
using attn::matrix;
using testing::AllClose;
using testing::random_matrix;

TEST_CASE("causal, padding and combined masks", "[masking][masks]") {
    const mask C = impl::causal_mask(4);
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(C(i, j) == (j <= i));
    const mask P = impl::padding_mask(3, 5, 2);
    REQUIRE(P.shape(0) == 3);
    REQUIRE(P.shape(1) == 5);
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 5; ++j) CHECK(P(i, j) == (j < 2));
    const mask B = impl::combine(impl::causal_mask(5), impl::padding_mask(5, 5, 3));
    for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 5; ++j) CHECK(B(i, j) == (j <= i && j < 3));
    CHECK_THROWS_AS(impl::combine(C, P), attn::shape_error);
    CHECK_THROWS_AS(impl::padding_mask(2, 3, 4), attn::value_error);
    CHECK_THROWS_AS(impl::causal_mask(0), attn::value_error);
}

TEST_CASE("causal with n_q ≠ n_k: the queries are the last positions (bottom-right)", "[masking][masks]") {
    // 2 new queries after 3 cached tokens: they sit at positions 3 and 4 of 5.
    const mask A = impl::causal_mask(2, 5);
    REQUIRE(A.shape(0) == 2);
    REQUIRE(A.shape(1) == 5);
    const bool a[2][5] = {{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}};
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 5; ++j) CHECK(A(i, j) == a[i][j]);
    // 4 queries but 2 keys: the first two queries come before every key and see nothing.
    const mask B = impl::causal_mask(4, 2);
    const bool b[4][2] = {{0, 0}, {0, 0}, {1, 0}, {1, 1}};
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 2; ++j) CHECK(B(i, j) == b[i][j]);
    for (std::size_t n_q : {1, 3, 7})
        for (std::size_t n_k : {1, 4, 7, 12}) {
            INFO("n_q " << n_q << ", n_k " << n_k);
            CHECK((impl::causal_mask(n_q, n_k) == oracle::visible(n_q, n_k, true)));
        }
    CHECK((impl::causal_mask(6, 6) == impl::causal_mask(6)));
    CHECK_THROWS_AS(impl::causal_mask(0, 3), attn::value_error);
    // One query against a cache of 9: it sees all of them, which is why decoding needs no mask.
    const matrix Q = random_matrix(1, 4, 7), K = random_matrix(9, 4, 8), V = random_matrix(9, 3, 9);
    CHECK_THAT(impl::masked_attention(Q, K, V, impl::causal_mask(1, 9)),
               AllClose(oracle::attention(Q, K, V), 1e-6, 1e-5));
}

TEST_CASE("apply_mask: disallowed scores become the fill, others stay", "[masking][apply]") {
    const matrix S = random_matrix(4, 4, 1);
    const matrix M = impl::apply_mask(S, impl::causal_mask(4));
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j)
            if (j <= i)
                CHECK(M(i, j) == S(i, j));
            else
                CHECK(M(i, j) == -std::numeric_limits<float>::infinity());
    CHECK(impl::apply_mask(S, impl::causal_mask(4), -1e9f)(0, 3) == -1e9f);
    CHECK_THROWS_MATCHES(impl::apply_mask(S, impl::causal_mask(3)), attn::shape_error,
                         Catch::Matchers::Message("apply_mask: S is (4, 4) but mask is (3, 3); the mask needs one "
                                                  "entry per score"));
}

TEST_CASE("masked attention matches float64 up to n = 512, d = 128", "[masking][oracle]") {
    for (auto [n, d, valid] :
         std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {7, 4, 5}, {64, 64, 40}, {512, 128, 300}}) {
        const matrix Q = random_matrix(n, d, 1 + n), K = random_matrix(n, d, 2 + n), V = random_matrix(n, d, 3 + n);
        const mask M = attn::combine(attn::causal_mask(n), attn::padding_mask(n, n, valid));
        INFO("n " << n << ", d " << d << ", valid " << valid);
        CHECK_THAT(impl::masked_attention(Q, K, V, M), AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    }
}

TEST_CASE("masked weights are exactly zero and the rest still sum to 1", "[masking][property]") {
    const matrix Q = random_matrix(6, 4, 11), K = random_matrix(6, 4, 12);
    const mask M = attn::combine(attn::causal_mask(6), attn::padding_mask(6, 6, 4));
    const matrix P = attn::softmax_rows(impl::apply_mask(attn::scaled_scores(Q, K), M));
    for (std::size_t i = 0; i < 6; ++i) {
        double sum = 0;
        for (std::size_t j = 0; j < 6; ++j) {
            if (!M(i, j)) CHECK(P(i, j) == 0);
            sum += P(i, j);
        }
        CHECK(sum == Approx(1).margin(1e-6));
    }
}

TEST_CASE("causal: outputs at positions ≤ i do not change when tokens after i change", "[masking][property][causal]") {
    const matrix X = random_matrix(12, 8, 21);
    const matrix Wq = random_matrix(8, 8, 22), Wk = random_matrix(8, 8, 23), Wv = random_matrix(8, 8, 24);
    for (std::size_t i : {0u, 5u, 10u}) {
        const matrix Y = lessons::masking::perturb_after(X, i, 99);
        const attn::qkv a = attn::project_qkv(X, Wq, Wk, Wv), b = attn::project_qkv(Y, Wq, Wk, Wv);
        const matrix Oa = impl::masked_attention(a.Q, a.K, a.V, impl::causal_mask(12));
        const matrix Ob = impl::masked_attention(b.Q, b.K, b.V, impl::causal_mask(12));
        INFO("changed everything after position " << i);
        for (std::size_t r = 0; r <= i; ++r)
            for (std::size_t c = 0; c < 8; ++c) REQUIRE(Oa(r, c) == Ob(r, c));  // exactly, not approximately
        double later = 0;
        for (std::size_t r = i + 1; r < 12; ++r)
            for (std::size_t c = 0; c < 8; ++c) later = std::max(later, double(std::abs(Oa(r, c) - Ob(r, c))));
        CHECK(later > 1e-3);  // the later outputs did see the change: the test can tell
    }
}

TEST_CASE("padding: changing padded keys and values changes nothing", "[masking][property][padding]") {
    const matrix Q = random_matrix(5, 4, 31), K = random_matrix(8, 4, 32), V = random_matrix(8, 3, 33);
    matrix K2 = K, V2 = V;
    for (std::size_t j = 5; j < 8; ++j)
        for (std::size_t c = 0; c < 3; ++c) K2(j, c) += 7, V2(j, c) -= 3;
    const mask M = impl::padding_mask(5, 8, 5);
    CHECK_THAT(impl::masked_attention(Q, K2, V2, M), AllClose(oracle::to64(impl::masked_attention(Q, K, V, M)), 0, 0));
}

TEST_CASE("a fully masked row gives weights 0 and output 0; -1e9 would leak", "[masking][edge]") {
    const matrix Q = random_matrix(3, 2, 41), K = random_matrix(3, 2, 42), V = random_matrix(3, 2, 43);
    mask M = attn::causal_mask(3);
    M(0, 0) = false;  // query 0 may see nothing
    const matrix O = impl::masked_attention(Q, K, V, M);
    CHECK(O(0, 0) == 0);
    CHECK(O(0, 1) == 0);
    CHECK_FALSE(std::isnan(O(1, 0)));
    // With a finite fill the same row averages every value: documented leakage, library-only.
    const attn::attention_steps big = attn::masked_attention_explained(Q, K, V, M, -1e9f);
    CHECK(big.P(0, 2) == Approx(1.0 / 3).margin(1e-6));
}

TEST_CASE("-inf and -1e9 agree while every row keeps an allowed key; ±1e4 logits are stable", "[masking][stability]") {
    const matrix Q = random_matrix(6, 4, 51, -50, 50), K = random_matrix(6, 4, 52, -50, 50),
                 V = random_matrix(6, 4, 53);
    const mask M = attn::causal_mask(6);  // scores reach about ±1e4 / 2
    const matrix O = impl::masked_attention(Q, K, V, M);
    CHECK_THAT(O, AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    CHECK_THAT(attn::masked_attention_explained(Q, K, V, M, -1e9f).O, AllClose(oracle::to64(O), 1e-6, 0));
}
