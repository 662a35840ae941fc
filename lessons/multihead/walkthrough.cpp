// lessons/multihead/walkthrough.cpp — `attnlab lesson 5`: two heads over "she read the book", their separate
// attention maps, the concatenation and W_o, the proof that one head is lesson
// 03's attention, and what heads cost. The README quotes this verbatim.
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::multihead {

void walkthrough(std::ostream& out) {
    const example ex = fixed_example();
    const auto& t = ex.tokens;
    out << "Step 1. Four tokens with one-hot embeddings, d_model = 4; two heads of d_k = d_v = 2:\n"
        << attn::format_matrix(ex.X, t);
    const attn::matrix Q = attn::project(ex.X, ex.w.W_q), K = attn::project(ex.X, ex.w.W_k);
    out << "\nStep 2. Project once: Q = X·W_q and K = X·W_k are (4, 4) = (n, h·d_k).\n"
        << "Columns 0-1 belong to head 0, columns 2-3 to head 1:\n"
        << "Q\n"
        << attn::format_matrix(Q, t) << "K\n"
        << attn::format_matrix(K, t);

    const attn::multihead_steps m = attn::multihead_explained(ex.X, ex.X, ex.w, ex.heads);
    for (std::size_t h = 0; h < ex.heads; ++h)
        out << "\nStep 3." << h + 1 << " Head " << h << " attends in its own columns. Its weights P_" << h << ":\n"
            << attn::format_matrix(m.heads[h].P, t, t, 3);
    auto top = [&](std::size_t h, std::size_t i) { return t[attn::argmax_row(m.heads[h].P, i)]; };
    out << "\nThe heads disagree. Where each token looks hardest:\n          head 0   head 1\n";
    for (std::size_t i = 0; i < t.size(); ++i) {
        out << attn::format("  %-6s  %-7s  %s\n", t[i].c_str(), top(0, i).c_str(), top(1, i).c_str());
    }

    out << "\nStep 4. Concatenate the head outputs, (4, 2) each, into (4, 4), then mix with W_o (= I here):\n"
        << attn::format_matrix(m.O, t, {}, 3);

    // One head with W_o = I is exactly lesson 03.
    attn::mha_weights one = ex.w;
    const attn::matrix single = attn::attention(Q, K, attn::project(ex.X, ex.w.W_v));
    const attn::matrix mh1 = attn::multihead_attention(ex.X, ex.X, one, 1);
    const double diff = attn::max_abs_diff(single, mh1);
    out << "\nStep 5. With h = 1 and W_o = I, multi-head attention is lesson 03's attention:\n"
        << "  max |multihead(h = 1) - attention| = " << attn::format_number(diff) << "\n";

    out << "\nStep 6. What heads cost, for n = 1024 tokens and d_model = 512 (d_k = d_v = d_model / h):\n"
        << "     h   parameters   matmul FLOPs     exps   scores held\n";
    for (std::size_t h : {1u, 8u, 64u}) {
        const attn::mha_cost c = attn::multihead_cost(1024, 1024, 512, h, 512 / h, 512 / h, 512);
        out << attn::format("  %4zu   %10s   %12s   %6s   %11s\n", h, attn::format_count(c.params).c_str(),
                            attn::format_count(c.flops).c_str(), attn::format_count(c.exps).c_str(),
                            attn::format_count(c.score_floats).c_str());
    }
    out << "  Parameters and matrix-product FLOPs do not depend on h; the exps and the weights held, h·n², do.\n";
}

}  // namespace lessons::multihead
