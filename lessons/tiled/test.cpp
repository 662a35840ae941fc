// Lesson 09 — tiled attention: the readable reference (tiled_attention) and the
// fast kernels v3_tiled and v4_simd, all against the float64 oracle.
// Runs against attn:: (native and wasm, where v4_simd is SIMD128) and against
// lessons/08/exercise.cpp (tiled_attention).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/mistakes.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using attn::vector;
using testing::AllClose;
using testing::random_matrix;

using sizes = std::vector<std::array<std::size_t, 3>>;

TEST_CASE("step 1, score_tile: one tile of scaled scores, −∞ where the causal mask hides a key",
          "[tiled][steps][score_tile]") {
    const matrix Q = random_matrix(7, 4, 70), K = random_matrix(9, 4, 71);
    const attn::matrix64 S = oracle::matmul_bt(Q, K) / 2.0;  // Q·Kᵀ/√d_k in float64, d_k = 4
    const matrix T = impl::score_tile(Q, K, 2, 5, 3, 9);
    REQUIRE(T.shape(0) == 3);
    REQUIRE(T.shape(1) == 6);
    attn::matrix64 expected = xt::view(S, xt::range(2, 5), xt::range(3, 9));
    const matrix Qt = xt::view(Q, xt::range(2, 5), xt::all()), Kt = xt::view(K, xt::range(3, 9), xt::all());
    CHECK_THAT(T, AllClose(expected, 1e-6, 0).naming({mistakes::missing_scale(Qt, Kt)}));
    // Causal, 7 queries after 2 earlier keys (n_k = 9): query i sits at position i + 2 and sees keys 0..i + 2.
    const matrix C = impl::score_tile(Q, K, 0, 7, 0, 9, true);
    for (std::size_t i = 0; i < 7; ++i)
        for (std::size_t j = 0; j < 9; ++j) {
            INFO("query " << i << ", key " << j);
            if (j > i + 2)
                CHECK(C(i, j) == -std::numeric_limits<float>::infinity());
            else
                CHECK(C(i, j) == Approx(S(i, j)).margin(1e-6));
        }
    CHECK_THROWS_AS(impl::score_tile(Q, K, 3, 3, 0, 2), attn::value_error);  // an empty tile
    CHECK_THROWS_AS(impl::score_tile(Q, K, 0, 8, 0, 2), attn::value_error);  // past Q's rows
}

TEST_CASE("step 2, fold_row: the running m, l and o over two tiles of a row", "[tiled][steps][fold_row]") {
    // Lesson 09's walk-through, row 0: q = 1 against keys 0, 1 then 2, 3 (scores 0, 1 then 2, 3), v = 1..4.
    const matrix V1 = {{1}, {2}}, V2 = {{3}, {4}};
    attn::online_row r = attn::start_row(1);
    CHECK(impl::fold_row(r, vector{0, 1}, V1) == 0);  // the first tile: nothing to rescale
    CHECK(r.m == 1);
    CHECK(r.l == Approx(std::exp(-1.0) + 1).epsilon(1e-6));
    CHECK(r.o(0) == Approx(std::exp(-1.0) * 1 + 2).epsilon(1e-6));
    const float f = impl::fold_row(r, vector{2, 3}, V2);  // the maximum grows from 1 to 3
    CHECK(f == Approx(std::exp(-2.0)).epsilon(1e-6));
    CHECK(r.m == 3);
    CHECK(r.l == Approx((std::exp(-1.0) + 1) * std::exp(-2.0) + std::exp(-1.0) + 1).epsilon(1e-6));
    CHECK(r.o(0) == Approx((std::exp(-1.0) + 2) * std::exp(-2.0) + 3 * std::exp(-1.0) + 4).epsilon(1e-6));
    // A tile whose maximum is below the row's: the factor is 1 and the tile only adds.
    attn::online_row q = attn::start_row(1);
    impl::fold_row(q, vector{0, -1}, V1);
    CHECK(impl::fold_row(q, vector{-2, -3}, V2) == 1);
    CHECK(q.m == 0);
    // A row of a tile that the mask hides entirely changes nothing.
    const float inf = std::numeric_limits<float>::infinity();
    attn::online_row h = attn::start_row(1);
    CHECK(impl::fold_row(h, vector{-inf, -inf}, V1) == 1);
    CHECK(h.l == 0);
    CHECK(h.o(0) == 0);
    CHECK_THROWS_AS(impl::fold_row(h, vector{1, 2, 3}, V1), attn::shape_error);
}

TEST_CASE("step 3, finalize: one division at the end, 0 for a row that saw nothing", "[tiled][steps][finalize]") {
    attn::online_row r = attn::start_row(3);
    r.m = 2, r.l = 4, r.o = vector{2, -8, 1};
    const vector out = impl::finalize(r);
    REQUIRE(out.size() == 3);
    CHECK(out(0) == Approx(0.5));
    CHECK(out(1) == Approx(-2));
    CHECK(out(2) == Approx(0.25));
    for (auto x : impl::finalize(attn::start_row(2))) CHECK(x == 0);
}

