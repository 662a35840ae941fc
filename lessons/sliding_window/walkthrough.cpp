// lessons/sliding_window/walkthrough.cpp — the walkthrough of lesson 12.
//
// `attnlab lesson 12`: the band a window draws, what it saves in pairs and in
// tiles, how far information still travels through layers, and the SIMD
// tiled kernel against the reference. The README quotes this output verbatim
// (sliding_window.readme).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::sliding_window {

void walkthrough(std::ostream& out) {
    out << "Step 1. n = 8, a causal window of w = 3: query i sees keys i-2, i-1, i.\n";
    const attn::mask M = attn::window_mask(8, 3, true);
    for (std::size_t i = 0; i < 8; ++i) {
        out << "  q" << i << "  ";
        for (std::size_t j = 0; j < 8; ++j) out << (M(i, j) ? " ■" : " ·");
        out << "\n";
    }

    out << "\nStep 2. Pairs scored at n = 4096 (causal), against the full causal triangle:\n"
        << "      w        pairs   of causal\n";
    const double tri = attn::attention_cost_model(4096, 4096, 1, 1, true).pairs;
    for (std::size_t w : {256u, 1024u, 4096u}) {
        const double p = attn::window_pairs(4096, w, true);
        out << attn::format("  %5zu   %10.0f   %8s\n", w, p, (attn::format_number(100 * p / tri, 3) + " %").c_str());
    }

    out << "\nStep 3. Tiles of 64×64 the tiled kernel computes at n = 4096, against the causal triangle's:\n";
    double all = 0;  // the causal kernel's tiles: a window as wide as the sequence
    for (const auto& t : attn::window_tiles(4096, 4096, true, 64, 64)) all += !t.skipped;
    for (std::size_t w : {256u, 1024u, 4096u}) {
        double computed = 0, masked = 0;
        for (const auto& t : attn::window_tiles(4096, w, true, 64, 64)) computed += !t.skipped, masked += t.masked;
        out << attn::format("  w = %4zu: %5.0f of %4.0f tiles (%s), %4.0f of them need masking\n", w, computed, all,
                            (attn::format_number(100 * computed / all, 3) + " %").c_str(), masked);
    }

    const attn::model_config& mistral = attn::published_model("Mistral 7B");
    out << "\nStep 4. Stacked layers widen the view: L·(w - 1) + 1 positions.\n"
        << "  " << mistral.name << ", w = " << mistral.window << " in each of " << mistral.layers
        << " layers: " << attn::receptive_field(mistral.layers, mistral.window) << " positions.\n";

    const auto in = attn::normal_qkv(1000, 64, 11);
    attn::kernels::counters c;
    const attn::matrix fast = attn::kernels::v4_window(in.Q, in.K, in.V, 100, true, 1, &c);
    const attn::matrix ref = attn::window_attention(in.Q, in.K, in.V, 100, true);
    const double d = attn::max_abs_diff(fast, ref);
    out << "\nStep 5. v4_window (SIMD, tiled) against the reference, n = 1000, d = 64, w = 100:\n"
        << "  max |difference| = " << attn::format_number(d, 2) << ", " << c.tiles << " tiles computed of 256.\n";

    out << "\nStep 6. A rolling buffer of w = 4 rows, decoding 7 tokens: token t goes to row t mod 4.\n";
    attn::rolling_cache rc(4, 1, 1);
    for (std::size_t t = 0; t < 7; ++t) {
        const std::size_t row = attn::rolling_append(rc, attn::vector{attn::real(t)}, attn::vector{attn::real(t)});
        out << "  token " << t << " -> row " << row << "   rows hold tokens [";
        for (std::size_t r = 0; r < rc.window(); ++r)
            out << (r ? " " : "") << (r < rc.cache.length ? std::to_string(int(rc.cache.K(r, 0))) : std::string("-"));
        out << "]\n";
    }
    const attn::matrix Qr = attn::wave_matrix(200, 16, 7), Kr = attn::wave_matrix(200, 16, 8),
                       Vr = attn::wave_matrix(200, 16, 9);
    const double dr =
        attn::max_abs_diff(attn::rolling_decode_all(Qr, Kr, Vr, 32), attn::window_attention(Qr, Kr, Vr, 32));
    out << "  200 tokens through 32 rows against window attention: max |difference| " << attn::within(dr, -6)
        << "; the cache stayed at 32 rows.\n";
}

}  // namespace lessons::sliding_window
