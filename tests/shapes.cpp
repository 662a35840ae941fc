// tests/shapes.cpp — every shape a user has, in every kernel: causal and windowed
// attention when n_q ≠ n_k, and every head size in use.
//
// With fewer queries than keys (one query decoding against a cache, a chunk of a
// prompt after the chunks before it) the queries are the last n_q positions:
// "bottom-right" causal, as FlashAttention-2 (since 2.1) and PyTorch's
// causal_lower_right define it. With more queries than keys, the first n_q - n_k
// queries see nothing and their output is 0 (lesson 06). Head sizes: the common
// ones, 32 to 256, odd ones, and d_k ≠ d_v. Everything is checked against the
// float64 oracle, whose mask (oracle::visible) is written independently of the
// library's rule. Runs natively, under the sanitizers and in wasm.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <attn/backward.hpp>
#include <attn/cost.hpp>
#include <attn/kernels/naive.hpp>
#include <attn/kernels/online.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/mask.hpp>
#include <attn/tiled.hpp>
#include <attn/visible.hpp>
#include <attn/window.hpp>

#include "support/allclose.hpp"
#include "support/kernels.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using attn::matrix64;
using testing::AllClose;
using testing::random_matrix;

namespace {

std::vector<testing::forward_kernel> kernels() { return testing::forward_kernels(16, 8); }

/// Every kernel against the oracle on one shape; returns nothing, CHECKs all.
void expect_oracle(std::size_t n_q, std::size_t n_k, std::size_t d_k, std::size_t d_v, bool causal, double atol) {
    const std::uint32_t seed = std::uint32_t(n_q * 7919 + n_k * 31 + d_k * 7 + d_v);
    const matrix Q = random_matrix(n_q, d_k, seed), K = random_matrix(n_k, d_k, seed + 1),
                 V = random_matrix(n_k, d_v, seed + 2);
    const attn::mask M = oracle::visible(n_q, n_k, causal);
    const matrix64 want = oracle::attention(Q, K, V, &M);
    for (const auto& k : kernels()) {
        INFO(k.name << (causal ? ", causal" : "") << ": n_q " << n_q << ", n_k " << n_k << ", d_k " << d_k << ", d_v "
                    << d_v);
        CHECK_THAT(k.run(Q, K, V, causal), AllClose(want, atol, 1e-5));
    }
}

}  // namespace

TEST_CASE("the library's rule is the oracle's: bottom-right causal and windows, any n_q and n_k", "[shapes]") {
    for (std::size_t n_q : {1, 2, 5, 9})
        for (std::size_t n_k : {1, 3, 5, 12})
            for (bool causal : {false, true})
                for (std::size_t w : {0, 1, 2, 4}) {
                    INFO("n_q " << n_q << ", n_k " << n_k << (causal ? ", causal" : "") << ", w " << w);
                    const attn::mask want = oracle::visible(n_q, n_k, causal, w);
                    std::size_t pairs = 0, blind = 0;
                    for (std::size_t i = 0; i < n_q; ++i) {
                        std::size_t row = 0;
                        for (std::size_t j = 0; j < n_k; ++j) {
                            CHECK(attn::sees(i, j, n_q, n_k, causal, w) == want(i, j));
                            row += want(i, j);
                        }
                        pairs += row, blind += row == 0;
                    }
                    CHECK(attn::visible_pairs(n_q, n_k, causal, w) == double(pairs));
                    CHECK(attn::blind_rows(n_q, n_k, causal, w) == blind);
                    if (causal && w == 0) CHECK((attn::causal_mask(n_q, n_k) == want));
                    if (w != 0) CHECK((attn::window_mask(n_q, n_k, w, causal) == want));
                    if (causal && w == 0)
                        CHECK(attn::attention_cost_model(n_q, n_k, 8, 8, true).pairs == double(pairs));
                    // The backward pass's five products (S again, dV, dP, dQ, dK) over the same pairs.
                    if (w == 0)
                        CHECK(attn::backward_cost_model(n_q, n_k, 8, 4, causal).flops ==
                              2.0 * double(pairs) * (8 + 4 + 4 + 8 + 8));
                }
    CHECK((attn::causal_mask(6, 6) == attn::causal_mask(6)));  // square: the plain lower triangle
    CHECK((attn::window_mask(7, 7, 3, true) == attn::window_mask(7, 3, true)));
}

TEST_CASE("causal with fewer queries than keys: decoding against a cache and chunked prefill", "[shapes]") {
    for (std::size_t n_q : {1, 3, 64})
        for (std::size_t n_k : {64, 65, 200, 1000}) expect_oracle(n_q, n_k, 64, 64, true, 2e-6);
    expect_oracle(1, 1, 64, 64, true, 2e-6);
    expect_oracle(3, 7, 16, 16, true, 2e-6);
}

TEST_CASE("causal with more queries than keys: the first n_q - n_k rows see nothing and are 0", "[shapes]") {
    for (auto [n_q, n_k] : {std::pair<std::size_t, std::size_t>{3, 1}, {70, 5}, {100, 64}, {130, 129}}) {
        expect_oracle(n_q, n_k, 32, 32, true, 2e-6);
        const matrix Q = random_matrix(n_q, 32, 1), K = random_matrix(n_k, 32, 2), V = random_matrix(n_k, 32, 3);
        for (const auto& k : kernels()) {
            INFO(k.name << ": n_q " << n_q << ", n_k " << n_k);
            const matrix O = k.run(Q, K, V, true);
            for (std::size_t i = 0; i < n_q - n_k; ++i)
                for (std::size_t c = 0; c < 32; ++c) CHECK(O(i, c) == 0.0f);
        }
    }
}