TEST_CASE("tiled attention equals naive attention for every block size, lengths not multiples of it",
          "[tiled][tiled][oracle]") {
    const matrix Q = random_matrix(37, 8, 1), K = random_matrix(29, 8, 2), V = random_matrix(29, 5, 3);
    const attn::matrix64 expected = oracle::attention(Q, K, V);
    for (auto [Br, Bc, _] : sizes{{1, 1, 0}, {4, 4, 0}, {5, 7, 0}, {16, 8, 0}, {37, 29, 0}, {64, 64, 0}}) {
        INFO("Br " << Br << ", Bc " << Bc);
        CHECK_THAT(impl::tiled_attention(Q, K, V, Br, Bc),
                   AllClose(expected, 1e-6, 0)
                       .naming({mistakes::forgotten_rescale(Q, K, V, Bc), mistakes::missing_scale(Q, K, V)}));
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

TEST_CASE("FlashAttention-1's loop order (key blocks outside, O renormalised each visit) gives the same O",
          "[tiled][fa1]") {
    const matrix Q = random_matrix(37, 8, 80), K = random_matrix(29, 8, 81), V = random_matrix(29, 5, 82);
    std::vector<attn::tile_visit> order;
    CHECK_THAT(attn::tiled_attention_fa1(Q, K, V, 8, 8, &order), AllClose(oracle::attention(Q, K, V), 1e-6, 0));
    REQUIRE(order.size() == 5 * 4);
    CHECK(order[1].k0 == 0);  // the second visit is the next query block against the same key block
    CHECK(order[1].q0 == 8);
    CHECK(order[5].k0 == 8);
}

TEST_CASE("FlashAttention's block sizes and IO count (Theorem 2)", "[tiled][io]") {
    const attn::flash_io f = attn::flash_io_model(192 * 1024, 8192, 64);  // a GPU's 192 KiB of SRAM per SM
    CHECK(f.M_floats == 49152);
    CHECK(f.Bc == 192);  // ⌈49152 / 256⌉
    CHECK(f.Br == 64);   // min(192, d)
    CHECK(f.standard == 8192.0 * 64 + 8192.0 * 8192);
    CHECK(f.tiled == Approx(8192.0 * 8192 * 64 * 64 / 49152));
    CHECK(f.in_range);
    CHECK(attn::flash_io_model(48 * 1024, 8192, 64).Br == 48);              // a 48 KiB L1d: B_r = B_c = 48 < d
    const attn::flash_io big = attn::flash_io_model(2048 * 1024, 512, 64);  // M > N·d: past the theorem
    CHECK_FALSE(big.in_range);
    CHECK(big.tiled == 4.0 * 512 * 64);  // never below one pass over Q, K, V and O
    CHECK_THROWS_AS(attn::flash_io_model(100, 8192, 64), attn::value_error);
}

TEST_CASE("the tiled kernels pay the rescale once per row per tile, not per key", "[tiled][kernels][counters]") {
    const matrix Q = random_matrix(256, 64, 90), K = random_matrix(256, 64, 91), V = random_matrix(256, 32, 92);
    attn::kernels::counters t, o;
    attn::kernels::v4_simd(Q, K, V, false, 1, &t);
    attn::kernels::v2_online(Q, K, V, false, &o);
    CHECK(o.rescale_mults == 256.0 * 256 * 32);
    CHECK(t.tiles == 16);                            // 4 × 4 tiles of 64
    CHECK(t.rescale_mults <= 256.0 * (4 - 1) * 32);  // at most once per row per later tile
    CHECK(t.exps == 256.0 * 256 + 16 * 64);          // a score's exp per pair, a rescale exp per row per tile
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

TEST_CASE(
    "the simd exp2 the kernel's softmax takes: within 2 ulp-ish of std::exp2 on [−126, 0], exactly 1 at 0, "
    "exactly 0 at or below −126 and for −∞",
    "[tiled][kernels][exp]") {
    using namespace attn::simd;
    float in[W], out[W];
    for (float x = -125.99f; x <= 0.0f; x += 0.013f) {
        for (int k = 0; k < W; ++k) in[k] = std::min(0.0f, x + 0.0007f * float(k));
        store(out, exp2_nonpositive(load(in)));
        for (int k = 0; k < W; ++k) REQUIRE(out[k] == Approx(std::exp2(double(in[k]))).epsilon(2.5e-7));
    }
    for (int k = 0; k < W; ++k) in[k] = 0.0f;
    store(out, exp2_nonpositive(load(in)));
    for (int k = 0; k < W; ++k) CHECK(out[k] == 1.0f);  // an unchanged maximum rescales by exactly 1
    for (float below : {-126.0f, -126.5f, -200.0f, -1e30f, -std::numeric_limits<float>::infinity()}) {
        for (int k = 0; k < W; ++k) in[k] = below;
        store(out, exp2_nonpositive(load(in)));
        for (int k = 0; k < W; ++k) CHECK(out[k] == 0);
    }
}
