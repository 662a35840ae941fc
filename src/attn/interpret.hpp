// attn/interpret.hpp — reading attention maps: what they show, and what they hide.
//
// Teaches (lesson "reading attention maps"): a map says where a head looked, not whether what it
// found was used. Every figure the lesson shows is one of these, measured on the course's model
// (attn/inspect.hpp) or on two small models trained here:
//   head_report       per head, what its map looks like (how peaked, how much on the first token,
//                     how much on the previous one) beside what switching it off costs in loss
//   attention_rollout the maps of all layers multiplied through, half of each row kept on the
//                     residual path (Abnar & Zuidema 2020)
//   attributions      for one prediction, how much each earlier byte matters by three measures:
//                     the last layer's weights, the rollout, and occlusion (replace the byte, and
//                     measure how much less likely the prediction becomes)
//   spearman          how far two such rankings agree
//   needle_recall     where in a prompt a random string is copied best (Liu et al. 2023 ask this of
//                     large models)
//   two_ways          one task, copying, solved by two models whose maps disagree
// Leaves out: gradient-based attributions, activation patching and circuit analysis, which the
// lesson names as where to go next.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "fields.hpp"
#include "inspect.hpp"
#include "train.hpp"

namespace attn {

/// One head's map, summarised, beside what the model loses without it.
struct head_row {
    std::size_t layer, head;
    double peak;      // mean over queries of the largest weight in the row: 1 = always one key
    double first;     // mean weight on key 0 (queries 1 and on): the "sink" of Xiao et al. 2023
    double previous;  // mean weight on key i − 1 (queries 1 and on)
    double ablation;  // mean loss with this head off minus with every head on, nats per byte
    ATTN_FIELDS(layer, head, peak, first, previous, ablation)
};

/// Every head of the model on `text`: how its map looks, and what removing it costs.
inline std::vector<head_row> head_report(const lm_model& m, const std::string& text) {
    const std::vector<std::size_t> x = model_tokens(m, text);
    if (x.size() < 3) throw value_error("head_report: give at least 3 bytes of text");
    const auto maps = attention_maps(m, x);
    const std::vector<double> base = surprisal(m, x);
    const double on = mean_of(base, 0, base.size());
    std::vector<head_row> rows;
    for (std::size_t l = 0; l < m.config.layers; ++l)
        for (std::size_t h = 0; h < m.config.heads; ++h) {
            const matrix& A = maps[l][h];
            const std::size_t n = A.shape(0);
            double peak = 0, first = 0, previous = 0;
            for (std::size_t i = 1; i < n; ++i) {
                double top = 0;
                for (std::size_t j = 0; j <= i; ++j) top = std::max(top, double(A(i, j)));
                peak += top / double(n - 1);
                first += double(A(i, 0)) / double(n - 1);
                previous += double(A(i, i - 1)) / double(n - 1);
            }
            head_mask off = all_heads_on(m.config);
            off[l][h] = true;
            const std::vector<double> without = surprisal(m, x, &off);
            rows.push_back({l, h, peak, first, previous, mean_of(without, 0, without.size()) - on});
        }
    return rows;
}

// [rollout]
/// Attention rollout (Abnar & Zuidema 2020): each layer's map averaged over its heads, with the
/// residual connection counted as half of every row (Â = ½·A + ½·I, rows renormalised), then
/// multiplied from the first layer up: R = Â_L ⋯ Â_2·Â_1. Row i of R spreads query i's
/// attention, through every layer, over the input tokens. `layers[l]` is layer l's (n, n) map.
/// paper: Â = 0.5·A + 0.5·I, rows renormalised; R = Â_L ⋯ Â_1 (Abnar & Zuidema 2020)
inline matrix attention_rollout(const std::vector<matrix>& layers) {
    if (layers.empty()) throw value_error("attention_rollout: no layers");
    const std::size_t n = layers[0].shape(0);
    matrix R = xt::eye<real>(n);
    for (const matrix& A : layers) {
        require_shapes(A.shape(0) == n && A.shape(1) == n, "attention_rollout", "layer 0's map", layers[0],
                       "another layer's map", A, "every layer's map is (n, n) for the same n tokens");
        matrix M = 0.5f * A + 0.5f * xt::eye<real>(n);  // the residual stream carries half
        for (std::size_t i = 0; i < n; ++i) {
            real sum = 0;
            for (std::size_t j = 0; j < n; ++j) sum += M(i, j);
            for (std::size_t j = 0; j < n; ++j) M(i, j) /= sum;
        }
        matrix next = xt::zeros<real>({n, n});  // next = M·R: this layer over everything below it
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < n; ++k)
                for (std::size_t j = 0; j < n; ++j) next(i, j) += M(i, k) * R(k, j);
        R = std::move(next);
    }
    return R;
}
// [rollout]

