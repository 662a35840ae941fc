// lessons/quadratic_cost/walkthrough.cpp — the walkthrough of lesson 07.
//
// `attnlab lesson 7`: the FLOP and byte model, the counted naive kernel
// agreeing with it, and the memory wall. Times are not printed here (they vary
// from run to run); docs/performance.md has measured ones, and the page times
// the kernel live.
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::quadratic_cost {

void walkthrough(std::ostream& out) {
    const std::size_t d = 64;
    out << "Step 1. The model, d_k = d_v = " << d << ":\n"
        << "      n     FLOPs   causal FLOPs     exps   score matrix\n";
    for (std::size_t n : {1024u, 2048u, 4096u, 8192u}) {
        const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, false);
        const attn::attention_cost cc = attn::attention_cost_model(n, n, d, d, true);
        out << attn::format("  %5zu  %8s  %13s  %7s  %13s\n", n, attn::format_count(c.flops).c_str(),
                            attn::format_count(cc.flops).c_str(), attn::format_count(c.exps).c_str(),
                            attn::format_bytes(c.score_bytes).c_str());
    }
    out << "  Doubling n multiplies every column by 4. Causal pairs are n(n+1)/2: just over half.\n";

    out << "\nStep 2. The naive kernel, counted as it runs, against the model:\n"
        << "      n  causal   counted FLOPs     model FLOPs   extra bytes held\n";
    for (std::size_t n : {64u, 256u}) {
        for (bool causal : {false, true}) {
            const attn::matrix Q = attn::wave_matrix(n, d, 1), K = attn::wave_matrix(n, d, 2),
                               V = attn::wave_matrix(n, d, 3);
            attn::kernels::counters count;
            attn::kernels::v1_naive(Q, K, V, causal, &count);
            const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, causal);
            out << attn::format("  %5zu  %6s  %14.0f  %14.0f   %s\n", n, causal ? "yes" : "no", count.flops, c.flops,
                                attn::format_bytes(count.peak_bytes).c_str());
        }
    }

    out << "\nStep 3. The memory wall. The naive kernel holds all n² scores at once:\n";
    for (std::size_t n : {16384u, 65536u, 131072u}) {
        const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, false);
        out << "  n = " << n << ": " << attn::format_bytes(c.score_bytes) << " of scores for "
            << attn::format_bytes(c.io_bytes) << " of Q, K, V and O\n";
    }
    try {
        const attn::matrix Q = attn::wave_matrix(65536, 1, 1);
        attn::kernels::v1_naive(Q, Q, Q, false, nullptr, double(1ull << 30));
    } catch (const attn::resource_error& e) {
        out << "  asked for n = 65536 under a 1 GiB limit: " << e.what() << "\n";
    }
    out << "  The arithmetic is O(n²) and must be; the memory need not be. Lessons 08 and 09 remove it.\n";

    out << "\nStep 4. The roofline: FLOPs per byte of main memory (arithmetic intensity), n = t = 4096, d = 64,\n"
        << "and what an A100 (FP32, 19.5 TFLOP/s, 2039 GB/s) could reach at that intensity:\n"
        << "  step                                          FLOP/byte   A100 FP32 reaches\n";
    const attn::machine_roof a100 = attn::published_roofs()[0];
    for (const auto& st : attn::roofline_steps(4096, 64, 4096)) {
        const double g = attn::attainable_gflops(a100, st.intensity);
        out << attn::format("  %-44s %9s   %5.1f TFLOP/s (%s of peak)\n", st.name.c_str(),
                            attn::format_number(st.intensity, 3).c_str(), g / 1000,
                            attn::format("%.0f%%", 100 * g / a100.gflops).c_str());
    }
    out << "  Ridge points (peak / bandwidth), the intensity a step needs to be compute-bound:\n";
    for (const auto& m : attn::published_roofs())
        out << attn::format("    %-36s %6.1f FLOP/byte\n", m.name.c_str(), m.gflops / m.gbytes_per_s);
    out << "  The naive softmax pass and every decoding step sit far left of every ridge: memory-bound.\n"
        << "  Tiling removes the softmax's trip to memory and raises prefill's intensity with the block\n"
        << "  size; decoding stays near 1 FLOP/byte whatever the kernel (lesson 10).\n";
}

}  // namespace lessons::quadratic_cost
