// lessons/kv_cache/walkthrough.cpp — the walkthrough of lesson 10.
//
// `attnlab lesson 10`: prefill a prompt, decode the rest token by token through
// the cache, check every row against full causal attention, then the cost per
// token and the memory of a whole model's cache. The README quotes this output
// verbatim (kv_cache.readme).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::kv_cache {

void walkthrough(std::ostream& out) {
    const example e = fixed_example();
    const std::size_t n = e.tokens.size();
    const attn::matrix full = attn::causal_attention(e.Q, e.K, e.V);  // the answer, all at once
    attn::kv_cache cache(n, 4, 4);

    out << "Step 1. Prefill the prompt \"the cat sat\": one causal attention pass over 3 tokens,\n"
        << "        keeping their keys and values.\n";
    const attn::matrix Qp = xt::view(e.Q, xt::range(0, e.prompt), xt::all());
    const attn::matrix Kp = xt::view(e.K, xt::range(0, e.prompt), xt::all());
    const attn::matrix Vp = xt::view(e.V, xt::range(0, e.prompt), xt::all());
    const attn::matrix O = attn::prefill(cache, Qp, Kp, Vp);
    for (std::size_t t = 0; t < e.prompt; ++t)
        out << "  o(" << e.tokens[t] << ") = " << attn::format_row(xt::row(O, t), 3) << "\n";
    out << "  cache: " << cache.length << " of " << cache.capacity() << " rows\n";

    out << "\nStep 2. Decode one token at a time: append its key and value, attend from its query.\n"
        << "   t  token  cached  FLOPs   o_t                              |o_t - causal row|\n";
    for (std::size_t t = e.prompt; t < n; ++t) {
        attn::append(cache, xt::row(e.K, t), xt::row(e.V, t));
        const attn::vector o = attn::decode_step(cache, xt::row(e.Q, t));
        out << attn::format("  %2zu  %-5s  %6zu  %5.0f   %-32s %s\n", t, e.tokens[t].c_str(), cache.length,
                            attn::decode_cost(cache.length, 4, 4).cached, attn::format_row(o, 3).c_str(),
                            attn::format_number(attn::max_abs_diff(o, xt::row(full, t)), 2).c_str());
    }

    out << "\nStep 3. The attention FLOPs of a token that sees t keys, one head of d = 128:\n"
        << "        t   with the cache   recomputing the prefix   ratio\n";
    for (std::size_t t : {1024u, 4096u, 32768u}) {
        const auto c = attn::decode_cost(t, 128, 128);
        out << attn::format("  %7zu   %14s   %22s   %5.0f×\n", t, attn::format_number(c.cached, 3).c_str(),
                            attn::format_number(c.recompute, 3).c_str(), c.recompute / c.cached);
    }
    out << "  With the cache, each token costs time linear in t; without, quadratic.\n";

    const attn::model_config& m = attn::published_model("Llama 2 7B");
    const double bytes = attn::kv_cache_bytes(m.layers, m.kv_heads, m.d_head, m.context, m.bytes);
    const double per_token = attn::kv_cache_bytes(m.layers, m.kv_heads, m.d_head, 1, m.bytes);
    out << "\nStep 4. The price is memory. " << m.name << ": " << m.layers << " layers × " << m.kv_heads
        << " K/V heads × " << m.d_head << " × 2 (K and V) × " << m.bytes << " bytes\n"
        << "  = " << attn::format_bytes(per_token) << " per token, " << attn::format_bytes(bytes) << " for "
        << m.context << " tokens of context, for each sequence served.\n";

    const std::size_t chunk = 2;
    attn::kv_cache chunked(n, 4, 4);
    attn::matrix O_chunks = xt::zeros<attn::real>({n, std::size_t(4)});
    out << "\nStep 5. A long prompt is often prefilled in chunks. Feed all " << n << " tokens " << chunk
        << " at a time: each chunk's\n"
        << "  queries attend to every key cached so far, the causal mask aligned bottom-right (lesson 06):\n";
    for (std::size_t t0 = 0; t0 < n; t0 += chunk) {
        const std::size_t t1 = std::min(n, t0 + chunk);
        auto part = [&](const attn::matrix& M) { return attn::matrix(xt::view(M, xt::range(t0, t1), xt::all())); };
        xt::view(O_chunks, xt::range(t0, t1), xt::all()) = attn::prefill(chunked, part(e.Q), part(e.K), part(e.V));
        out << "  chunk " << e.tokens[t0] << (t1 - t0 > 1 ? " " + e.tokens[t1 - 1] : "") << ": " << t1 - t0
            << " queries against " << chunked.length << " cached keys\n";
    }
    out << "  max |chunked - whole prompt| = " << attn::format_number(attn::max_abs_diff(O_chunks, full), 2)
        << ": the same output, with less held at once.\n";
}

}  // namespace lessons::kv_cache