/// Each layer's map averaged over its heads: what attention_rollout takes.
inline std::vector<matrix> head_means(const std::vector<std::vector<matrix>>& maps) {
    std::vector<matrix> out;
    for (const auto& layer : maps) {
        matrix mean = xt::zeros<real>(layer.at(0).shape());
        for (const matrix& A : layer) mean += A / real(layer.size());
        out.push_back(mean);
    }
    return out;
}

/// Spearman's rank correlation of a and b (ties share their mean rank): 1 when they order the
/// items alike, −1 when one reverses the other.
inline double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size() || a.size() < 2)
        throw value_error("spearman: two lists of the same length, at least 2, not " + std::to_string(a.size()) +
                          " and " + std::to_string(b.size()));
    const auto ranks = [](const std::vector<double>& v) {
        std::vector<std::size_t> order(v.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return v[i] < v[j]; });
        std::vector<double> r(v.size());
        for (std::size_t s = 0; s < order.size();) {
            std::size_t e = s;
            while (e + 1 < order.size() && v[order[e + 1]] == v[order[s]]) ++e;
            for (std::size_t k = s; k <= e; ++k) r[order[k]] = double(s + e) / 2;
            s = e + 1;
        }
        return r;
    };
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double ma = mean_of(ra, 0, ra.size()), mb = mean_of(rb, 0, rb.size());
    double num = 0, da = 0, db = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        num += (ra[i] - ma) * (rb[i] - mb);
        da += (ra[i] - ma) * (ra[i] - ma);
        db += (rb[i] - mb) * (rb[i] - mb);
    }
    if (da == 0 || db == 0) return 0;  // one list is constant: no order to agree with
    return num / std::sqrt(da * db);
}

/// How much each byte of `text` matters to the model's prediction after it, three ways.
struct attribution {
    std::string text;
    std::size_t predicted;          // the most likely next byte
    double probability;             // its probability
    std::vector<double> attention;  // last layer, heads averaged: the last query's row
    std::vector<double> rollout;    // attention_rollout's last row
    std::vector<double> occlusion;  // ln p(predicted) − ln p(predicted | byte j replaced by '_')
    double attention_vs_occlusion, rollout_vs_occlusion;  // spearman of each with occlusion
    ATTN_FIELDS(text, predicted, probability, attention, rollout, occlusion, attention_vs_occlusion,
                rollout_vs_occlusion)
};
inline attribution attributions(const lm_model& m, const std::string& text) {
    const std::vector<std::size_t> x = model_tokens(m, text);
    if (x.size() < 2) throw value_error("attributions: give at least 2 bytes of text");
    const std::size_t n = x.size();
    const std::vector<double> p = probabilities(model_forward<float>(m.params, m.config, x), n - 1);
    const std::size_t best = std::size_t(std::max_element(p.begin(), p.end()) - p.begin());
    attribution r{text, best, p[best], {}, {}, {}, 0, 0};
    const auto maps = attention_maps(m, x);
    const std::vector<matrix> means = head_means(maps);
    const matrix R = attention_rollout(means);
    for (std::size_t j = 0; j < n; ++j) {
        r.attention.push_back(means.back()(n - 1, j));
        r.rollout.push_back(R(n - 1, j));
        std::vector<std::size_t> y = x;
        y[j] = x[j] == '_' ? ' ' : '_';
        const std::vector<double> q = probabilities(model_forward<float>(m.params, m.config, y), n - 1);
        r.occlusion.push_back(std::log(p[best]) - std::log(q[best]));
    }
    r.attention_vs_occlusion = spearman(r.attention, r.occlusion);
    r.rollout_vs_occlusion = spearman(r.rollout, r.occlusion);
    return r;
}

