// lessons/scaled_dot_product/walkthrough.cpp — `attnlab lesson 3`.
//
// Self-attention over "the cat sat on the mat", step by step, one output
// written out as its weighted sum, then cross-attention from "le chat assis".
// The README quotes this output verbatim (scaled_dot_product.readme).
#include <cstddef>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::scaled_dot_product {

void walkthrough(std::ostream& out) {
    const example ex = fixed_example();
    const auto& t = ex.tokens;
    const auto& features = ex.features;

    out << "Step 1. Six tokens, four features each (X is (6, 4)):\n" << attn::format_matrix(ex.X, t, features);
    out << "\nStep 2. W_q says what each feature looks for; W_k = W_v = I, so K = V = X:\n"
        << attn::format_matrix(ex.W_q, features, features);

    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    const attn::attention_steps a = attn::attention_explained(p.Q, p.K, p.V);
    out << "\nStep 3. Scaled scores S = Q·Kᵀ/√d_k, d_k = 4 (row = query, column = key):\n"
        << attn::format_matrix(a.S, t, t);
    out << "\nStep 4. Attention weights P = softmax of each row (each row sums to 1):\n"
        << attn::format_matrix(a.P, t, t, 3);

    const std::size_t i = 2;  // "sat"
    out << "\nStep 5. Output O = P·V. Row " << t[i] << " is the weighted sum of the value rows:\n"
        << "  o_" << t[i] << " =";
    for (std::size_t j = 0; j < t.size(); ++j)
        out << (j ? "\n        + " : " ") << attn::format_number(a.P(i, j), 3) << " × v_" << t[j];
    out << "\n  = [";
    for (std::size_t c = 0; c < a.O.shape(1); ++c) out << " " << attn::format_number(a.O(i, c), 3);
    out << " ]   (" << features[1] << " feature " << attn::format_number(a.O(i, 1), 3) << ": \"" << t[i]
        << "\" has gathered who sat)\n";
    out << "All outputs, (6, 4):\n" << attn::format_matrix(a.O, t, features, 3);

    out << "\nStep 6. The two \"the\" rows are identical: same embedding, same query, same output.\n"
        << "Attention alone cannot tell positions apart; lesson 13 adds positions.\n";

    const attn::attention_steps c = attn::cross_attention_explained(ex.X_cross, ex.X, ex.W_q_cross, ex.W_k, ex.W_v);
    out << "\nStep 7. Cross-attention: queries from \"le chat assis\", keys and values from the sentence.\n"
        << "P is (3, 6): one row per French token over the six English ones:\n"
        << attn::format_matrix(c.P, ex.cross_tokens, t, 3);
    for (std::size_t q = 0; q < ex.cross_tokens.size(); ++q) {
        const std::size_t j = attn::argmax_row(c.P, q);
        out << "  " << ex.cross_tokens[q] << " -> " << t[j] << " (" << attn::format_number(c.P(q, j), 3) << ")\n";
    }
}

}  // namespace lessons::scaled_dot_product
