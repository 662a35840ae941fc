// lessons/sparse_linear/walkthrough.cpp — `attnlab lesson sparse_linear`: five patterns and the tiles they
// leave, v4_sparse against the reference, linear attention's weights, its cost and its state, and the
// recall it loses. The README quotes this output verbatim (sparse_linear.readme).
#include <ostream>
#include <string>
#include <vector>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::sparse_linear {

void walkthrough(std::ostream& out) {
    out << "Step 1. Five patterns at n = 4096, and what each leaves the tiled kernel (64×64 tiles):\n"
        << "  pattern                         pairs kept      tiles computed   partial\n";
    struct row {
        const char* name;
        std::size_t l;
        const char* label;
    };
    for (const row& r : std::vector<row>{{"window", 256, "window, w = 256"},
                                         {"strided", 64, "strided, l = 64 (key by key)"},
                                         {"fixed", 64, "fixed, l = 64, c = 8"},
                                         {"strided-blocks", 512, "strided in blocks, 8 of 64"},
                                         {"bigbird", 64, "BigBird: 1 global, 3, 2 random"}}) {
        const attn::pattern_cost c = view(r.name, 4096, r.l).cost;
        out << attn::format("  %-30s %8.0f %5s %%   %5zu of %4zu   %5zu\n", r.label, c.pairs,
                            attn::format_number(100 * c.pairs / c.dense_pairs, 3).c_str(), c.computed, c.dense_tiles,
                            c.partial);
    }
    out << "  (the first four are causal, against the triangle's pairs and tiles; BigBird, an encoder's, against "
           "the full square)\n"
        << "  Key by key, the stride keeps few pairs but leaves a pair in every tile: nothing is skipped.\n";

    const attn::qkv in = attn::normal_qkv(512, 64, 7);
    const attn::mask M = pattern("bigbird", 512, 64);
    attn::kernels::counters c;
    const attn::matrix O = attn::kernels::v4_sparse(in.Q, in.K, in.V, M, 1, &c);
    out << "\nStep 2. v4_sparse on BigBird's pattern at n = 512, d = 64: " << c.tiles << " of "
        << attn::plan_tiles(M).tiles() << " tiles computed;\n"
        << "  max |O − masked reference| = "
        << attn::format_number(attn::max_abs_diff(O, attn::masked_attention(in.Q, in.K, in.V, M)), 2) << "\n";

    const weights_view w = weights(true);
    out << "\nStep 3. The example (8 tokens, d = 4), token t7's weights over t0..t7, causal:\n"
        << "  softmax  " << attn::format_matrix(xt::view(w.P, xt::range(7, 8), xt::all()), {}, {}, 3, "")
        << "  linear   " << attn::format_matrix(xt::view(w.A, xt::range(7, 8), xt::all()), {}, {}, 3, "")
        << "  Without the exponential the weights are flatter: the largest is "
        << attn::format_number(xt::amax(xt::row(w.A, 7))(), 3) << " against softmax's "
        << attn::format_number(xt::amax(xt::row(w.P, 7))(), 3) << ".\n";

    const cost_view k = cost(4096, 64, false);
    out << "\nStep 4. Reordered, the weights are never formed. FLOPs at n = 4096, d_k = d_v = 64, not causal:\n"
        << "  softmax attention, every one of the n² pairs:   " << attn::format_number(k.softmax_flops) << "\n"
        << "  linear attention, φ(Q)·(φ(K)ᵀV) via a 64×64 S:  " << attn::format_number(k.linear.flops) << "\n"
        << "  By FLOPs alone linear attention is cheaper from n = " << k.crossover
        << " (causal: n = " << cost(4096, 64, true).crossover << ").\n";

    const example ex = fixed_example();
    const attn::matrix C = attn::causal_linear_attention(ex.Q, ex.K, ex.V), quad = causal_formed_whole(ex);
    out << "\nStep 5. Causal, as a recurrence: S_t = S_{t−1} + φ(k_t)v_tᵀ, z_t = z_{t−1} + φ(k_t).\n"
        << "  The state is 4×4 + 4 = " << attn::linear_cost_model(8, 4, 4, true).state_floats
        << " numbers after 1 token or 8 (a KV cache would hold 2·8·4 = " << 2 * 8 * 4 << " after 8).\n"
        << "  max |recurrent − weights formed whole| = " << attn::format_number(attn::max_abs_diff(C, quad), 2) << "\n";

    out << "\nStep 6. Associative recall at d = 64: a query repeats a stored key and asks for its value.\n"
        << "    pairs   softmax   linear\n";
    for (std::size_t pairs : {8u, 64u, 512u}) {
        const attn::recall_task t = attn::make_recall_task(pairs, 64, 200, 1.0f, 5);
        out << attn::format("  %7zu   %5s %%   %5s %%\n", pairs,
                            attn::format_number(100 * attn::recall_accuracy(t, false), 3).c_str(),
                            attn::format_number(100 * attn::recall_accuracy(t, true), 3).c_str());
    }
    out << "  A fixed state of d_k × d_v numbers, and weights with no exponential, cannot single one key out.\n";
}

}  // namespace lessons::sparse_linear
