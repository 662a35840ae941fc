// Lesson 12 — sliding-window attention: the mask, its cost, and the tiled kernel that skips blocks.
// Runs against attn:: (native and wasm) and against lessons/11/exercise.cpp.
#include <algorithm>
#include <array>
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

TEST_CASE("in_window: w keys back including itself; ahead only without the causal mask", "[sliding_window][mask]") {
    CHECK(impl::in_window(5, 5, 1, true));
    CHECK_FALSE(impl::in_window(5, 4, 1, true));
    CHECK(impl::in_window(5, 3, 3, true));
    CHECK_FALSE(impl::in_window(5, 2, 3, true));
    CHECK_FALSE(impl::in_window(5, 6, 3, true));   // the future, causal
    CHECK(impl::in_window(5, 7, 3, false));        // two ahead, not causal
    CHECK_FALSE(impl::in_window(5, 8, 3, false));  // three ahead is outside w = 3
    CHECK_FALSE(impl::in_window(0, 1000, 3, false));
}

TEST_CASE("window_mask: a band; w ≥ n causal is the causal mask", "[sliding_window][mask]") {
    const attn::mask M = impl::window_mask(6, 2, true);
    for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 6; ++j) CHECK(M(i, j) == (j == i || j + 1 == i));
    const bool same_at_n = impl::window_mask(7, 7, true) == attn::causal_mask(7);  // xtensor's == compares whole arrays
    const bool same_past_n = impl::window_mask(7, 100, true) == attn::causal_mask(7);
    CHECK(same_at_n);
    CHECK(same_past_n);
    const attn::mask B = impl::window_mask(5, 2, false);
    CHECK(B(2, 3));
    CHECK(B(3, 2));
    CHECK_FALSE(B(1, 3));
    CHECK_THROWS_AS(impl::window_mask(5, 0), attn::value_error);
    CHECK_THROWS_AS(impl::window_mask(0, 2), attn::value_error);
}

TEST_CASE("window_pairs counts the mask's true entries: about n·w, not n²", "[sliding_window][cost]") {
    for (auto [n, w] : std::vector<std::array<std::size_t, 2>>{{1, 1}, {6, 2}, {10, 10}, {33, 7}, {100, 250}})
        for (bool causal : {true, false}) {
            const attn::mask M = attn::window_mask(n, w, causal);
            double count = 0;
            for (bool b : M) count += b;
            INFO("n " << n << ", w " << w << (causal ? ", causal" : ""));
            CHECK(impl::window_pairs(n, w, causal) == count);
        }
    CHECK(impl::window_pairs(4096, 512, true) == 4096.0 * 512 - 512.0 * 511 / 2);
    CHECK(attn::receptive_field(32, 4096) == 131041);
}

TEST_CASE("window_tile: skip, mask or compute in O(1), as a pair-by-pair look decides",
          "[sliding_window][tiles][skip]") {
    std::size_t checked = 0;
    for (std::size_t w : {1u, 3u, 8u, 40u})
        for (bool causal : {true, false})
            for (std::size_t q0 = 0; q0 < 48; q0 += 5)
                for (std::size_t k0 = 0; k0 < 48; k0 += 7)
                    for (auto [br, bc] : std::vector<std::array<std::size_t, 2>>{{1, 1}, {4, 4}, {8, 3}, {16, 16}}) {
                        const std::size_t q1 = q0 + br, k1 = k0 + bc;
                        std::size_t seen = 0;
                        for (std::size_t i = q0; i < q1; ++i)
                            for (std::size_t j = k0; j < k1; ++j) seen += attn::in_window(i, j, w, causal);
                        const attn::tile_visit t = impl::window_tile(q0, q1, k0, k1, w, causal);
                        INFO("queries " << q0 << "-" << q1 - 1 << ", keys " << k0 << "-" << k1 - 1 << ", w " << w
                                        << (causal ? ", causal" : ""));
                        REQUIRE(t.skipped == (seen == 0));
                        REQUIRE(t.masked == (seen != 0 && seen != br * bc));
                        REQUIRE((t.q0 == q0 && t.q1 == q1 && t.k0 == k0 && t.k1 == k1));
                        ++checked;
                    }
    CHECK(checked == 4 * 2 * 10 * 7 * 4);
    CHECK_THROWS_AS(impl::window_tile(4, 4, 0, 2, 3, true), attn::value_error);
}

TEST_CASE("rolling_append: the last w tokens in w rows, token t in row t mod w", "[sliding_window][rolling]") {
    attn::rolling_cache c(3, 2, 1);
    for (std::size_t t = 0; t < 7; ++t) {
        const std::size_t row = impl::rolling_append(c, attn::vector{float(t), 1}, attn::vector{float(10 * t)});
        INFO("token " << t);
        CHECK(row == t % 3);
        CHECK(c.seen == t + 1);
        CHECK(c.cache.length == std::min<std::size_t>(t + 1, 3));
        CHECK(c.cache.K.shape(0) == 3);  // the buffer never grows
    }
    // After tokens 0..6: rows hold tokens 6, 4, 5.
    CHECK(c.cache.K(0, 0) == 6);
    CHECK(c.cache.K(1, 0) == 4);
    CHECK(c.cache.V(2, 0) == 50);
    CHECK_THROWS_AS(impl::rolling_append(c, attn::vector{1, 2, 3}, attn::vector{1}), attn::shape_error);
}