/// A random "needle" of letters placed at one depth of a window of text, and said again at the
/// window's end: how well the model completes the second copy once it has seen its first `cue`
/// letters (the mean probability of the rest, each given the letters before it), by where the
/// first copy sat. `filler` supplies the text around the needle.
struct needle_point {
    std::size_t depth;   // the byte the first copy starts at
    double probability;  // mean probability of the second copy's letters after the cue
    ATTN_FIELDS(depth, probability)
};
inline std::vector<needle_point> needle_recall(const lm_model& m, const std::string& filler, std::size_t needle,
                                               std::size_t cue, std::size_t trials, std::uint64_t seed) {
    const std::size_t n = m.config.context;
    require_in("needle_recall: needle", double(needle), 2, double(n / 2));
    require_in("needle_recall: cue", double(cue), 1, double(needle) - 1);
    require_in("needle_recall: trials", double(trials), 1, 1000);
    if (filler.size() < n)
        throw value_error("needle_recall: the filler needs at least " + std::to_string(n) + " bytes");
    std::vector<needle_point> out;
    rng g(seed);
    for (std::size_t depth = 0; depth + 2 * needle <= n; depth += 8) {
        double sum = 0;
        for (std::size_t t = 0; t < trials; ++t) {
            const std::vector<std::size_t> s = repeated_string(needle, needle, g);  // needle random letters
            std::vector<std::size_t> x = encode_bytes(filler.substr(g.below(filler.size() - n + 1), n));
            std::copy(s.begin(), s.end(), x.begin() + std::ptrdiff_t(depth));  // the first copy
            std::copy(s.begin(), s.end(), x.end() - std::ptrdiff_t(needle));   // the second, at the end
            const tensor2<float> z = model_forward<float>(m.params, m.config, x);
            double prob = 0;
            for (std::size_t k = cue; k < needle; ++k) prob += probabilities(z, n - needle + k - 1)[s[k]];
            sum += prob / double(needle - cue);
        }
        out.push_back({depth, sum / double(trials)});
    }
    return out;
}