TEST_CASE("every head size: 32 to 256, odd ones, and d_k ≠ d_v, causal or not", "[shapes]") {
    for (std::size_t d : {32, 64, 80, 96, 128, 256, 59, 111})
        for (bool causal : {false, true}) {
            expect_oracle(77, 77, d, d, causal, 2e-6);
            expect_oracle(33, 150, d, d, causal, 2e-6);
        }
    for (auto [d_k, d_v] :
         {std::pair<std::size_t, std::size_t>{64, 128}, {128, 64}, {59, 111}, {111, 59}, {256, 32}, {1, 80}, {96, 1}})
        for (bool causal : {false, true}) {
            expect_oracle(70, 70, d_k, d_v, causal, 2e-6);
            expect_oracle(5, 130, d_k, d_v, causal, 2e-6);
            expect_oracle(130, 70, d_k, d_v, causal, 2e-6);
        }
}

TEST_CASE("sliding windows when n_q ≠ n_k: v4_window and the reference match the oracle", "[shapes]") {
    for (auto [n_q, n_k] : {std::pair<std::size_t, std::size_t>{1, 300}, {64, 300}, {100, 130}, {130, 100}, {70, 5}})
        for (std::size_t w : {1, 7, 64, 100})
            for (bool causal : {true, false}) {
                INFO("n_q " << n_q << ", n_k " << n_k << ", w " << w << (causal ? ", causal" : ""));
                const matrix Q = random_matrix(n_q, 40, 11), K = random_matrix(n_k, 40, 12),
                             V = random_matrix(n_k, 24, 13);
                const attn::mask M = oracle::visible(n_q, n_k, causal, w);
                const matrix64 want = oracle::attention(Q, K, V, &M);
                attn::kernels::counters count;
                CHECK_THAT(attn::kernels::v4_window(Q, K, V, w, causal, 1, &count), AllClose(want, 2e-6, 1e-5));
                CHECK_THAT(attn::window_attention(Q, K, V, w, causal), AllClose(want, 2e-6, 1e-5));
                CHECK(count.flops == 2 * attn::visible_pairs(n_q, n_k, causal, w) * (40 + 24));
            }
}

TEST_CASE("the tiled kernel visits only the key blocks a query block may see", "[shapes]") {
    // One query (decoding) against 1000 keys sees all 16 blocks; 64 queries at the end of 1000
    // keys, causal, see them all too; with a window of 100 they see only the last 3 blocks.
    const matrix K = random_matrix(1000, 16, 2), V = random_matrix(1000, 16, 3);
    auto tiles = [&](std::size_t n_q, bool causal, std::size_t w) {
        attn::kernels::counters count;
        const matrix Q = random_matrix(n_q, 16, 1);
        if (w)
            attn::kernels::v4_window(Q, K, V, w, causal, 1, &count);
        else
            attn::kernels::v4_simd(Q, K, V, causal, 1, &count);
        return count.tiles;
    };
    CHECK(tiles(1, true, 0) == 16);
    CHECK(tiles(64, true, 0) == 16);
    CHECK(tiles(64, true, 100) == 3);  // keys 837..999: blocks 13, 14, 15
    CHECK(tiles(1, true, 10) == 1);
    CHECK(tiles(128, true, 0) == 15 + 16);  // query blocks at positions 872..935 (keys 0..935) and 936..999
}

TEST_CASE("the backward pass with causal n_q ≠ n_k: the same gradients plain and tiled, and by finite differences",
          "[shapes]") {
    using attn::tensor2;
    auto to64 = [](const matrix& m) { return tensor2<double>(oracle::to64(m)); };
    auto max_diff = [](const tensor2<double>& a, const tensor2<double>& b) {
        double worst = 0;
        for (std::size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::abs(a.data()[k] - b.data()[k]));
        return worst;
    };
    for (auto [n_q, n_k] : {std::pair<std::size_t, std::size_t>{3, 7}, {7, 3}, {1, 5}}) {
        INFO("n_q " << n_q << ", n_k " << n_k);
        const tensor2<double> Q = to64(random_matrix(n_q, 4, 21)), K = to64(random_matrix(n_k, 4, 22)),
                              V = to64(random_matrix(n_k, 3, 23)), dO = to64(random_matrix(n_q, 3, 24));
        const auto f = attn::attention_forward(Q, K, V, true);
        const auto g = attn::attention_backward(Q, K, V, dO, true);
        const auto t = attn::attention_backward_tiled(Q, K, V, f.O, f.lse, dO, 2, 2, true);
        CHECK(max_diff(t.dQ, g.dQ) < 1e-12);
        CHECK(max_diff(t.dK, g.dK) < 1e-12);
        CHECK(max_diff(t.dV, g.dV) < 1e-12);
        for (std::size_t i = 0; i < n_k; ++i)
            for (std::size_t j = 0; j < 4; ++j)
                CHECK(std::abs(attn::finite_difference(Q, K, V, dO, attn::grad_of::K, i, j, 1e-5, true) - g.dK(i, j)) <
                      1e-8);
        for (std::size_t i = 0; i < n_q; ++i) {
            const bool blind = attn::visible_keys(i, n_q, n_k, true).size() == 0;
            for (std::size_t x = 0; x < 3; ++x) CHECK((blind ? f.O(i, x) == 0 : std::isfinite(f.O(i, x))));
        }
    }
}
