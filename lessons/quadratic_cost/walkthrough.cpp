// lessons/quadratic_cost/walkthrough.cpp — the walkthrough of lesson 06.
//
// `attnlab lesson 6`: the FLOP and byte model, the counted naive kernel
// agreeing with it, and the memory wall. Times are not printed here (they vary
// from run to run); docs/performance.md has measured ones, and the page times
// the kernel live.
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::quadratic_cost {

namespace {
std::string big(double x) {
    char buf[32];
    if (x >= 1e12) std::snprintf(buf, sizeof buf, "%.3g T", x / 1e12);
    else if (x >= 1e9) std::snprintf(buf, sizeof buf, "%.3g G", x / 1e9);
    else if (x >= 1e6) std::snprintf(buf, sizeof buf, "%.3g M", x / 1e6);
    else std::snprintf(buf, sizeof buf, "%.4g", x);
    return buf;
}
attn::matrix filled(std::size_t rows, std::size_t cols, float seed) {
    attn::matrix m = xt::zeros<float>({rows, cols});
    for (std::size_t k = 0; k < m.size(); ++k) m.data()[k] = std::sin(seed + 0.37f * float(k));  // values in [-1, 1]
    return m;
}
}  // namespace

void walkthrough(std::ostream& out) {
    const std::size_t d = 64;
    out << "Step 1. The model, d_k = d_v = " << d << ":\n"
        << "      n     FLOPs   causal FLOPs     exps   score matrix\n";
    for (std::size_t n : {1024u, 2048u, 4096u, 8192u}) {
        const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, false);
        const attn::attention_cost cc = attn::attention_cost_model(n, n, d, d, true);
        char line[120];
        std::snprintf(line, sizeof line, "  %5zu  %8s  %13s  %7s  %13s\n", n, big(c.flops).c_str(), big(cc.flops).c_str(),
                      big(c.exps).c_str(), attn::format_bytes(c.score_bytes).c_str());
        out << line;
    }
    out << "  Doubling n multiplies every column by 4. Causal pairs are n(n+1)/2: just over half.\n";

    out << "\nStep 2. The naive kernel, counted as it runs, against the model:\n"
        << "      n  causal   counted FLOPs     model FLOPs   extra bytes held\n";
    for (std::size_t n : {64u, 256u}) {
        for (bool causal : {false, true}) {
            const attn::matrix Q = filled(n, d, 1), K = filled(n, d, 2), V = filled(n, d, 3);
            attn::kernels::counters count;
            attn::kernels::v1_naive(Q, K, V, causal, &count);
            const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, causal);
            char line[120];
            std::snprintf(line, sizeof line, "  %5zu  %6s  %14.0f  %14.0f   %s\n", n, causal ? "yes" : "no", count.flops,
                          c.flops, attn::format_bytes(count.peak_bytes).c_str());
            out << line;
        }
    }

    out << "\nStep 3. The memory wall. The naive kernel holds all n² scores at once:\n";
    for (std::size_t n : {16384u, 65536u, 131072u}) {
        const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, false);
        out << "  n = " << n << ": " << attn::format_bytes(c.score_bytes) << " of scores for "
            << attn::format_bytes(c.io_bytes) << " of Q, K, V and O\n";
    }
    try {
        const attn::matrix Q = filled(65536, 1, 1);
        attn::kernels::v1_naive(Q, Q, Q, false, nullptr, double(1ull << 30));
    } catch (const attn::resource_error& e) {
        out << "  asked for n = 65536 under a 1 GiB limit: " << e.what() << "\n";
    }
    out << "  The arithmetic is O(n²) and must be; the memory need not be. Lessons 07 and 08 remove it.\n";
}

}  // namespace lessons::quadratic_cost
