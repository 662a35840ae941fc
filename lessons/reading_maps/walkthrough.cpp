// lessons/reading_maps/walkthrough.cpp — `attnlab lesson reading_maps`: every head of the course's
// model, what its map looks like beside what removing it costs; one prediction's bytes ranked by
// attention, rollout and occlusion; where a needle is recalled; and one task solved by two models
// with different maps. The README quotes this output verbatim (reading_maps.readme).
#include <ostream>
#include <string>

#include <attn/format.hpp>

#include "lesson.hpp"

namespace lessons::reading_maps {

void walkthrough(std::ostream& out) {
    const example e = fixed_example();
    const head_table t = heads(e.period, e.seed);
    out << "Step 1. A random string of " << e.period << " letters said twice (seed " << e.seed
        << "); the model copies it:\n"
        << "        surprisal " << attn::format("%.2f", t.first) << " nats per byte on the first copy, "
        << attn::format("%.2f", t.second) << " on the second.\n"
        << "        What each head's map looks like, and what the second copy costs without the head:\n"
        << "  head   copying (induction)   previous byte   first byte   peak   second copy without it\n";
    for (std::size_t k = 0; k < t.heads.size(); ++k) {
        const attn::head_row& h = t.heads[k];
        out << attn::format("  L%zu H%zu   %19.2f   %13.2f   %10.2f   %4.2f   %+22.2f\n", h.layer + 1, h.head + 1,
                            t.copying[k], h.previous, h.first, h.peak, t.copy_cost[k]);
    }
    out << "  Spearman's ρ over the 8 heads, against the cost: copying " << attn::format("%+.2f", t.copying_vs_cost)
        << ", previous byte " << attn::format("%+.2f", t.previous_vs_cost) << ".\n";

    const attn::attribution a = attribute(e.attribution_text);
    out << "\nStep 2. After \"" << a.text << "\" the model predicts '" << attn::decode_bytes({a.predicted}) << "' ("
        << attn::format("%.0f", 100 * a.probability) << " %). Which earlier bytes matter, by three measures:\n";
    const auto top = [&](const std::vector<double>& v) {
        std::vector<std::size_t> order(v.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return v[i] > v[j]; });
        std::string s;
        for (std::size_t k = 0; k < 5; ++k)
            s += attn::format("%s%zu '%s'", k ? ", " : "", order[k],
                              a.text[order[k]] == ' ' ? "␣" : std::string(1, a.text[order[k]]).c_str());
        return s;
    };
    out << "  last layer's attention:  " << top(a.attention) << "\n"
        << "  rollout, both layers:    " << top(a.rollout) << "\n"
        << "  occlusion (replaced):    " << top(a.occlusion) << "\n"
        << "  Spearman's ρ with occlusion: attention " << attn::format("%+.2f", a.attention_vs_occlusion)
        << ", rollout " << attn::format("%+.2f", a.rollout_vs_occlusion) << "\n";

    out << "\nStep 3. A needle of " << e.needle << " random letters at one depth of a 128-byte window of prose,\n"
        << "        said again at the end; the mean probability of its letters after the first " << e.cue << " ("
        << e.trials << " trials each):\n  depth ";
    const auto points = needle(e.trials, e.seed);
    for (const auto& p : points) out << attn::format(" %4zu", p.depth);
    out << "\n  p     ";
    for (const auto& p : points) out << attn::format(" %4.2f", p.probability);
    out << "\n";

    const attn::two_ways_result w = two(e.steps, e.seed);
    out << "\nStep 4. Copying 10 symbols, learned in " << e.steps << " steps by two models. The probe: ";
    for (std::size_t x : w.probe) out << x << ' ';
    out << "\n  model                       accuracy  without attention  others redrawn  same symbol  fixed position\n";
    for (const attn::copy_model* m : {&w.attention_only, &w.with_residual})
        out << attn::format("  %-27s %6.0f %%  %15.0f %%  %12.0f %%  %11.2f  %14.2f\n", m->name.c_str(),
                            100 * m->accuracy, 100 * m->accuracy_without_attention, 100 * m->accuracy_others_replaced,
                            same_symbol(m->map, w.probe), m->fixed_position);
    out << "  others redrawn: each position's answer with every other symbol of the input drawn again.\n"
        << "  same symbol: the probe's map's weight on keys holding the query's symbol (a uniform map: about\n"
        << "  0.19 for the first model, which sees every key, and more for the causal block, whose first\n"
        << "  rows see few). fixed position: the share of queries whose most-attended key is the position\n"
        << "  their symbol's queries look at most often.\n";
}

}  // namespace lessons::reading_maps