TEST_CASE("decoding through a rolling cache of w rows equals causal window attention",
          "[sliding_window][rolling][oracle]") {
    for (auto [n, w] : std::vector<std::array<std::size_t, 2>>{{1, 1}, {20, 1}, {50, 8}, {64, 64}, {30, 100}}) {
        const matrix Q = random_matrix(n, 8, 100 + n), K = random_matrix(n, 8, 101 + n), V = random_matrix(n, 5, 102);
        attn::rolling_cache c(w, 8, 5);
        matrix O = xt::zeros<float>({n, std::size_t(5)});
        for (std::size_t t = 0; t < n; ++t) {
            impl::rolling_append(c, xt::row(K, t), xt::row(V, t));
            xt::row(O, t) = attn::decode_step(c.cache, xt::row(Q, t));
        }
        const attn::mask M = attn::window_mask(n, w, true);
        INFO("n " << n << ", w " << w);
        CHECK_THAT(O, AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
    }
}

TEST_CASE("window attention matches float64; at n = 1 and w ≥ n it is causal attention",
          "[sliding_window][attention][oracle]") {
    for (auto [n, w, d] : std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {9, 3, 4}, {200, 17, 32}}) {
        const matrix Q = random_matrix(n, d, n), K = random_matrix(n, d, n + 1), V = random_matrix(n, d, n + 2);
        for (bool causal : {true, false}) {
            const attn::mask M = impl::window_mask(n, w, causal);
            INFO("n " << n << ", w " << w << (causal ? ", causal" : ""));
            CHECK_THAT(attn::window_attention(Q, K, V, w, causal), AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
        }
    }
    const matrix Q = random_matrix(30, 8, 1), K = random_matrix(30, 8, 2), V = random_matrix(30, 8, 3);
    CHECK_THAT(attn::window_attention(Q, K, V, 30), AllClose(oracle::to64(attn::causal_attention(Q, K, V)), 1e-6, 0));
}

TEST_CASE("v4_window: the SIMD tiled kernel equals the reference and skips the tiles outside the band",
          "[sliding_window][kernel]") {
    for (auto [n, w] :
         std::vector<std::array<std::size_t, 2>>{{1, 1}, {70, 1}, {130, 64}, {300, 65}, {517, 100}, {200, 1000}})
        for (bool causal : {true, false}) {
            const auto in = attn::normal_qkv(n, 32, n + w);
            const attn::mask M = attn::window_mask(n, w, causal);
            attn::kernels::counters c;
            INFO("n " << n << ", w " << w << (causal ? ", causal" : ""));
            CHECK_THAT(attn::kernels::v4_window(in.Q, in.K, in.V, w, causal, 1, &c),
                       AllClose(oracle::attention(in.Q, in.K, in.V, &M), 1e-5, 0));
            double computed = 0;
            for (const auto& t : attn::window_tiles(n, w, causal, 64, 64)) computed += !t.skipped;
            CHECK(c.tiles == computed);
            CHECK(c.flops == 2 * attn::window_pairs(n, w, causal) * 64);
        }
    const auto in = attn::normal_qkv(4096, 16, 1);
    attn::kernels::counters c;
    attn::kernels::v4_window(in.Q, in.K, in.V, 256, true, 2, &c);
    CHECK(c.tiles ==
          64 * 5 - (4 + 3 + 2 + 1));  // each block row: its diagonal tile and 4 behind it, fewer for the first 4
    CHECK_THROWS_AS(attn::kernels::v4_window(in.Q, in.K, in.V, 0), attn::value_error);
    // 5 queries after 1 earlier token: the queries are the last 5 of 6 positions (lesson 06)
    const matrix Q5 = random_matrix(5, 4, 1), K6 = random_matrix(6, 4, 2), V6 = random_matrix(6, 4, 3);
    const attn::mask M = oracle::visible(5, 6, true, 2);
    CHECK_THAT(attn::kernels::v4_window(Q5, K6, V6, 2), AllClose(oracle::attention(Q5, K6, V6, &M), 1e-6, 1e-5));
    CHECK_THROWS_AS(attn::kernels::v4_window(Q5, random_matrix(6, 3, 2), V6, 2), attn::shape_error);
}

TEST_CASE("the tile grid the pages draw: 0 skipped, 1 partly masked, 2 computed whole", "[sliding_window][tiles]") {
    // 8 tokens, a causal window of 2 keys (each query sees itself and the one before), 2×2 tiles:
    // the diagonal tiles and the ones just below it are partly masked, everything else is skipped.
    const std::vector<std::vector<int>> want{{1, 0, 0, 0}, {1, 1, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 1}};
    CHECK(attn::tile_grid(attn::window_tiles(8, 2, true, 2, 2), 4) == want);
    // without a window every tile below the diagonal is whole
    CHECK(attn::tile_grid(attn::window_tiles(4, 4, true, 2, 2), 2) == std::vector<std::vector<int>>{{1, 0}, {2, 1}});
    CHECK_THROWS_AS(attn::tile_grid(attn::window_tiles(8, 2, true, 2, 2), 3), attn::value_error);
}
