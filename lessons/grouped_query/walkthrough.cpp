// lessons/grouped_query/walkthrough.cpp — the walkthrough of lesson 11.
//
// `attnlab lesson 11`: which query heads share which K/V head, the cache per
// token of a large model with and without grouping, and how far pooling a
// multi-head layer's K/V heads moves its output. The README quotes this output
// verbatim (grouped_query.readme).
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::grouped_query {

void walkthrough(std::ostream& out) {
    out << "Step 1. Eight query heads, grouped: the K/V head each one reads.\n";
    for (std::size_t g : {8u, 4u, 2u, 1u}) {
        out << attn::format("  %zu K/V head%s %-13s", g, g == 1 ? " " : "s",
                            g == 8   ? "(multi-head)"
                            : g == 1 ? "(multi-query)"
                                     : "");
        for (std::size_t h = 0; h < 8; ++h) out << ' ' << attn::kv_group(h, 8, g);
        out << "\n";
    }

    const attn::model_config& m = attn::published_model("Llama 2 70B");
    out << "\nStep 2. The cache of " << m.name << " (" << m.layers << " layers, " << m.heads << " query heads of "
        << m.d_head << ", float16):\n";
    for (std::size_t g : {m.heads, m.kv_heads, std::size_t(1)}) {
        out << attn::format("  %2zu K/V head%s %9s per token, %8s for 4096 tokens\n", g, g == 1 ? ": " : "s:",
                            attn::format_bytes(attn::kv_cache_bytes(m.layers, g, m.d_head, 1, m.bytes)).c_str(),
                            attn::format_bytes(attn::kv_cache_bytes(m.layers, g, m.d_head, 4096, m.bytes)).c_str());
    }

    const example e = fixed_example();
    const attn::matrix mha = attn::multihead_self_attention(e.X, e.w, e.heads);
    out << "\nStep 3. Worst case: lesson 03's sentence through a random 4-head layer, its K and V heads pooled:\n"
        << "  K/V heads   cache floats per token   max |O - O_mha|   relative\n";
    for (std::size_t g : {4u, 2u, 1u}) {
        const attn::matrix O = attn::grouped_query_attention(e.X, attn::from_multihead(e.w, e.heads, g), e.heads, g);
        const auto [d, rel] = distance(O, mha);
        out << attn::format("  %9zu   %22zu   %15s   %8s\n", g, 2 * g * 4, attn::format_number(d, 3).c_str(),
                            attn::format_number(rel, 3).c_str());
    }
    out << "  Fewer K/V heads, a smaller cache, and an output further from the layer it came from;\n"
        << "  Ainslie et al. (2023) recover most of the gap with a little more training.\n";
}

}  // namespace lessons::grouped_query
