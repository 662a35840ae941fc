// lessons/softmax_scaling/walkthrough.cpp — `attnlab lesson 2`.
//
// Softmax of one row, temperature, the overflow of the naive formula, and the
// variance experiment behind 1/√d_k. The README quotes this output verbatim
// (test softmax_scaling.readme).
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::softmax_scaling {

void walkthrough(std::ostream& out) {
    const attn::vector z = example_scores();
    const attn::vector p = attn::softmax(z);
    out << "Step 1. One query's scores against four keys, and their softmax:\n"
        << "  z          = " << attn::format_row(z) << "\n"
        << "  softmax(z) = " << attn::format_row(p) << "   (sum " << attn::format_number(xt::sum(p)()) << ")\n";

    out << "\nStep 2. Temperature T divides the scores first: low T sharpens, high T flattens.\n";
    for (float T : {0.25f, 1.0f, 4.0f}) {
        const attn::vector pt = attn::softmax(z, T);
        out << "  T = " << attn::format_number(T) << (T < 1 ? "" : "   ") << "  " << attn::format_row(pt)
            << "   entropy " << attn::format("%.3f", attn::entropy(pt)) << " nats\n";
    }
    out << "  (entropy runs from 0, all weight on one key, to ln 4 = " << attn::format("%.3f", std::log(4.0))
        << " nats, spread evenly)\n";

    attn::vector big = z;
    for (auto& x : big) x += 100;
    out << "\nStep 3. Add 100 to every score. Softmax should not change (exp(100) cancels), but\n"
        << "float32 exp overflows past ln(FLT_MAX) = " << attn::format_number(std::log(FLT_MAX)) << ":\n"
        << "  exp(z + 100) naive = " << attn::format_row(attn::softmax_naive(big)) << "\n"
        << "  stable (z - max)   = " << attn::format_row(attn::softmax(big)) << "\n";

    out << "\nStep 4. Why 1/√d_k. 64 queries and 64 keys with independent N(0, 1) entries:\n"
        << "         variance of the scores      mean largest softmax weight\n"
        << "   d_k   q·k        q·k/√d_k         q·k        q·k/√d_k\n";
    for (std::size_t d_k : {4u, 64u, 512u}) {
        attn::scaling_settings s;
        s.d_k = d_k;
        s.scaled = false;
        const attn::scaling_experiment raw = attn::run_scaling_experiment(s);
        s.scaled = true;
        const attn::scaling_experiment scaled = attn::run_scaling_experiment(s);
        out << attn::format("  %4zu   %8.2f   %8.3f         %8.3f   %8.3f\n", d_k, raw.variance, scaled.variance,
                            raw.max_weight, scaled.max_weight);
    }
    out << "  Unscaled, the variance grows like d_k and the softmax saturates: one key takes\n"
        << "  almost all the weight and all gradients through the softmax vanish.\n";
}

}  // namespace lessons::softmax_scaling
