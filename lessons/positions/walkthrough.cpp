// lessons/positions/walkthrough.cpp — the walkthrough of lesson 13.
//
// `attnlab lesson 13`: attention cannot tell "dog bites man" from "man bites
// dog"; the sinusoidal table; RoPE's scores depend on distance alone; ALiBi's
// slopes; and what each does to the scores of tokens that differ only in
// position. The README quotes this output verbatim (positions.readme).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::positions {

void walkthrough(std::ostream& out) {
    const attn::matrix a = words({"dog", "bites", "man"}), b = words({"man", "bites", "dog"});
    const attn::matrix Oa = attn::attention(a, a, a), Ob = attn::attention(b, b, b);
    const attn::matrix Ra = attn::rope(a), Rb = attn::rope(b);
    const attn::matrix Pa = attn::attention(Ra, Ra, a), Pb = attn::attention(Rb, Rb, b);
    out << "Step 1. Self-attention over \"dog bites man\" and \"man bites dog\" (random embeddings, d = 16).\n"
        << "  max |o(dog) in one - o(dog) in the other|:  no positions "
        << attn::format_number(attn::max_abs_diff(xt::row(Oa, 0), xt::row(Ob, 2)), 2) << ",  RoPE "
        << attn::format_number(attn::max_abs_diff(xt::row(Pa, 0), xt::row(Pb, 2)), 3)
        << "\n  Without positions, a word's output is the same wherever it stands (to float32 rounding).\n";

    out << "\nStep 2. Sinusoidal encodings, d = 8: pair i turns at ω_i = 10000^(-2i/8).\n";
    const attn::matrix PE = attn::sinusoidal(4, 8);
    out << attn::format_matrix(PE, {"p=0", "p=1", "p=2", "p=3"});

    const attn::vector q = content(), k = content() * attn::real(-0.5) + attn::real(0.3);
    out << "\nStep 3. RoPE: rotate q at position m and k at position n; the score depends on n - m only.\n"
        << "     m      n   rope(q, m)·rope(k, n)\n";
    for (auto [m, n] :
         std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}, {10, 13}, {1000, 1003}, {0, 0}, {500, 500}}) {
        out << attn::format("  %4zu   %4zu   %s\n", m, n, attn::format_number(attn::rope_score(q, k, m, n), 5).c_str());
    }

    out << "\nStep 4. ALiBi's slopes for 8 heads, m_h = 2^(-8h/8):";
    for (auto m : attn::alibi_slopes(8)) out << ' ' << attn::format_number(m, 4);
    out << "\n  Head 1 forgets fast (a penalty of 1/2 per position), head 8 barely (1/256).\n";

    out << "\nStep 5. Twelve tokens with the same content: the scores of query 6, by key (position only).\n";
    const char* names[] = {"none", "sinusoidal", "rope", "alibi"};
    for (const char* name : names) {
        const attn::matrix S = attn::position_scores(attn::parse_encoding(name), content(), 12);
        out << attn::format("  %-11s", name);
        for (std::size_t j = 0; j < 12; ++j) {
            out << attn::format("%6s", attn::format_number(S(6, j), 3).c_str());
        }
        out << "\n";
    }
    out << "  none is flat. sinusoidal varies, but not symmetrically about the token: it adds absolute\n"
        << "  positions, and their cross terms remain. rope is symmetric about it: distance only.\n"
        << "  alibi falls off linearly.\n";
}

}  // namespace lessons::positions
