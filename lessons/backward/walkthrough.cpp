// lessons/backward/walkthrough.cpp — the walkthrough of lesson 14.
//
// `attnlab lesson 14`: the gradients of a small attention call, each checked
// against a finite difference; how the step h trades truncation for rounding
// in float32 and float64; and what the tiled backward saves. The README quotes
// this output verbatim (backward.readme).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::backward {

namespace {
attn::matrix to32(const attn::matrix64& m) { return xt::cast<float>(m); }
}  // namespace

void walkthrough(std::ostream& out) {
    const example e = fixed_example();
    const auto f = attn::attention_forward(e.Q, e.K, e.V);
    const auto g = attn::attention_backward(e.Q, e.K, e.V, e.dO);
    out << "Step 1. Forward, n = 4, d = 3 (float64): the weights P.\n" << attn::format_matrix(to32(f.P));
    out << "\nStep 2. Backward, given dO: the gradients of L = Σ O ∘ dO.\n"
        << "  dQ\n"
        << attn::format_matrix(to32(g.dQ)) << "  dK\n"
        << attn::format_matrix(to32(g.dK)) << "  dV = Pᵀ·dO\n"
        << attn::format_matrix(to32(g.dV));

    out << "\nStep 3. Check by finite differences, (L(x + h) - L(x - h)) / 2h with h = 1e-5:\n"
        << "  element    backward        finite difference   |difference|\n";
    const std::pair<attn::grad_of, const char*> which[] = {
        {attn::grad_of::Q, "dQ"}, {attn::grad_of::K, "dK"}, {attn::grad_of::V, "dV"}};
    for (const auto& [w, name] : which) {
        const attn::matrix64& G = w == attn::grad_of::Q ? g.dQ : w == attn::grad_of::K ? g.dK : g.dV;
        for (auto [i, j] : {std::pair<std::size_t, std::size_t>{0, 0}, {2, 1}}) {
            const double fd = attn::finite_difference(e.Q, e.K, e.V, e.dO, w, i, j, 1e-5);
            out << attn::format("  %s(%zu, %zu)   %+.10f   %+.10f       %.1e\n", name, i, j, G(i, j), fd,
                                std::abs(G(i, j) - fd));
        }
    }

    out << "\nStep 4. The step h, for dQ(0, 0): too large and the slope is wrong, too small and rounding wins.\n"
        << "        h   error in float32   error in float64\n";
    const attn::matrix Qf = to32(e.Q), Kf = to32(e.K), Vf = to32(e.V), dOf = to32(e.dO);
    const float g32 = attn::attention_backward<float>(Qf, Kf, Vf, dOf).dQ(0, 0);
    for (int p = 1; p <= 9; p += 2) {
        const double h = std::pow(10.0, -p);
        const double e32 = std::abs(
            double(attn::finite_difference<float>(Qf, Kf, Vf, dOf, attn::grad_of::Q, 0, 0, float(h))) - double(g32));
        const double e64 =
            std::abs(attn::finite_difference(e.Q, e.K, e.V, e.dO, attn::grad_of::Q, 0, 0, h) - g.dQ(0, 0));
        out << attn::format("  %7.0e   %16.1e   %16.1e\n", h, e32, e64);
    }

    out << "\nStep 5. Memory beyond the inputs and gradients, n = 4096 (float32):\n"
        << "  plain backward: P and dP, 2·n² floats = " << attn::format_bytes(2.0 * 4096 * 4096 * 4) << "\n"
        << "  tiled backward: one 64×64 tile, plus L and D per row = " << attn::format_bytes((64.0 * 64 + 2 * 4096) * 4)
        << "\n";
    attn::rng r(5);
    const attn::matrix64 Q = attn::normal_matrix<double>(300, 16, r), K = attn::normal_matrix<double>(300, 16, r),
                         V = attn::normal_matrix<double>(300, 16, r), dO = attn::normal_matrix<double>(300, 16, r);
    const auto fw = attn::attention_forward(Q, K, V, true);
    const auto plain = attn::attention_backward(Q, K, V, dO, true);
    const auto tiled = attn::attention_backward_tiled(Q, K, V, fw.O, fw.lse, dO, 64, 64, true);
    const double d = std::max({attn::max_abs_diff(plain.dQ, tiled.dQ), attn::max_abs_diff(plain.dK, tiled.dK),
                               attn::max_abs_diff(plain.dV, tiled.dV)});
    out << "  n = 300, causal, float64: max |tiled - plain| over dQ, dK, dV = " << attn::format_number(d, 2) << "\n";
}

}  // namespace lessons::backward
