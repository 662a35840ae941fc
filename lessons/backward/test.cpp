// Lesson 14 — the backward pass of attention, against finite differences in float64.
// Runs against attn:: (native and wasm) and against lessons/13/exercise.cpp.
#include <array>
#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/random.hpp"

using attn::matrix64;
using testing::AllClose;

namespace {
matrix64 random64(std::size_t rows, std::size_t cols, std::uint64_t seed) {
    attn::rng g(seed);
    return attn::normal_matrix<double>(rows, cols, g);
}

/// Every element of dX against (L(x + h) − L(x − h)) / 2h.
void check_all(const matrix64& Q, const matrix64& K, const matrix64& V, const matrix64& dO, bool causal) {
    const auto g = impl::attention_backward(Q, K, V, dO, causal);
    const std::pair<attn::grad_of, const matrix64*> all[] = {
        {attn::grad_of::Q, &g.dQ}, {attn::grad_of::K, &g.dK}, {attn::grad_of::V, &g.dV}};
    for (const auto& [which, grad] : all)
        for (std::size_t i = 0; i < grad->shape(0); ++i)
            for (std::size_t j = 0; j < grad->shape(1); ++j) {
                const double fd = attn::finite_difference(Q, K, V, dO, which, i, j, 1e-5, causal);
                INFO("d"
                     << "QKV"[int(which)] << "(" << i << ", " << j << ")" << (causal ? ", causal" : ""));
                CHECK((*grad)(i, j) == Approx(fd).margin(1e-8).epsilon(1e-6));
            }
}
}  // namespace

TEST_CASE("softmax_backward: against finite differences of the softmax; rows of dS sum to 0", "[backward][softmax]") {
    const matrix64 S = random64(3, 5, 1), dP = random64(3, 5, 2);
    auto soft = [](const matrix64& X) {
        matrix64 P = X;
        for (std::size_t i = 0; i < X.shape(0); ++i) {
            double m = -1e300, l = 0;
            for (std::size_t j = 0; j < X.shape(1); ++j) m = std::max(m, X(i, j));
            for (std::size_t j = 0; j < X.shape(1); ++j) l += P(i, j) = std::exp(X(i, j) - m);
            for (std::size_t j = 0; j < X.shape(1); ++j) P(i, j) /= l;
        }
        return P;
    };
    const matrix64 dS = impl::softmax_backward(soft(S), dP);
    for (std::size_t i = 0; i < 3; ++i) {
        double row = 0;
        for (std::size_t j = 0; j < 5; ++j) {
            matrix64 up = S, down = S;
            up(i, j) += 1e-6, down(i, j) -= 1e-6;
            const matrix64 Pu = soft(up), Pd = soft(down);
            double fd = 0;
            for (std::size_t k = 0; k < 5; ++k) fd += (Pu(i, k) - Pd(i, k)) / 2e-6 * dP(i, k);
            CHECK(dS(i, j) == Approx(fd).margin(1e-8));
            row += dS(i, j);
        }
        CHECK(row == Approx(0).margin(1e-12));  // adding a constant to a row changes nothing
    }
    CHECK_THROWS_AS(impl::softmax_backward(S, random64(3, 4, 1)), attn::shape_error);
}

TEST_CASE("attention_backward equals finite differences, every element of dQ, dK, dV", "[backward][backward][fd]") {
    const auto e = lessons::backward::fixed_example();
    check_all(e.Q, e.K, e.V, e.dO, false);
    check_all(e.Q, e.K, e.V, e.dO, true);
    check_all(random64(1, 1, 3), random64(1, 1, 4), random64(1, 1, 5), random64(1, 1, 6), false);  // n = 1, d = 1
    check_all(random64(3, 4, 7), random64(6, 4, 8), random64(6, 2, 9), random64(3, 2, 10),
              false);  // cross: n_q ≠ n_k, d_v ≠ d_k
}

