// lessons/transformer_block/walkthrough.cpp — `attnlab lesson transformer_block`: layer norm on one
// row, a text's residual stream through the course's trained model, the model's weights by part,
// and where the FLOPs go as the text grows. The README quotes this output verbatim
// (transformer_block.readme), so every number in the lesson's text is computed here.
#include <ostream>
#include <string>

#include <attn/format.hpp>

#include "lesson.hpp"

namespace lessons::transformer_block {

void walkthrough(std::ostream& out) {
    const example e = fixed_example();
    const norm_steps s = normalise(e.x, e.g, e.b);
    out << "Step 1. Layer norm of one token's row x = " << attn::format_row(e.x, 3) << " (gain 1, shift 0):\n"
        << "  mean " << attn::format_number(s.mean, 4) << ", variance " << attn::format_number(s.variance, 4)
        << " (the mean of the squared differences, over d = 5)\n"
        << "  x̂ = (x − mean)/√(variance + 1e-5) = " << attn::format_row(s.xhat, 4) << "\n"
        << "  its mean is 0 and its variance 1, whatever the row's scale was.\n";

    const attn::block_config c = course_model().config;
    out << "\nStep 2. The course's model: " << c.layers << " blocks of " << c.heads << " heads, d_model " << c.d_model
        << ", MLP " << c.d_ff() << " wide, context " << c.context << ". Its weights by part:\n";
    double all = 0;
    for (const auto& w : weight_counts()) all += w.count;
    for (const auto& w : weight_counts())
        out << attn::format("  %-30s %9s  %5.1f %%\n", w.part.c_str(), attn::format_count(w.count).c_str(),
                            100 * w.count / all);
    out << attn::format("  %-30s %9s\n", "in all", attn::format_count(all).c_str());

    const stream_trace t = stream(e.text);
    out << "\nStep 3. \"" << e.text << "\" through the model: the residual stream's length |x| for the\n"
        << "        tokens 't', 'c' and 'm', and what each layer added to it (|added|):\n"
        << "  stage          |x| t   |x| c   |x| m   |added| t  |added| c  |added| m\n";
    const std::size_t picks[] = {0, 4, 19};
    for (std::size_t k = 0; k < t.stages.size(); ++k) {
        out << attn::format("  %-12s", t.stages[k].c_str());
        for (std::size_t i : picks) out << attn::format("  %6.2f", t.length[k][i]);
        for (std::size_t i : picks) out << attn::format("   %8.2f", t.added[k][i]);
        out << "\n";
    }
    out << "  Each layer adds to the stream; none replaces it.\n";

    out << "\nStep 4. Forward FLOPs of one layer per token, and the length n from which attention's\n"
        << "        Q·Kᵀ and P·V (4·n·heads·d_head) cost more than the projections and the MLP:\n"
        << "  model                  weights/layer  proj+MLP FLOPs/token  n where n² wins\n";
    for (const attn::block_budget& b : budgets(1)) {
        const double layers = b.projections / (2 * b.attention_weights);  // projections = 2·weights·n·layers, n = 1
        out << attn::format("  %-22s %13s  %20s  %15s\n", b.name.c_str(),
                            attn::format_count(b.attention_weights + b.mlp_weights).c_str(),
                            attn::format_count((b.projections + b.mlp) / layers).c_str(),
                            attn::format_count(b.crossover).c_str());
    }
    const attn::block_budget at = budgets(128)[0];
    out << "  This model reads at most " << c.context << " tokens: at n = " << c.context << ", Q·Kᵀ and P·V (in full)\n"
        << "  are " << attn::format("%.0f", 100 * at.scores / (at.scores + at.projections + at.mlp))
        << " % of its blocks' FLOPs; a causal kernel does about half of them.\n";
}

}  // namespace lessons::transformer_block
