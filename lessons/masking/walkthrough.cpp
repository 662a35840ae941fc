// lessons/masking/walkthrough.cpp — `attnlab lesson 6`: the causal and padding masks, their combination, the
// masked weights, what a fully masked row becomes with -inf and with -1e9, and
// the proof that causal outputs ignore the future. The README quotes this.
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::masking {

namespace {
std::string show(const attn::mask& M, const std::vector<std::string>& t, const std::vector<std::string>& rows = {}) {
    attn::matrix m = xt::zeros<float>(M.shape());
    for (std::size_t k = 0; k < M.size(); ++k) m.data()[k] = M.data()[k] ? 1.0f : 0.0f;
    return attn::format_matrix(m, rows.empty() ? t : rows, t);
}
}  // namespace

void walkthrough(std::ostream& out) {
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
        << attn::format_matrix(a.S, t, t, 3) << "P\n"
        << attn::format_matrix(a.P, t, t, 3);

    attn::mask starved = both;  // query 0 may see no key at all
    starved(0, 0) = false;
    const attn::attention_steps minus_inf = attn::masked_attention_explained(p.Q, p.K, p.V, starved);
    const attn::attention_steps minus_big = attn::masked_attention_explained(p.Q, p.K, p.V, starved, -1e9f);
    out << "\nStep 5. Mask query 0's only key too. Its row is now fully masked.\n"
        << "  with -inf (this library): weights "
        << attn::format_matrix(xt::view(minus_inf.P, xt::range(0, 1), xt::all()), {}, {}, 3, "")
        << "  with -1e9 instead:        weights "
        << attn::format_matrix(xt::view(minus_big.P, xt::range(0, 1), xt::all()), {}, {}, 3, "")
        << "  -1e9 turns \"see nothing\" into \"see everything equally\", the future and the padding included.\n"
        << "  The library defines a fully masked row as weights 0 and output 0.\n";

    const std::size_t i = 1;
    const attn::future_change c = attn::future_influence(ex.X, ex.W_q, ex.W_k, ex.W_v, causal, i);
    const attn::future_change u = attn::future_influence(ex.X, ex.W_q, ex.W_k, ex.W_v, xt::ones<bool>({n, n}), i);
    out << "\nStep 6. Replace every token after position " << i << " (\"" << t[i] << "\") with random values:\n"
        << "  causal:   max |change| in outputs 0.." << i << " = " << attn::format_number(c.upto) << ", in outputs "
        << i + 1 << ".." << n - 1 << " = " << attn::format_number(c.after, 3) << "\n"
        << "  unmasked: max |change| in outputs 0.." << i << " = " << attn::format_number(u.upto, 3)
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

}  // namespace lessons::masking