// [two_ways]
/// Copying a sequence of symbols, learned by two models: lesson 15's attention-only model (no
/// residual: whatever reaches the read-out came through attention) and a one-block transformer
/// (attn/transformer.hpp, one head, causal), whose residual stream can carry each symbol past
/// attention untouched. Both learn the task. What their maps suggest is tested three ways: switch
/// the head off; redraw every other symbol (a model that reads its answer from another position
/// would lose it); and how consistently each symbol's queries look at one fixed position.
struct copy_model {
    std::string name;
    double accuracy, accuracy_without_attention;  // held-out, per symbol
    double accuracy_others_replaced;              // each position's answer with every other symbol redrawn
    double fixed_position;  // the share of queries whose most-attended key is their symbol's usual position
    matrix map;             // the head's map on the probe sequence
    ATTN_FIELDS(name, accuracy, accuracy_without_attention, accuracy_others_replaced, fixed_position, map)
};
struct two_ways_result {
    std::vector<std::size_t> probe;
    copy_model attention_only, with_residual;
    ATTN_FIELDS(probe, attention_only, with_residual)
};
inline two_ways_result two_ways(std::size_t steps, std::uint64_t seed) {
    require_in("two_ways: steps", double(steps), 1, 5000);
    const std::size_t vocab = 10, n = 10;
    two_ways_result r;
    rng held(seed * 7 + 3);
    std::vector<std::vector<std::size_t>> eval(64, std::vector<std::size_t>(n));
    for (auto& x : eval)
        for (auto& s : x) s = held.below(vocab);
    r.probe = eval[0];

    // lesson 15's model, trained on copy
    toy_config tc;
    tc.task = toy_task::copy, tc.vocab = vocab, tc.n = n, tc.seed = seed;
    toy_trainer toy(tc);
    for (std::size_t s = 0; s < steps; ++s) toy.step();
    // Position i's answer when every other symbol is drawn again: a model that reads position i's
    // symbol from another position (as a map pointing there suggests) would lose it.
    const auto others_replaced = [&](const auto& answer) {
        rng redraw(seed * 7 + 5);
        double right = 0;
        for (const auto& x : eval)
            for (std::size_t i = 0; i < n; ++i) {
                std::vector<std::size_t> y = x;
                for (std::size_t j = 0; j < n; ++j)
                    if (j != i) y[j] = redraw.below(vocab);
                right += answer(y, i) == x[i];
            }
        return right / double(eval.size() * n);
    };
    // For each symbol, the key position its queries look at most often; the share of all queries
    // that look there: near 1 when the map is a code (symbol → position), whatever stands there.
    const auto fixed_position = [&](const auto& map_of) {
        std::vector<std::vector<double>> seen(vocab, std::vector<double>(n, 0.0));
        for (const auto& x : eval) {
            const matrix A = map_of(x);
            for (std::size_t i = 0; i < n; ++i) {
                std::size_t top = 0;
                for (std::size_t j = 1; j < n; ++j)
                    if (A(i, j) > A(i, top)) top = j;
                seen[x[i]][top] += 1;
            }
        }
        double usual = 0;
        for (const auto& row : seen) usual += *std::max_element(row.begin(), row.end());
        return usual / double(eval.size() * n);
    };
    const auto toy_accuracy = [&](bool without) {
        toy_model m = toy.model();
        if (without) m.W_v.fill(0);  // the head's output is O = P·X·W_v: zero it
        double right = 0;
        for (const auto& x : eval) {
            const toy_pass f = toy_forward(m, x);
            for (std::size_t i = 0; i < n; ++i) right += argmax_row(f.probs, i) == x[i];
        }
        return right / double(eval.size() * n);
    };
    r.attention_only = {"attention only (lesson 15)",
                        toy_accuracy(false),
                        toy_accuracy(true),
                        others_replaced([&](const std::vector<std::size_t>& y, std::size_t i) {
                            return argmax_row(toy_forward(toy.model(), y).probs, i);
                        }),
                        fixed_position([&](const std::vector<std::size_t>& x) { return toy.attention_map(x); }),
                        toy.attention_map(r.probe)};

    // a one-block transformer, trained on the same task with AdamW
    block_config bc;
    bc.vocab = vocab, bc.context = n, bc.d_model = 32, bc.heads = 1, bc.layers = 1;
    rng g(seed);
    model_params<float> p = model_init<float>(bc, g), mom = model_zeros<float>(bc), var = model_zeros<float>(bc);
    const std::vector<bool> decay = decays(p);
    adamw_config opt;
    opt.lr = 3e-3, opt.warmup = 20, opt.total = steps, opt.weight_decay = 0;
    rng data(seed * 2 + 1);
    for (std::size_t t = 1; t <= steps; ++t) {
        model_params<float> grad = model_zeros<float>(bc);
        for (std::size_t b = 0; b < 16; ++b) {
            std::vector<std::size_t> x(n);
            for (auto& s : x) s = data.below(vocab);
            model_backward(p, bc, x, x, grad);
        }
        const auto ps = p.params(), gs = grad.params(), ms = mom.params(), vs = var.params();
        for (std::size_t k = 0; k < ps.size(); ++k) {
            *gs[k] /= 16.0f;
            adamw_update(*ps[k], *gs[k], *ms[k], *vs[k], t, scheduled_lr(opt, t), opt, decay[k]);
        }
    }
    const lm_model block{bc, p};
    const auto block_accuracy = [&](bool without) {
        head_mask off = all_heads_on(bc);
        off[0][0] = without;
        double right = 0;
        for (const auto& x : eval) {
            const tensor2<float> z = model_forward<float>(p, bc, x, nullptr, &off);
            for (std::size_t i = 0; i < n; ++i) right += argmax_row(z, i) == x[i];
        }
        return right / double(eval.size() * n);
    };
    r.with_residual = {
        "one transformer block",
        block_accuracy(false),
        block_accuracy(true),
        others_replaced([&](const std::vector<std::size_t>& y, std::size_t i) {
            return argmax_row(model_forward<float>(p, bc, y), i);
        }),
        fixed_position([&](const std::vector<std::size_t>& x) { return attention_maps(block, x)[0][0]; }),
        attention_maps(block, r.probe)[0][0]};
    return r;
}
// [two_ways]

}  // namespace attn
