// lessons/08_tiled/demo.cpp — the native walkthrough of lesson 08.
//
// `attnlab lesson 8`: the tile schedule, causal skipping, the memory a tiled
// kernel holds against the naive one, and all four kernel versions agreeing.
// The README quotes this output verbatim (lesson08.readme), so nothing here
// depends on the CPU (timings and the SIMD width live in docs/performance.md).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include <attn/attn.hpp>

#include "example.hpp"

namespace lesson08 {

void demo(std::ostream& out) {
    const std::size_t n = 10, Br = 4, Bc = 4;
    const attn::matrix Q = filled(n, 4, 1), K = filled(n, 4, 2), V = filled(n, 4, 3);
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
        char line[120];
        std::snprintf(line, sizeof line, "  %6zu   %18s   %s\n", nn,
                      attn::format_bytes(attn::attention_cost_model(nn, nn, 64, 64, false).score_bytes).c_str(),
                      attn::format_bytes(attn::tiled_extra_bytes(64, 64, 64)).c_str());
        out << line;
    }

    out << "\nStep 4. Four kernels, one input (n = 257, d = 64, causal), against lesson 05's masked attention:\n";
    const std::size_t m = 257;
    const attn::matrix q = filled(m, 64, 4), k = filled(m, 64, 5), v = filled(m, 64, 6);
    const attn::matrix ref = attn::masked_attention(q, k, v, attn::causal_mask(m));
    const std::vector<std::pair<std::string, attn::matrix>> versions = {
        {"v1_naive ", attn::kernels::v1_naive(q, k, v, true)},
        {"v2_online", attn::kernels::v2_online(q, k, v, true)},
        {"v3_tiled ", attn::kernels::v3_tiled(q, k, v, true)},
        {"v4_simd  ", attn::kernels::v4_simd(q, k, v, true)},
    };
    for (const auto& [name, O] : versions) {
        const double e = attn::max_abs_diff(O, ref);
        out << "  " << name << "  max |O - reference| " << (e <= 1e-5 ? "<= 1e-5" : "> 1e-5 (a bug)") << "\n";
    }
}

void example_json(std::ostream& out) {
    const std::size_t n = 257;
    const attn::matrix q = filled(n, 64, 4), k = filled(n, 64, 5), v = filled(n, 64, 6);
    const attn::matrix O = attn::kernels::v1_naive(q, k, v, true);
    out << "{\"n\":257,\"d\":64,\"O_first_rows\":" << attn::to_json(xt::view(O, xt::range(0, 3), xt::all()))
        << ",\"O_last_row\":" << attn::to_json(xt::view(O, xt::range(n - 1, n), xt::all()))
        << ",\"tiled_bytes\":" << attn::tiled_extra_bytes(64, 64, 64) << "}\n";
}

}  // namespace lesson08
