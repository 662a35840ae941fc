// lessons/masking/lesson.hpp — lesson 05's C++ API: its example, and what its page and walkthrough run.
//
// Six positions, "the cat sat down <pad> <pad>": four real tokens and two of
// padding. Small whole-number embeddings and weights; causal and padding masks
// over them. `future` changes every token after a position and measures what
// moved, for the proof that a causal output never sees the future.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/mask.hpp>
#include <attn/rng.hpp>

namespace lessons::masking {

struct example {
    std::vector<std::string> tokens;  // n = 6
    std::size_t valid;                // 4 real tokens, then padding
    attn::matrix X;                   // (6, 3)
    attn::matrix W_q, W_k, W_v;       // (3, 3) each
    ATTN_FIELDS(tokens, valid, X, W_q, W_k, W_v)
};

inline example fixed_example() {
    return {
        {"the", "cat", "sat", "down", "<pad>", "<pad>"},
        4,
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {0, 0, 0}, {0, 0, 0}},
        {{2, 0, 1}, {0, 2, 0}, {1, 1, 2}},
        {{1, 1, 0}, {0, 2, 1}, {2, 0, 1}},
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
    };
}

/// X with every row after position i replaced by fresh values in [-2, 2), seeded.
inline attn::matrix perturb_after(const attn::matrix& X, std::size_t i, std::uint64_t seed) {
    attn::rng g(seed);
    attn::matrix Y = X;
    for (std::size_t r = i + 1; r < X.shape(0); ++r)
        for (std::size_t c = 0; c < X.shape(1); ++c) Y(r, c) = static_cast<float>(-2.0 + 4.0 * g.uniform());
    return Y;
}

/// The page's mask: padding after `valid` keys, and causal if asked. (n, n).
struct composed {
    attn::mask mask;
    ATTN_FIELDS(mask)
};
inline composed compose(std::size_t n, bool causal, std::size_t valid) {
    attn::require_whole_in("n", double(n), 1, 4096);
    attn::require_whole_in("valid", double(valid), 0, double(n));
    attn::mask M = attn::padding_mask(n, n, valid);
    return {causal ? attn::combine(M, attn::causal_mask(n)) : M};
}

/// Masked attention over the example's projections; `big` fills with -1e9 instead of -inf.
inline attn::attention_steps run(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k,
                                 const attn::matrix& W_v, const attn::mask& M, bool big) {
    const attn::qkv p = attn::project_qkv(X, W_q, W_k, W_v);
    return attn::masked_attention_explained(p.Q, p.K, p.V, M, big ? -1e9f : -std::numeric_limits<float>::infinity());
}

/// Every token after `position` replaced: how far the outputs at and before it moved (upto),
/// and after it (after). Under the causal mask `upto` is exactly 0.
struct change {
    double upto, after;
    attn::matrix O_after;  // the outputs with the future replaced
    ATTN_FIELDS(upto, after, O_after)
};
inline change future(const attn::matrix& X, const attn::matrix& W_q, const attn::matrix& W_k, const attn::matrix& W_v,
                     const attn::mask& M, std::size_t position) {
    attn::require_whole_in("position", double(position), 0, double(X.shape(0)) - 1);
    const attn::qkv a = attn::project_qkv(X, W_q, W_k, W_v);
    const attn::qkv b = attn::project_qkv(perturb_after(X, position, 7), W_q, W_k, W_v);
    const attn::matrix Oa = attn::masked_attention(a.Q, a.K, a.V, M), Ob = attn::masked_attention(b.Q, b.K, b.V, M);
    change c{0, 0, Ob};
    for (std::size_t r = 0; r < Oa.shape(0); ++r)
        for (std::size_t col = 0; col < Oa.shape(1); ++col) {
            double& worst = r <= position ? c.upto : c.after;
            worst = std::max(worst, std::abs(double(Oa(r, col)) - double(Ob(r, col))));
        }
    return c;
}

/// What `attnlab example 5 --json` prints: the example under both masks, and causal alone.
struct values {
    attn::matrix both_P, both_O, causal_P, causal_O;
    ATTN_FIELDS(both_P, both_O, causal_P, causal_O)
};
inline values example_values() {
    const example ex = fixed_example();
    const std::size_t n = ex.tokens.size();
    const attn::attention_steps a = run(ex.X, ex.W_q, ex.W_k, ex.W_v, compose(n, true, ex.valid).mask, false);
    const attn::attention_steps c = run(ex.X, ex.W_q, ex.W_k, ex.W_v, attn::causal_mask(n), false);
    return {a.P, a.O, c.P, c.O};
}

}  // namespace lessons::masking
