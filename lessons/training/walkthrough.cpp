// lessons/training/walkthrough.cpp — the walkthrough of lesson 15.
//
// `attnlab lesson 15`: train the one-layer attention model to reverse a
// sequence, printing the held-out loss as it falls, then the attention map it
// learned and its answers. The README quotes this output verbatim (training.readme).
#include <cstdio>
#include <ostream>
#include <string>

#include <attn/attn.hpp>

#include "lesson.hpp"

namespace lessons::training {

void walkthrough(std::ostream& out) {
    attn::toy_config c;  // reverse, vocabulary 10, n = 10, d = 32, batches of 16, Adam at 0.003, seed 1
    attn::toy_trainer t(c);
    out << "Step 1. One attention layer, d = " << c.d << ", learns to reverse " << c.n << " symbols from 0.."
        << c.vocab - 1 << ".\n  Held-out loss (mean cross-entropy per symbol) and accuracy:\n"
        << "   step     loss   accuracy\n";
    attn::toy_eval e = t.evaluate();
    auto line = [&] {
        out << attn::format("  %5zu   %6.3f   %6.1f %%\n", t.steps(), double(e.loss), 100.0 * e.accuracy);
    };
    line();
    while (t.steps() < max_steps && e.loss >= target_loss) {
        for (int k = 0; k < 10; ++k) t.step();
        e = t.evaluate();
        if (t.steps() % 20 == 0 || e.loss < target_loss) line();
    }
    out << "  Below " << target_loss << " after " << t.steps() << " steps of " << c.batch << " sequences.\n";

    const auto x = probe();
    const auto y = t.predict(x);
    const attn::matrix A = t.attention_map(x);
    out << "\nStep 2. The attention map for the sequence 3 7 1 9 0 4 8 2 6 5 (rows: queries, columns: keys).\n";
    for (std::size_t i = 0; i < x.size(); ++i) {
        out << "  q" << i << "  ";
        for (std::size_t j = 0; j < x.size(); ++j) out << (A(i, j) > 0.5f ? " ■" : A(i, j) > 0.1f ? " ▪" : " ·");
        out << attn::format("   %.3f on key %zu\n", double(A(i, x.size() - 1 - i)), x.size() - 1 - i);
    }
    out << "  The anti-diagonal: query i looks at key n-1-i, where its answer is.\n\nStep 3. Input and answer:\n  in  ";
    for (auto s : x) out << ' ' << s;
    out << "\n  out ";
    for (auto s : y) out << ' ' << s;
    out << "\n";
}

}  // namespace lessons::training
