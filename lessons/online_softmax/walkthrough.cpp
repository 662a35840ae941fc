// lessons/online_softmax/walkthrough.cpp — the walkthrough of lesson 08.
//
// `attnlab lesson 8`: the online softmax step by step, its agreement with the
// three-pass softmax, merging two halves, and online attention without the
// n×n buffer. The README quotes this output verbatim (online_softmax.readme).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::online_softmax {

void walkthrough(std::ostream& out) {
    const attn::vector z = example_scores();
    out << "Step 1. Read z = " << attn::format_row(z) << " once, left to right, keeping m and l:\n"
        << "   j   z_j     m     l = l·rescale + exp(z_j - m)   rescale = exp(m_old - m_new)\n";
    const auto steps = attn::online_softmax_trace(z, xt::arange<attn::real>(attn::real(z.size())));
    for (std::size_t j = 0; j < steps.size(); ++j) {
        out << attn::format(
            "  %2zu  %4s  %4s  %12s                   %s%s\n", j, attn::format_number(steps[j].z).c_str(),
            attn::format_number(steps[j].m).c_str(), attn::format_number(steps[j].l, 6).c_str(),
            attn::format_number(steps[j].rescale, 4).c_str(), steps[j].rescale < 1 ? "   (the max grew)" : "");
    }
    const attn::vector online = attn::online_softmax(z), classic = attn::softmax(z);
    const double diff = attn::max_abs_diff(online, classic);
    out << "\nStep 2. Then p_j = exp(z_j - m) / l, a second and last pass:\n"
        << "  online   " << attn::format_row(online, 3) << "\n  3-pass   " << attn::format_row(classic, 3) << "\n"
        << "  max |difference| = " << attn::format_number(diff) << "\n";

    attn::online_state left, right;
    for (std::size_t j = 0; j < 4; ++j) attn::online_update(left, z(j));
    for (std::size_t j = 4; j < 8; ++j) attn::online_update(right, z(j));
    const attn::online_state both = attn::merge(left, right);
    out << "\nStep 3. Two halves, read separately, then merged:\n"
        << "  left  (3 1 4 1): m = " << attn::format_number(left.m) << ", l = " << attn::format_number(left.l, 6)
        << "\n"
        << "  right (5 9 2 6): m = " << attn::format_number(right.m) << ", l = " << attn::format_number(right.l, 6)
        << "\n"
        << "  merged:          m = " << attn::format_number(both.m) << ", l = " << attn::format_number(both.l, 6)
        << "   (one pass over all eight: l = " << attn::format_number(steps.back().l, 6) << ")\n";

    out << "\nStep 4. Attention for one query: the same scores, and a value v_j = j folded in beside each.\n"
        << "  o is the unnormalised output; it is rescaled with l, so o / l is right after every key.\n"
        << "   j   s_j   rescale        l             o     o / l\n";
    for (std::size_t j = 0; j < steps.size(); ++j) {
        const attn::online_step& t = steps[j];
        out << attn::format("  %2zu  %4s  %8s  %9s  %12s  %8s\n", j, attn::format_number(t.z).c_str(),
                            attn::format_number(t.rescale, 4).c_str(), attn::format_number(t.l, 6).c_str(),
                            attn::format_number(t.o, 6).c_str(), attn::format_number(t.out, 4).c_str());
    }
    attn::online_row a = attn::start_row(1), b = attn::start_row(1);
    for (std::size_t j = 0; j < z.size(); ++j) attn::online_fold(j < 4 ? a : b, z(j), attn::vector{attn::real(j)});
    const attn::online_row ab = attn::merge(a, b);
    out << "\nStep 5. The keys split between two workers, each folding its half, then merged:\n"
        << "  keys 0-3: m = " << attn::format_number(a.m) << ", l = " << attn::format_number(a.l, 6)
        << ", o = " << attn::format_number(a.o(0), 6) << "\n"
        << "  keys 4-7: m = " << attn::format_number(b.m) << ", l = " << attn::format_number(b.l, 6)
        << ", o = " << attn::format_number(b.o(0), 6) << "\n"
        << "  merged:   m = " << attn::format_number(ab.m) << ", l = " << attn::format_number(ab.l, 6)
        << ", o = " << attn::format_number(ab.o(0), 6) << ", o / l = " << attn::format_number(ab.o(0) / ab.l, 4)
        << "   (as in step 4)\n"
        << "  Neither worker saw the other's keys: this is how key blocks (lesson 09), split-KV decoding\n"
        << "  and ring attention put a row back together.\n";

    out << "\nStep 6. Attention, one pass per query, at d = 64, against the naive kernel's n² buffer:\n"
        << "      n   kernel    extra bytes   exps      rescale multiplies   max |O - naive|\n";
    for (std::size_t n : {64u, 512u}) {
        const attn::matrix Q = attn::wave_matrix(n, 64, 1), K = attn::wave_matrix(n, 64, 2),
                           V = attn::wave_matrix(n, 64, 3);
        attn::kernels::counters cn, co;
        const attn::matrix On = attn::kernels::v1_naive(Q, K, V, false, &cn);
        const attn::matrix Oo = attn::kernels::v2_online(Q, K, V, false, &co);
        const double d = attn::max_abs_diff(On, Oo);
        out << attn::format("  %5zu   naive   %11s   %7.0f   %18.0f\n  %5zu   online  %11s   %7.0f   %18.0f   %s\n", n,
                            attn::format_bytes(cn.peak_bytes).c_str(), cn.exps, cn.rescale_mults, n,
                            attn::format_bytes(co.peak_bytes).c_str(), co.exps, co.rescale_mults,
                            attn::format_number(d, 2).c_str());
    }
    out << "  No score is stored, not even one row. The price: one more exp per score, and the\n"
        << "  d_v-wide output rescaled at every key (64 multiplies here). Lesson 09 pays it once per tile.\n";
}

}  // namespace lessons::online_softmax