TEST_CASE("attention_backward: dV = Pᵀ·dO, and a masked key gets no gradient from the past", "[backward][backward]") {
    const auto e = lessons::backward::fixed_example();
    const auto g = impl::attention_backward(e.Q, e.K, e.V, e.dO, true);
    const matrix64 P = attn::attention_forward(e.Q, e.K, e.V, true).P;
    for (std::size_t j = 0; j < 4; ++j)
        for (std::size_t x = 0; x < 3; ++x) {
            double want = 0;
            for (std::size_t i = 0; i < 4; ++i) want += P(i, j) * e.dO(i, x);
            CHECK(g.dV(j, x) == Approx(want).margin(1e-12));
        }
    // Query 0 sees only key 0: its gradient cannot depend on keys 1..3.
    matrix64 K2 = e.K;
    for (std::size_t x = 0; x < 3; ++x) K2(3, x) += 5;
    const auto g2 = impl::attention_backward(e.Q, K2, e.V, e.dO, true);
    for (std::size_t x = 0; x < 3; ++x) CHECK(g2.dQ(0, x) == Approx(g.dQ(0, x)).margin(1e-12));
    CHECK_THROWS_AS(impl::attention_backward(e.Q, e.K, e.V, random64(4, 2, 1)), attn::shape_error);
}

TEST_CASE("the tiled backward, from O and log-sum-exp alone, equals the plain one", "[backward][tiled]") {
    for (bool causal : {false, true})
        for (std::size_t B : {1u, 3u, 16u, 64u}) {
            const matrix64 Q = random64(37, 8, 1), K = random64(37, 8, 2), V = random64(37, 5, 3),
                           dO = random64(37, 5, 4);
            const auto f = attn::attention_forward(Q, K, V, causal);
            const auto plain = attn::attention_backward(Q, K, V, dO, causal);
            const auto tiled = attn::attention_backward_tiled(Q, K, V, f.O, f.lse, dO, B, B + 1, causal);
            INFO("blocks " << B << (causal ? ", causal" : ""));
            CHECK(attn::max_abs_diff(tiled.dQ, plain.dQ) <= 1e-12);
            CHECK(attn::max_abs_diff(tiled.dK, plain.dK) <= 1e-12);
            CHECK(attn::max_abs_diff(tiled.dV, plain.dV) <= 1e-12);
        }
}

TEST_CASE("stretch: your tiled backward, from O and L alone, equals the float64 finite differences",
          "[.stretch][stretch][backward][tiled]") {
    for (bool causal : {false, true})
        for (auto [n_q, n_k, Br, Bc] : std::vector<std::array<std::size_t, 4>>{
                 {1, 1, 1, 1}, {9, 9, 2, 3}, {37, 37, 16, 17}, {5, 23, 4, 8}, {23, 5, 64, 64}}) {
            const matrix64 Q = random64(n_q, 6, 10 + n_q), K = random64(n_k, 6, 11 + n_k), V = random64(n_k, 4, 12),
                           dO = random64(n_q, 4, 13);
            const auto f = attn::attention_forward(Q, K, V, causal);
            const auto want = attn::attention_backward(Q, K, V, dO, causal);
            const auto got = impl::attention_backward_tiled(Q, K, V, f.O, f.lse, dO, Br, Bc, causal);
            INFO("n_q " << n_q << ", n_k " << n_k << ", blocks " << Br << "×" << Bc << (causal ? ", causal" : ""));
            CHECK(attn::max_abs_diff(got.dQ, want.dQ) <= 1e-10);
            CHECK(attn::max_abs_diff(got.dK, want.dK) <= 1e-10);
            CHECK(attn::max_abs_diff(got.dV, want.dV) <= 1e-10);
        }
    const matrix64 Q = random64(4, 3, 1);
    const auto f = attn::attention_forward(Q, Q, Q);
    CHECK_THROWS_AS(impl::attention_backward_tiled(Q, Q, Q, f.O, f.lse, Q, 0, 2), attn::value_error);
}

TEST_CASE("float32 gradients agree with float64 to float32 precision", "[backward][float]") {
    const matrix64 Q = random64(64, 16, 5), K = random64(64, 16, 6), V = random64(64, 16, 7), dO = random64(64, 16, 8);
    const attn::matrix Qf = xt::cast<float>(Q), Kf = xt::cast<float>(K), Vf = xt::cast<float>(V),
                       dOf = xt::cast<float>(dO);
    const auto g32 = attn::attention_backward<float>(Qf, Kf, Vf, dOf, true);
    const auto g64 = attn::attention_backward(Q, K, V, dO, true);
    CHECK_THAT(g32.dQ, AllClose(g64.dQ, 1e-5, 1e-4));
    CHECK_THAT(g32.dK, AllClose(g64.dK, 1e-5, 1e-4));
    CHECK_THAT(g32.dV, AllClose(g64.dV, 1e-5, 1e-4));
}
