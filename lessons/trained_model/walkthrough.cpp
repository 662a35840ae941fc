// lessons/trained_model/walkthrough.cpp — `attnlab lesson trained_model`: the model's file, its
// held-out loss against a bigram model's, what it predicts and writes, and an induction head found
// by its score and tested by switching it off. The README quotes this output verbatim
// (trained_model.readme): the held-out loss the lesson states is this one.
#include <ostream>
#include <string>
#include <vector>

#include <attn/format.hpp>

#include "lesson.hpp"

namespace lessons::trained_model {

void walkthrough(std::ostream& out) {
    const example e = fixed_example();
    const attn::lm_model& m = course_model();
    attn::model_params<float> params = m.params;
    out << "Step 1. The model in model/course.weights: " << m.config.layers << " blocks of " << m.config.heads
        << " heads, d_model " << m.config.d_model << ", context " << m.config.context << " bytes, "
        << attn::format_count(double(params.count())) << " weights.\n";
    const held_out h = measure_held_out();
    out << "  Held-out loss on the last 10 % of the course's text, which training never saw:\n"
        << "    this model      " << attn::format("%.3f", h.model) << " nats per byte\n"
        << "    a bigram model  " << attn::format("%.3f", h.bigram)
        << " nats per byte (each byte from the one before)\n"
        << "    uniform         " << attn::format("%.3f", std::log(256.0)) << " nats per byte (ln 256)\n";

    out << "\nStep 2. After \"" << e.prompt << "\", the most likely next bytes:\n";
    const prediction p = predict(e.prompt, {}, 5);
    for (const candidate& c : p.top) out << attn::format("  %-4s %5.1f %%\n", c.byte.c_str(), 100 * c.p);
    out << "  entropy " << attn::format("%.2f", p.entropy) << " nats\n";

    out << "\nStep 3. Generated, 60 bytes after the prompt:\n"
        << "  greedy:                     \"" << write(e.prompt, 60, 0, 0, 1).text << "\"\n"
        << "  temperature 0.8, top-k 20:  \"" << write(e.prompt, 60, 0.8, 20, 1).text << "\"\n";

    const induction_probe r = induction(e.length, e.period, e.seed, {});
    out << "\nStep 4. A random string of " << e.period << " letters, said twice (" << e.length << " bytes, seed "
        << e.seed << "):\n  \"" << r.test.text << "\"\n"
        << "  surprisal of the first copy    " << attn::format("%.2f", r.test.first)
        << " nats per byte (ln 26 = " << attn::format("%.2f", std::log(26.0)) << ")\n"
        << "  surprisal of the second copy   " << attn::format("%.2f", r.test.later) << " nats per byte\n"
        << "  induction score of each head (mean weight on the byte after the earlier copy):\n";
    for (std::size_t l = 0; l < r.test.scores.size(); ++l) {
        out << "    layer " << l + 1 << ":";
        for (double s : r.test.scores[l]) out << attn::format("  %.3f", s);
        out << "\n";
    }
    const std::size_t head = r.best[0] * m.config.heads + r.best[1];
    const induction_probe off = induction(e.length, e.period, e.seed, {head});
    std::vector<std::size_t> copiers;  // every head whose induction score is at least 0.5
    for (std::size_t l = 0; l < r.test.scores.size(); ++l)
        for (std::size_t h = 0; h < r.test.scores[l].size(); ++h)
            if (r.test.scores[l][h] >= 0.5) copiers.push_back(l * m.config.heads + h);
    const induction_probe all = induction(e.length, e.period, e.seed, copiers);
    out << "\nStep 5. Switch heads off and read the second copy's surprisal again (it was "
        << attn::format("%.2f", r.test.later) << "):\n"
        << attn::format("  %-45s %5.2f nats per byte\n",
                        ("the best (layer " + std::to_string(r.best[0] + 1) + " head " + std::to_string(r.best[1] + 1) +
                         ") off:")
                            .c_str(),
                        off.test.later)
        << attn::format("  %-45s %5.2f nats per byte (the first copy: %.2f)\n",
                        ("all " + std::to_string(copiers.size()) + " heads with a score of 0.5 or more off:").c_str(),
                        all.test.later, all.test.first);
}

}  // namespace lessons::trained_model
