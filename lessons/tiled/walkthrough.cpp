// lessons/tiled/walkthrough.cpp — the walkthrough of lesson 08.
//
// `attnlab lesson 8`: the tile schedule, causal skipping, the memory a tiled
// kernel holds against the naive one, and all four kernel versions agreeing.
// The README quotes this output verbatim (tiled.readme), so nothing here
// depends on the CPU (timings and the SIMD width live in docs/performance.md).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::tiled {

void walkthrough(std::ostream& out) {
    const std::size_t n = 10, Br = 4, Bc = 4;
    const attn::matrix Q = attn::wave_matrix(n, 4, 1), K = attn::wave_matrix(n, 4, 2), V = attn::wave_matrix(n, 4, 3);
    std::vector<attn::tile_visit> trace;
    attn::tiled_attention(Q, K, V, Br, Bc, true, &trace);
    out << "Step 1. n = 10 tokens in blocks of Br = Bc = 4 (the last block has 2). The causal schedule,\n"
        << "query blocks down, key blocks across (# computed, / computed with the diagonal masked, . skipped):\n";
    std::size_t shown = 0;
    for (const auto& t : trace) {
        if (t.k0 == 0) out << "  queries " << t.q0 << "-" << t.q1 - 1 << " ";
        out << "  " << (t.skipped ? '.' : t.masked ? '/' : '#');
        if (t.k1 == n) out << "\n";
        shown += !t.skipped;
    }
    out << "  " << shown << " of " << trace.size() << " tiles computed.\n";

    const attn::mask M = attn::causal_mask(n);
    const attn::matrix naive = attn::masked_attention(Q, K, V, M);
    const attn::matrix tiled = attn::tiled_attention(Q, K, V, Br, Bc, true);
    const double diff = attn::max_abs_diff(naive, tiled);
    out << "\nStep 2. Same result as lesson 05's masked attention: max |difference| "
        << (diff <= 1e-6 ? "<= 1e-6" : "> 1e-6 (a bug)") << ".\n";

    out << "\nStep 3. Memory beyond Q, K, V and O, at d = 64 with 64×64 tiles:\n"
        << "       n      naive (n² scores)   tiled (one tile + m, l, O_i)\n";
    for (std::size_t nn : {1024u, 8192u, 65536u}) {
        out << attn::format("  %6zu   %18s   %s\n", nn,
                            attn::format_bytes(attn::attention_cost_model(nn, nn, 64, 64, false).score_bytes).c_str(),
                            attn::format_bytes(attn::tiled_extra_bytes(64, 64, 64)).c_str());
    }

    out << "\nStep 4. Four kernels, one input (n = 257, d = 64, causal), against lesson 05's masked attention:\n";
    const std::size_t m = 257;
    const inputs in = example_inputs(m, 64);
    const attn::matrix ref = attn::masked_attention(in.Q, in.K, in.V, attn::causal_mask(m));
    attn::kernels::run_options o;
    o.causal = true;
    for (const auto& k : attn::kernels::registry()) {
        if (std::string(k.name) == "reference") continue;
        const double e = attn::max_abs_diff(k.compute(in.Q, in.K, in.V, o), ref);
        char name[16];
        std::snprintf(name, sizeof name, "%-9s", k.version);
        out << "  " << name << "  max |O - reference| " << (e <= 1e-5 ? "<= 1e-5" : "> 1e-5 (a bug)") << "\n";
    }
}

}  // namespace lessons::tiled
