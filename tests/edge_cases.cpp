// tests/edge_cases.cpp — the numerical edge cases, for every forward kernel.
//
// Each case is one that breaks a careless attention implementation: a row with
// every key masked, one token, one feature, lengths that are not a multiple of
// any block size, logits of ±1e4, scores that are all equal, weights that
// underflow float32's exp. Every kernel must give the float64 oracle's answer
// (or the library's stated definition) with no NaN. Runs natively and in wasm.
// docs/reliability.md states the same cases and what the library does.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/kernels/naive.hpp>
#include <attn/kernels/online.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/linear.hpp>
#include <attn/mask.hpp>
#include <attn/online.hpp>
#include <attn/softmax.hpp>
#include <attn/tiled.hpp>
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

std::vector<testing::forward_kernel> kernels() { return testing::forward_kernels(7, 5); }

bool all_finite(const matrix& M) {
    for (float x : M)
        if (!std::isfinite(x)) return false;
    return true;
}

/// Runs every kernel, unmasked and causal (bottom-right when n_q ≠ n_k), against the float64 oracle.
void expect_all_kernels(const matrix& Q, const matrix& K, const matrix& V, double atol, double rtol) {
    for (bool causal : {false, true}) {
        const attn::mask M = oracle::visible(Q.shape(0), K.shape(0), true);
        const matrix64 want = oracle::attention(Q, K, V, causal ? &M : nullptr);
        for (const auto& k : kernels()) {
            INFO(k.name << (causal ? ", causal" : "") << ": Q " << attn::shape_str(Q.shape()) << ", K "
                        << attn::shape_str(K.shape()) << ", V " << attn::shape_str(V.shape()));
            const matrix O = k.run(Q, K, V, causal);
            CHECK(all_finite(O));
            CHECK_THAT(O, AllClose(want, atol, rtol));
        }
    }
}

}  // namespace

TEST_CASE("n = 1: one key gets all the weight, so O is V's row exactly", "[edge]") {
    const matrix Q = random_matrix(1, 5, 1), K = random_matrix(1, 5, 2), V = random_matrix(1, 3, 3);
    for (const auto& k : kernels())
        for (bool causal : {false, true}) {
            INFO(k.name << (causal ? ", causal" : ""));
            CHECK((k.run(Q, K, V, causal) == V));
        }
}

TEST_CASE("d = 1: a single feature per token", "[edge]") {
    expect_all_kernels(random_matrix(9, 1, 4), random_matrix(9, 1, 5), random_matrix(9, 1, 6), 1e-6, 1e-5);
}

TEST_CASE("lengths and widths that are not a multiple of any block size", "[edge]") {
    // The tiled kernels use 64×64 blocks and 4·W-wide registers; tiled_attention here 7×5.
    for (std::size_t n : {2, 13, 63, 65, 130})
        for (std::size_t d : {3, 17, 65}) {
            const std::uint32_t seed = std::uint32_t(n * 100 + d);
            expect_all_kernels(random_matrix(n, d, seed), random_matrix(n, d, seed + 1), random_matrix(n, 7, seed + 2),
                               2e-6, 1e-5);
        }
    // n_q ≠ n_k, both ragged
    expect_all_kernels(random_matrix(67, 9, 7), random_matrix(129, 9, 8), random_matrix(129, 5, 9), 2e-6, 1e-5);
}

TEST_CASE("logits of ±1e4: softmax saturates to one-hot without overflow", "[edge]") {
    // Scores q·k/√d of magnitude ~1e4: exp() of them overflows float32 (beyond 88.7)
    // unless the row maximum is subtracted first.
    matrix Q = random_matrix(33, 4, 10) * 100.0f, K = random_matrix(33, 4, 11) * 100.0f;
    // A float32 score near 1e4 is itself rounded by up to 1e4·2⁻²⁴ ≈ 6e-4, and when
    // two top scores are that close their weights move by as much: the tolerance is
    // the problem's conditioning in float32, not the kernels' slack (they differ
    // from the float64 oracle by up to 7e-5 here).
    const matrix V = random_matrix(33, 6, 12);
    expect_all_kernels(Q, K, V, 1e-3, 0);
    // And the other sign: every score around -1e4. Subtracting the max keeps the largest at exp(0).
    matrix Kneg = xt::abs(K) * -1.0f, Qpos = xt::abs(Q);
    expect_all_kernels(Qpos, Kneg, V, 1e-3, 0);
}

