// lessons/tiled/walkthrough.cpp — the walkthrough of lesson 09.
//
// `attnlab lesson 9`: the tile schedule, causal skipping, the memory a tiled
// kernel holds against the naive one, and all four kernel versions agreeing.
// The README quotes this output verbatim (tiled.readme), so nothing here
// depends on the CPU (timings and the SIMD width live in docs/performance.md).
#include <algorithm>
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

    out << "\nStep 2. Two tiles by hand: n = 4, Br = Bc = 2, d = 1, not causal. q = (1, 0.5, -1, 2),\n"
        << "k = (0, 1, 2, 3), v = (1, 2, 3, 4); a score is q·k (√1 = 1). Each row's m, l and O_i after each tile:\n";
    const two_tiles w = two_tile_example();
    std::size_t visit = 0;
    for (const auto& t : w.visits) {
        out << "  Q rows " << t.q0 << "-" << t.q1 - 1 << " x K rows " << t.k0 << "-" << t.k1 - 1 << ":\n";
        for (std::size_t r = 0; r < t.q1 - t.q0; ++r, ++visit) {
            const auto& st = w.after[visit];
            out << attn::format("    row %zu  scores %-12s  rescale %-7s  m = %-4s  l = %-8s  O_i = %s\n", t.q0 + r,
                                attn::format_row(st.s, 3).c_str(), attn::format_number(st.rescale, 4).c_str(),
                                attn::format_number(st.m, 4).c_str(), attn::format_number(st.l, 5).c_str(),
                                attn::format_number(st.o(0), 5).c_str());
        }
    }
    out << "  finalize, O = O_i / l:  " << attn::format_row(w.O, 4) << "\n"
        << "  lesson 03's attention: " << attn::format_row(w.reference, 4) << "   max |difference| "
        << attn::within(attn::max_abs_diff(w.O, w.reference), -6) << "\n"
        << "  The first tile's rescale is 0: there was nothing to rescale. Rows 0, 1 and 3 rescale in their\n"
        << "  second tile (a larger score arrived); row 2's maximum was in its first tile, so the second only adds.\n";

    out << "\nStep 3. Two loop orders, the same answer (n = 4, blocks of 2):\n"
        << "  FlashAttention-2 (Dao 2023): query blocks outside, one normalisation at the end\n    ";
    for (const auto& t : w.visits) out << " (Q" << t.q0 / 2 << ", K" << t.k0 / 2 << ")";
    out << "\n  FlashAttention (Dao et al. 2022): key blocks outside, O renormalised at every visit\n    ";
    for (const auto& t : w.visits_fa1) out << " (Q" << t.q0 / 2 << ", K" << t.k0 / 2 << ")";
    out << "\n  max |FA-1 - FA-2| " << attn::within(attn::max_abs_diff(w.O, w.O_fa1), -6)
        << ". FA-1 reads and writes each row's O, m and l in main memory at every visit\n"
        << "  (" << w.visits_fa1.size() / 2
        << " times per row here, ceil(n_k / Bc) in general); FA-2 keeps them with the "
        << "query block and\n  writes O once.\n";

    const attn::mask M = attn::causal_mask(n);
    const attn::matrix naive = attn::masked_attention(Q, K, V, M);
    const attn::matrix tiled = attn::tiled_attention(Q, K, V, Br, Bc, true);
    const double diff = attn::max_abs_diff(naive, tiled);
    out << "\nStep 4. Step 1's causal run gives lesson 06's masked attention: max |difference| "
        << attn::within(diff, -6) << ".\n";

    out << "\nStep 5. Memory beyond Q, K, V and O, at d = 64 with 64×64 tiles:\n"
        << "       n      naive (n² scores)   tiled (one tile + m, l, O_i)\n";
    for (std::size_t nn : {1024u, 8192u, 65536u}) {
        out << attn::format("  %6zu   %18s   %s\n", nn,
                            attn::format_bytes(attn::attention_cost_model(nn, nn, 64, 64, false).score_bytes).c_str(),
                            attn::format_bytes(attn::tiled_extra_bytes(64, 64, 64)).c_str());
    }

    out << "\nStep 6. From a CPU's caches to a GPU's SRAM. FlashAttention picks B_c = ceil(M / 4d) and\n"
        << "B_r = min(B_c, d) for on-chip memory of M floats, and reads and writes main memory\n"
        << "Θ(N²d²/M) elements where standard attention needs Θ(Nd + N²) (Dao et al. 2022, Theorem 2).\n"
        << "At N = 8192, d = 64, counting elements without the constants:\n"
        << "  on-chip memory                         M (floats)   B_c    B_r   standard     tiled    ratio\n";
    for (const auto& [what, bytes] : reference_memories()) {
        const attn::flash_io f = attn::flash_io_model(bytes, 8192, 64);
        out << attn::format("  %-37s %10.0f %6.0f %6.0f   %8s  %8s  %6.1fx\n", what.c_str(), f.M_floats, f.Bc, f.Br,
                            attn::format_count(f.standard).c_str(), attn::format_count(f.tiled).c_str(),
                            f.standard / f.tiled);
    }
    out << "  The larger the on-chip memory, the fewer trips to main memory; the page computes it for yours.\n";

    out << "\nStep 7. Four kernels, one input (n = 257, d = 64, causal), against lesson 06's masked attention:\n";
    const std::size_t m = 257;
    const inputs in = example_inputs(m, 64);
    const attn::matrix ref = attn::masked_attention(in.Q, in.K, in.V, attn::causal_mask(m));
    attn::kernels::run_options o;
    o.causal = true;
    // The registry lists the kernels in the order the course builds them: those up to this lesson's own.
    const auto& all = attn::kernels::registry();
    const auto past =
        std::find_if(all.rbegin(), all.rend(), [](const auto& k) { return std::string(k.lesson) == "tiled"; });
    for (auto it = all.begin(); it != past.base(); ++it) {
        const auto& k = *it;
        if (std::string(k.name) == "reference") continue;
        const double e = attn::max_abs_diff(k.compute(in.Q, in.K, in.V, o), ref);
        char name[16];
        std::snprintf(name, sizeof name, "%-9s", k.version);
        out << "  " << name << "  max |O - reference| " << attn::within(e, -5) << "\n";
    }
    attn::kernels::counters co, ct;
    attn::kernels::v2_online(in.Q, in.K, in.V, true, &co);
    attn::kernels::v3_tiled(in.Q, in.K, in.V, true, 1, &ct);
    out << "  The online form's price, counted: v2_online rescales its output " << attn::format_count(co.rescale_mults)
        << " times (d_v per key),\n  v3_tiled " << attn::format_count(ct.rescale_mults)
        << " times (d_v per row per tile, where the maximum moved); exps " << attn::format_count(co.exps) << " against "
        << attn::format_count(ct.exps) << ".\n";
}

}  // namespace lessons::tiled
