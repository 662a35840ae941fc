// Lesson 08 — tiled attention: the readable reference (tiled_attention) and the
// fast kernels v3_tiled and v4_simd, all against the float64 oracle.
// Runs against attn:: (native and wasm, where v4_simd is SIMD128) and against
// lessons/08/exercise.cpp (tiled_attention).
#include <array>
#include <vector>

#include <catch2/catch.hpp>

#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using testing::AllClose;
using testing::random_matrix;

using sizes = std::vector<std::array<std::size_t, 3>>;

TEST_CASE("tiled attention equals naive attention for every block size, lengths not multiples of it",
          "[tiled][tiled][oracle]") {
    const matrix Q = random_matrix(37, 8, 1), K = random_matrix(29, 8, 2), V = random_matrix(29, 5, 3);
    const attn::matrix64 expected = oracle::attention(Q, K, V);
    for (auto [Br, Bc, _] : sizes{{1, 1, 0}, {4, 4, 0}, {5, 7, 0}, {16, 8, 0}, {37, 29, 0}, {64, 64, 0}}) {
        INFO("Br " << Br << ", Bc " << Bc);
        CHECK_THAT(impl::tiled_attention(Q, K, V, Br, Bc), AllClose(expected, 1e-6, 0));
    }
}

TEST_CASE("tiled attention matches float64 up to n = 512, d = 128, causal or not", "[tiled][tiled][oracle]") {
    for (auto [n, d, B] : sizes{{1, 1, 1}, {100, 16, 16}, {512, 128, 64}}) {
        const matrix Q = random_matrix(n, d, 4 + n), K = random_matrix(n, d, 5 + n), V = random_matrix(n, d, 6 + n);
        const attn::mask M = attn::causal_mask(n);
        INFO("n " << n << ", d " << d << ", blocks " << B);
        CHECK_THAT(impl::tiled_attention(Q, K, V, B, B), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
        CHECK_THAT(impl::tiled_attention(Q, K, V, B, B / 2 + 1, true),
                   AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    }
}

TEST_CASE("causal tiled attention when n_q ≠ n_k: the queries are the last positions", "[tiled][tiled][causal]") {
    for (auto [n_q, n_k] : {std::pair<std::size_t, std::size_t>{1, 37}, {5, 37}, {37, 5}, {64, 200}}) {
        const matrix Q = random_matrix(n_q, 8, 30), K = random_matrix(n_k, 8, 31), V = random_matrix(n_k, 6, 32);
        const attn::mask M = oracle::visible(n_q, n_k, true);
        INFO("n_q " << n_q << ", n_k " << n_k);
        CHECK_THAT(impl::tiled_attention(Q, K, V, 4, 8, true), AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    }
    // 2 queries after 8 keys, blocks of 4: the one query block sees both key blocks, the last one masked.
    std::vector<attn::tile_visit> trace;
    impl::tiled_attention(random_matrix(2, 4, 1), random_matrix(10, 4, 2), random_matrix(10, 4, 3), 4, 4, true, &trace);
    REQUIRE(trace.size() == 3);
    CHECK_FALSE(trace[0].skipped);
    CHECK_FALSE(trace[0].masked);
    CHECK_FALSE(trace[1].skipped);
    CHECK_FALSE(trace[1].masked);  // keys 4..7: both queries (positions 8 and 9) see them all
    CHECK_FALSE(trace[2].skipped);
    CHECK(trace[2].masked);  // keys 8..9: the query at position 8 must not see key 9
}

TEST_CASE("causal tiling skips the tiles above the diagonal", "[tiled][tiled][causal]") {
    const matrix Q = random_matrix(10, 4, 7);
    std::vector<attn::tile_visit> trace;
    attn::tiled_attention(Q, Q, Q, 4, 4, true, &trace);
    REQUIRE(trace.size() == 9);  // 3 query blocks × 3 key blocks
    std::size_t skipped = 0, masked = 0;
    for (const auto& t : trace) {
        skipped += t.skipped;
        masked += t.masked;
        if (t.skipped) CHECK(t.k0 > t.q1 - 1);  // every key after every query of the block
    }
    CHECK(skipped == 3);  // (0,1), (0,2), (1,2)
    CHECK(masked == 3);   // the diagonal tiles
}

TEST_CASE("causal tiled outputs ignore future tokens exactly", "[tiled][tiled][causal][property]") {
    const matrix Q = random_matrix(40, 8, 8), K = random_matrix(40, 8, 9), V = random_matrix(40, 8, 10);
    matrix K2 = K, V2 = V;
    for (std::size_t j = 21; j < 40; ++j)
        for (std::size_t c = 0; c < 8; ++c) K2(j, c) += 3, V2(j, c) -= 5;
    const matrix A = impl::tiled_attention(Q, K, V, 8, 8, true), B = impl::tiled_attention(Q, K2, V2, 8, 8, true);
    for (std::size_t i = 0; i <= 20; ++i)
        for (std::size_t c = 0; c < 8; ++c) REQUIRE(A(i, c) == B(i, c));
}

TEST_CASE("tiled attention is stable with logits of ±1e4 and refuses bad arguments", "[tiled][tiled][stability]") {
    const matrix Q = random_matrix(20, 4, 11, -60, 60), K = random_matrix(20, 4, 12, -60, 60),
                 V = random_matrix(20, 4, 13);
    CHECK_THAT(impl::tiled_attention(Q, K, V, 6, 6), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
    CHECK_THROWS_AS(impl::tiled_attention(Q, K, V, 0, 4), attn::value_error);
    CHECK_THROWS_MATCHES(
        impl::tiled_attention(Q, random_matrix(20, 3, 14), V, 4, 4), attn::shape_error,
        Catch::Matchers::Message("tiled_attention: Q is (20, 4) but K is (20, 3); Q and K need the same d_k"));
}

TEST_CASE("v3_tiled and v4_simd match float64 at every length around the 64×64 tiles", "[tiled][kernels][oracle]") {
    for (auto [n, d, causal] : sizes{{1, 1, 0},
                                     {3, 5, 1},
                                     {63, 64, 0},
                                     {64, 64, 1},
                                     {65, 64, 1},
                                     {130, 40, 0},
                                     {257, 96, 1},
                                     {512, 128, 0},
                                     {512, 64, 1}}) {
        const matrix Q = random_matrix(n, d, 20 + n), K = random_matrix(n, d, 21 + n), V = random_matrix(n, d, 22 + n);
        const attn::mask M = attn::causal_mask(n);
        const attn::matrix64 expected = oracle::attention(Q, K, V, causal ? &M : nullptr);
        INFO("n " << n << ", d " << d << (causal ? ", causal" : "") << ", " << attn::simd::isa);
        CHECK_THAT(attn::kernels::v3_tiled(Q, K, V, causal), AllClose(expected, 1e-5, 0));
        CHECK_THAT(attn::kernels::v4_simd(Q, K, V, causal), AllClose(expected, 1e-5, 0));
        CHECK_THAT(attn::kernels::v4_simd(Q, K, V, causal, 2), AllClose(expected, 1e-5, 0));
    }
    // cross-attention shapes: 70 queries over 200 keys
    const matrix Q = random_matrix(70, 64, 30), K = random_matrix(200, 64, 31), V = random_matrix(200, 32, 32);
    CHECK_THAT(attn::kernels::v4_simd(Q, K, V), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
}

TEST_CASE("the kernels' extra memory does not grow with n", "[tiled][kernels][memory]") {
    double first = -1;
    for (std::size_t n : {64u, 512u, 2048u}) {
        const matrix Q = random_matrix(n, 64, 40);
        attn::kernels::counters c;
        attn::kernels::v4_simd(Q, Q, Q, false, 1, &c);
        if (first < 0) first = c.peak_bytes;
        CHECK(c.peak_bytes == first);
        CHECK(c.peak_bytes <= 256 * 1024);
    }
}

TEST_CASE("the simd exp: within 2 ulp-ish of std::exp, and exactly 0 for -inf", "[tiled][kernels][exp]") {
    using namespace attn::simd;
    float in[W], out[W];
    for (float x = -87.0f; x < 88.0f; x += 0.37f) {
        for (int k = 0; k < W; ++k) in[k] = x + 0.01f * float(k);
        store(out, exp(load(in)));
        for (int k = 0; k < W; ++k) REQUIRE(out[k] == Approx(std::exp(double(in[k]))).epsilon(4e-7));
    }
    for (int k = 0; k < W; ++k) in[k] = -std::numeric_limits<float>::infinity();
    store(out, exp(load(in)));
    for (int k = 0; k < W; ++k) CHECK(out[k] == 0);
}