TEST_CASE("all-equal scores: uniform weights, O is the mean of V's rows", "[edge]") {
    const matrix Q = xt::zeros<float>({5, 8}), K = random_matrix(70, 8, 13), V = random_matrix(70, 3, 14);
    const matrix64 mean = xt::broadcast(xt::mean(oracle::to64(V), {0}), {5, 3});
    for (const auto& k : kernels()) {
        INFO(k.name);
        CHECK_THAT(k.run(Q, K, V, false), AllClose(mean, 1e-6, 1e-5));
    }
}

TEST_CASE("float32 underflow in exp: far-behind keys get weight 0 (or a denormal), never NaN", "[edge]") {
    // Key 0 scores 0; the others score -50 .. -150 below it. exp(-88) and smaller
    // are denormal in float32 and exp(-104) and smaller are 0: the weights must
    // still sum to 1 and O must equal V's first row to rounding.
    const std::size_t n = 101, d = 2;
    matrix Q = xt::zeros<float>({std::size_t(1), d}), K = xt::zeros<float>({n, d});
    Q(0, 0) = 1;
    const float root = std::sqrt(float(d));
    for (std::size_t j = 1; j < n; ++j) K(j, 0) = -(50.0f + float(j)) * root;  // score = -(50 + j)
    const matrix V = random_matrix(n, 4, 15);
    const matrix64 want = oracle::attention(Q, K, V);
    for (const auto& k : kernels()) {
        INFO(k.name);
        const matrix O = k.run(Q, K, V, false);
        CHECK(all_finite(O));
        CHECK_THAT(O, AllClose(want, 1e-6, 1e-6));
    }
    // The softmax itself: an exponent below -104 underflows to exactly 0.
    attn::vector z = xt::zeros<float>({3});
    z(1) = -200;
    z(2) = -90;  // exp(-90) ≈ 8e-40: a float32 denormal
    const attn::vector p = attn::softmax(z);
    CHECK(p(1) == 0.0f);
    CHECK(p(2) > 0.0f);
    CHECK(p(2) < std::numeric_limits<float>::min());
    CHECK(p(0) == 1.0f);
    CHECK(attn::online_softmax(z)(1) == 0.0f);
}

TEST_CASE("fully masked rows: weights and output are exactly 0, by definition", "[edge]") {
    const matrix Q = random_matrix(4, 3, 16), K = random_matrix(5, 3, 17), V = random_matrix(5, 2, 18);
    attn::mask M = xt::ones<bool>({4, 5});
    for (std::size_t j = 0; j < 5; ++j) M(1, j) = false;
    const attn::attention_steps s = attn::masked_attention_explained(Q, K, V, M);
    for (std::size_t j = 0; j < 5; ++j) CHECK(s.P(1, j) == 0.0f);
    for (std::size_t c = 0; c < 2; ++c) CHECK(s.O(1, c) == 0.0f);
    // Rows that keep at least one key are the oracle's.
    CHECK_THAT(s.O, AllClose(oracle::attention(Q, K, V, &M), 1e-6, 1e-5));
    // A whole mask of false: every row 0, nothing NaN.
    const attn::mask none = xt::zeros<bool>({4, 5});
    CHECK((attn::masked_attention(Q, K, V, none) == matrix(xt::zeros<float>({4, 2}))));
    // The softmaxes agree on an all -inf row.
    const attn::vector z = xt::full_like(attn::vector(xt::zeros<float>({6})), -std::numeric_limits<float>::infinity());
    CHECK((attn::softmax(z) == attn::vector(xt::zeros<float>({6}))));
    CHECK((attn::online_softmax(z) == attn::vector(xt::zeros<float>({6}))));
}

TEST_CASE("a finite -1e9 fill instead of -inf: a fully masked row averages what it should not see", "[edge]") {
    // Why this library masks with -inf (lesson 06): with a finite fill a fully
    // masked row's scores are all equal, so its weights are uniform, not zero.
    const matrix Q = random_matrix(2, 3, 19), K = random_matrix(4, 3, 20), V = random_matrix(4, 2, 21);
    attn::mask M = xt::ones<bool>({2, 4});
    for (std::size_t j = 0; j < 4; ++j) M(0, j) = false;
    const attn::attention_steps s = attn::masked_attention_explained(Q, K, V, M, -1e9f);
    for (std::size_t j = 0; j < 4; ++j) CHECK(s.P(0, j) == Approx(0.25));
}

TEST_CASE("sliding windows of every width at ragged lengths match the masked oracle", "[edge]") {
    for (std::size_t n : {1, 5, 64, 65, 129})
        for (std::size_t w : {std::size_t(1), std::size_t(3), std::size_t(64), std::size_t(65), n + 10})
            for (bool causal : {true, false}) {
                const matrix Q = random_matrix(n, 6, 22), K = random_matrix(n, 6, 23), V = random_matrix(n, 3, 24);
                const attn::mask M = attn::window_mask(n, w, causal);
                INFO("n " << n << ", w " << w << (causal ? ", causal" : ""));
                const matrix O = attn::kernels::v4_window(Q, K, V, w, causal);
                CHECK(all_finite(O));
                CHECK_THAT(O, AllClose(oracle::attention(Q, K, V, &M), 2e-6, 1e-5));
            }
}

