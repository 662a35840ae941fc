// lessons/05_masking/demo.cpp — the native walkthrough of lesson 05.
//
// `attnlab lesson 5`: the causal and padding masks, their combination, the
// masked weights, what a fully masked row becomes with -inf and with -1e9, and
// the proof that causal outputs ignore the future. The README quotes this.
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include <attn/attn.hpp>

#include "example.hpp"

namespace lesson05 {

namespace {
std::string show(const attn::mask& M, const std::vector<std::string>& t, const std::vector<std::string>& rows = {}) {
    attn::matrix m = xt::zeros<float>(M.shape());
    for (std::size_t k = 0; k < M.size(); ++k) m.data()[k] = M.data()[k] ? 1.0f : 0.0f;
    return attn::format_matrix(m, rows.empty() ? t : rows, t);
}
double max_abs_diff_rows(const attn::matrix& A, const attn::matrix& B, std::size_t from, std::size_t to) {
    return attn::max_abs_diff(xt::view(A, xt::range(from, to), xt::all()), xt::view(B, xt::range(from, to), xt::all()));
}
}  // namespace

void demo(std::ostream& out) {
    const example ex = fixed_example();
    const auto& t = ex.tokens;
    const std::size_t n = t.size();
    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);

    const attn::mask causal = attn::causal_mask(n), pad = attn::padding_mask(n, n, ex.valid);
    out << "Step 1. The causal mask: query i may see keys 0..i (1 = allowed):\n" << show(causal, t);
    out << "\nStep 2. The padding mask: " << ex.valid << " real tokens, so keys " << ex.valid << " and on are filler:\n"
        << show(pad, t);
    const attn::mask both = attn::combine(causal, pad);
    out << "\nStep 3. Combined (both must allow):\n" << show(both, t);

    const attn::attention_steps a = attn::masked_attention_explained(p.Q, p.K, p.V, both);
    out << "\nStep 4. Scores with masked entries set to -inf, then softmax. Masked weights are exactly 0:\n"
        << attn::format_matrix(a.S, t, t, 3) << "P\n" << attn::format_matrix(a.P, t, t, 3);

    attn::mask starved = both;  // query 0 may see no key at all
    starved(0, 0) = false;
    const attn::attention_steps minus_inf = attn::masked_attention_explained(p.Q, p.K, p.V, starved);
    const attn::attention_steps minus_big = attn::masked_attention_explained(p.Q, p.K, p.V, starved, -1e9f);
    out << "\nStep 5. Mask query 0's only key too. Its row is now fully masked.\n"
        << "  with -inf (this library): weights " << attn::format_matrix(xt::view(minus_inf.P, xt::range(0, 1), xt::all()), {}, {}, 3, "")
        << "  with -1e9 instead:        weights " << attn::format_matrix(xt::view(minus_big.P, xt::range(0, 1), xt::all()), {}, {}, 3, "")
        << "  -1e9 turns \"see nothing\" into \"see everything equally\", the future and the padding included.\n"
        << "  The library defines a fully masked row as weights 0 and output 0.\n";

    const std::size_t i = 1;
    const attn::matrix X2 = perturb_after(ex.X, i, 7);
    const attn::qkv p2 = attn::project_qkv(X2, ex.W_q, ex.W_k, ex.W_v);
    const attn::matrix O1 = attn::masked_attention(p.Q, p.K, p.V, causal);
    const attn::matrix O2 = attn::masked_attention(p2.Q, p2.K, p2.V, causal);
    const attn::matrix U1 = attn::attention(p.Q, p.K, p.V), U2 = attn::attention(p2.Q, p2.K, p2.V);
    out << "\nStep 6. Replace every token after position " << i << " (\"" << t[i] << "\") with random values:\n"
        << "  causal:   max |change| in outputs 0.." << i << " = " << attn::format_number(max_abs_diff_rows(O1, O2, 0, i + 1))
        << ", in outputs " << i + 1 << ".." << n - 1 << " = " << attn::format_number(max_abs_diff_rows(O1, O2, i + 1, n), 3) << "\n"
        << "  unmasked: max |change| in outputs 0.." << i << " = " << attn::format_number(max_abs_diff_rows(U1, U2, 0, i + 1), 3)
        << "\n  Under the causal mask the past cannot see the future: not approximately, exactly.\n";

    const std::size_t n_new = 2;  // a chunk of 2 queries after n - 2 tokens already seen
    const attn::mask chunk = attn::causal_mask(n_new, n);
    std::vector<std::string> rows;
    for (std::size_t r = 0; r < n_new; ++r) rows.push_back("q at " + std::to_string(n - n_new + r));
    out << "\nStep 7. Fewer queries than keys: " << n_new << " new queries after " << n - n_new
        << " earlier tokens (a prompt read in chunks,\n"
        << "or decoding against a cache). The queries are the last " << n_new << " of " << n
        << " positions, so causal_mask(" << n_new << ", " << n << ") is\n"
        << "the bottom " << n_new << " rows of step 1's triangle (aligned bottom-right), not its top " << n_new << ":\n"
        << show(chunk, t, rows);
}

void example_json(std::ostream& out) {
    const example ex = fixed_example();
    const std::size_t n = ex.tokens.size();
    const attn::qkv p = attn::project_qkv(ex.X, ex.W_q, ex.W_k, ex.W_v);
    const attn::mask both = attn::combine(attn::causal_mask(n), attn::padding_mask(n, n, ex.valid));
    const attn::attention_steps a = attn::masked_attention_explained(p.Q, p.K, p.V, both);
    const attn::attention_steps c = attn::masked_attention_explained(p.Q, p.K, p.V, attn::causal_mask(n));
    out << "{\"both_P\":" << attn::to_json(a.P) << ",\"both_O\":" << attn::to_json(a.O) << ",\"causal_P\":"
        << attn::to_json(c.P) << ",\"causal_O\":" << attn::to_json(c.O) << "}\n";
}

}  // namespace lesson05
