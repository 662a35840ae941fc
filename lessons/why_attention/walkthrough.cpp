// lessons/why_attention/walkthrough.cpp — the walkthrough of lesson 4.
//
// `attnlab lesson 4`: Bahdanau's score on small numbers beside lesson 01's dot product; then two
// translators trained side by side on the made-up language pair, one reading the sentence into a
// fixed vector, one with attention: their accuracy against sentence length, the alignment the
// second learned, and why the transformer dropped the recurrence (paths and gradients, counted).
// The README quotes this output verbatim (why_attention.readme).
#include <ostream>
#include <string>

#include <attn/format.hpp>

#include "lesson.hpp"

namespace lessons::why_attention {

namespace {
std::string joined(const std::vector<std::string>& ws) {
    std::string s;
    for (const auto& w : ws) s += (s.empty() ? "" : " ") + w;
    return s;
}
std::string numbers(const attn::vector& v, int digits = 3) {
    std::string s;
    for (std::size_t j = 0; j < v.size(); ++j) s += (j ? "  " : "") + attn::format("%.*f", digits, double(v(j)));
    return s;
}
}  // namespace

void walkthrough(std::ostream& out) {
    attn::rng g(7);
    const attn::seq2seq_config c = config(true, 1);
    const attn::sentence_pair ex = attn::make_sentence(c.task, 8, g);
    out << "Step 1. The made-up language pair: " << c.task.nouns << " nouns (N0..N" << c.task.nouns - 1 << ") and "
        << c.task.adjectives << " adjectives (A0..A" << c.task.adjectives - 1
        << "); each word has one translation,\n  and an adjective moves after its noun.\n"
        << "  source  " << joined(words(ex.source)) << "\n  target  " << joined(words(ex.target))
        << "\n  target word i translates source word";
    for (auto j : ex.alignment) out << ' ' << j + 1;
    out << "\n";

    const example e = fixed_example();
    const scored s = compute(e.s, e.H, e.W, e.U, e.v);
    out << "\nStep 2. Bahdanau's score e_j = vᵀ tanh(W s + U h_j) for s = (" << numbers(e.s, 2)
        << ") against four annotations h_j:\n"
        << "  e        " << numbers(s.e) << "\n  α        " << numbers(s.alpha) << "   (softmax of e)\n"
        << "  c = Σ α_j h_j = (" << numbers(s.context) << ")\n"
        << "  Lesson 01's dot product s·h_j on the same vectors:\n"
        << "  s·h_j    " << numbers(s.dot) << "\n  softmax  " << numbers(s.dot_alpha) << "\n";

    out << "\nStep 3. Two translators, hidden state " << c.hidden << ", trained " << train_steps
        << " steps on sentences of " << c.min_length << " to " << c.max_length << " words (" << c.batch
        << " a step).\n  Mean loss per word on the last batch:\n     step   fixed vector   attention\n";
    translators m{attn::seq2seq_trainer(config(false, 1)), attn::seq2seq_trainer(config(true, 1))};
    for (std::size_t t = 1; t <= train_steps; ++t) {
        const double a = m.rnn.step(), b = m.attention.step();
        if (t % 500 == 0) out << attn::format("  %6zu   %12.3f   %9.3f\n", t, a, b);
    }

    const by_length acc = accuracy(m, 100);
    out << "\nStep 4. Words right, translating 100 new sentences of each length on their own:\n"
        << "  length   fixed vector   attention   α's largest weight on the true word\n";
    for (std::size_t k = 0; k < acc.length.size(); ++k)
        if (int(acc.length[k]) % 2 == 0)
            out << attn::format(
                "  %6.0f   %11.1f %%   %7.1f %%   %7.1f %%%s\n", acc.length[k], 100 * acc.rnn[k],
                100 * acc.attention[k], 100 * acc.alignment[k],
                acc.length[k] >= c.min_length && acc.length[k] <= c.max_length ? "   (trained on)" : "");

    const translation t = translate(m, 8, 7);
    out << "\nStep 5. What the attention learned, never told where any word came from. The sentence of step 1;\n"
        << "  rows: target words, columns: source words; ■ the largest weight, ▪ above 0.1, and [ ] the true word.\n"
        << "          ";
    for (const auto& w : t.source) out << attn::format("%-4s", w.c_str());
    out << "\n";
    for (std::size_t i = 0; i < t.target.size(); ++i) {
        out << attn::format("  %-4s  ", t.target[i].c_str());
        const std::size_t top = best(t.alpha, i);
        for (std::size_t j = 0; j < t.source.size(); ++j) {
            const char* mark = j == top ? "■" : t.alpha(i, j) > 0.1f ? "▪" : "·";
            out << (t.truth(i, j) > 0 ? "[" : " ") << mark << (t.truth(i, j) > 0 ? "]" : " ") << ' ';
        }
        out << "\n";
    }
    out << "  fixed vector wrote  " << joined(t.rnn) << "\n  attention wrote     " << joined(t.attention) << "\n";

    const by_position pos = positions(m, longest, 100);
    out << "\nStep 6. Sentences of " << longest << " words, twice the longest seen: words right at each position.\n"
        << "  position      ";
    for (double p : pos.position) out << attn::format("%4.0f", p);
    out << "\n  fixed vector  ";
    for (double a : pos.rnn) out << attn::format("%4.0f", 100 * a);
    out << "\n  attention     ";
    for (double a : pos.attention) out << attn::format("%4.0f", 100 * a);
    out << "   (%)\n";

    const paths p = path_table({8, 16, 50, 1000});
    out << "\nStep 7. Why the transformer dropped the recurrence (Vaswani et al. 2017, Table 1), counted on\n"
        << "  each model's graph for n source and n target words: the steps that must run one after another,\n"
        << "  and the longest path from a source word to a target word.\n"
        << "                RNN              RNN + attention    self-attention\n"
        << "         n   steps    path     steps    path         steps    path\n";
    for (std::size_t k = 0; k < p.n.size(); ++k)
        out << attn::format("  %8.0f  %6.0f  %6.0f    %6.0f  %6.0f        %6.0f  %6.0f\n", p.n[k], p.rnn_steps[k],
                            p.rnn_path[k], p.attention_steps[k], p.attention_path[k], p.self_steps[k], p.self_path[k]);
    const reach r = gradient_reach(32);
    out << "  And the gradient reaching each source word from the target word that translates it, in two\n"
        << "  untrained models reading one sentence of 32 words:\n"
        << "  source word            1         8        16        24        32\n"
        << attn::format("  fixed vector   %10.1e%10.1e%10.1e%10.1e%10.1e\n", r.rnn[0], r.rnn[7], r.rnn[15], r.rnn[23],
                        r.rnn[31])
        << attn::format("  attention      %10.1e%10.1e%10.1e%10.1e%10.1e\n", r.attention[0], r.attention[7],
                        r.attention[15], r.attention[23], r.attention[31]);
}

}  // namespace lessons::why_attention