TEST_CASE("empty inputs are shape errors, not crashes", "[edge]") {
    const matrix empty = xt::zeros<float>({0, 4}), Q = random_matrix(3, 4, 25);
    for (const auto& k : kernels()) {
        INFO(k.name);
        CHECK_THROWS_AS(k.run(empty, Q, Q, false), attn::shape_error);
        CHECK_THROWS_AS(k.run(Q, empty, empty, false), std::invalid_argument);
    }
}

TEST_CASE("NaN, inf and overflowing inputs: every kernel refuses with the same value_error", "[edge]") {
    // Without the check, v1_naive returns NaN and v4_simd (whose exp() clamps) zeros:
    // two different wrong answers to a question that has none in float32.
    const matrix Q = random_matrix(70, 5, 26), K = random_matrix(70, 5, 27), V = random_matrix(70, 3, 28);
    auto refused = [&](const matrix& q, const matrix& k, const matrix& v, const std::string& message) {
        for (const auto& kern : kernels()) {
            if (kern.name.rfind("v", 0) != 0) continue;  // the kernels; the reference propagates NaN as IEEE does
            INFO(kern.name);
            CHECK_THROWS_WITH(kern.run(q, k, v, false), Catch::Contains(message));
            CHECK_THROWS_AS(kern.run(q, k, v, false), attn::value_error);
        }
        CHECK_THROWS_WITH(attn::kernels::v4_window(q, k, v, 3, true), Catch::Contains(message));
    };
    matrix bad = Q;
    bad(4, 2) = std::numeric_limits<float>::quiet_NaN();
    refused(bad, K, V, "Q(4, 2) is nan");
    bad = V;
    bad(69, 0) = -std::numeric_limits<float>::infinity();
    refused(Q, K, bad, "V(69, 0) is -inf");
    refused(Q * 1e20f, K * 1e20f, V, "scores could overflow float32");
    refused(Q, K, V * 1e37f, "the output sums could overflow float32");
    // Just inside the bound all kernels compute, and agree with the oracle.
    expect_all_kernels(Q * 1e18f, K * 1e18f, V * 1e35f, 1e29, 1e-4);
}

TEST_CASE("require_finite names the entry where float32 overflowed, and lets a mask's −inf through when asked",
          "[edge]") {
    attn::matrix M = {{1, 2}, {3, 4}};
    CHECK_NOTHROW(attn::require_finite("compute", "S", M));
    M(1, 0) = std::numeric_limits<float>::infinity();  // what 3e38 · 10 gives
    CHECK_THROWS_WITH(attn::require_finite("compute", "S", M),
                      Catch::StartsWith("compute: S(1, 0) came out inf: float32 overflowed"));
    M(1, 0) = -std::numeric_limits<float>::infinity();
    CHECK_NOTHROW(attn::require_finite("compute", "S", M, true));
    CHECK_THROWS_WITH(attn::require_finite("", "S", M), Catch::StartsWith("S(1, 0) came out -inf"));
    M(0, 1) = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_AS(attn::require_finite("compute", "P", M, true), attn::value_error);
    CHECK_THROWS_WITH(attn::require_finite("compute", "P", M, true), Catch::Contains("P(0, 1) came out NaN"));
}

TEST_CASE("linear attention refuses a state S = Σ φ(k)vᵀ that would overflow, however small φ(q) is",
          "[edge][linear]") {
    // Found by the fuzzer (2026-12-07): q = −5 makes φ(q) = e^−5, which kept the old bound
    // n_k·Σφ(q)·max φ(k)·max|v| under float32's maximum while S itself, 1e20·1e20, overflowed.
    const matrix Q = {{-4.99722f}}, K = {{1e20f}}, V = {{1e20f}};
    for (bool causal : {false, true}) {
        INFO("causal " << causal);
        CHECK_THROWS_WITH(causal ? attn::causal_linear_attention(Q, K, V) : attn::linear_attention(Q, K, V),
                          Catch::Contains("the sums could overflow float32"));
    }
    // Just inside: S = 1e18·1e18 fits, and the output is V's row.
    const matrix O = attn::linear_attention(Q, K * 1e-2f, V * 1e-2f);
    CHECK(std::isfinite(O(0, 0)));
    CHECK(O(0, 0) == Approx(1e18).epsilon(1e-5));
}
