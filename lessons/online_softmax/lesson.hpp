// lessons/online_softmax/lesson.hpp — lesson 08's C++ API: the row the step debugger starts
// from, its trace, and two halves merged.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <attn/fields.hpp>
#include <attn/online.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::online_softmax {

/// The digits of π: the maximum grows three times (3 → 4 → 5 → 9) and then holds.
inline attn::vector example_scores() { return {3, 1, 4, 1, 5, 9, 2, 6}; }

struct example {
    attn::vector z;
    ATTN_FIELDS(z)
};
inline example fixed_example() { return {example_scores()}; }

/// The step debugger's rows (with each score's position j folded in as its value, so the output
/// o / ℓ is the weights' centre), and the softmax both ways: online (p) and three-pass (p3).
struct traced {
    std::vector<attn::online_step> steps;
    attn::vector p, p3;
    ATTN_FIELDS(steps, p, p3)
};
inline traced trace(const attn::vector& z) {
    return {attn::online_softmax_trace(z, xt::arange<attn::real>(attn::real(z.size()))), attn::online_softmax(z),
            attn::softmax(z)};
}

/// The row cut in two at `cut`, each half's (m, ℓ), and the two merged.
struct split {
    attn::online_state left, right, merged;
    ATTN_FIELDS(left, right, merged)
};
inline split halves(const attn::vector& z, std::size_t cut) {
    attn::require_whole_in("the cut", double(cut), 0, double(z.size()));
    split s;
    for (std::size_t j = 0; j < z.size(); ++j) attn::online_update(j < cut ? s.left : s.right, z(j));
    s.merged = attn::merge(s.left, s.right);
    return s;
}

/// What `attnlab example 8 --json` prints: the example's trace.
inline traced example_values() { return trace(example_scores()); }

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_z = checks::mat({{2, 0, 3}});
    const attn::matrix ex_a = checks::mat({{3, 1.5f}}), ex_b = checks::mat({{2, 2}});
    return {
        {"online-l",
         [] {
             attn::online_state s;
             attn::online_update(s, 1);
             attn::online_update(s, 3);
             return std::vector<double>{s.l};
         }},
        {"merge",
         [] {
             return std::vector<double>{attn::merge(attn::online_state{2, 1.5f}, attn::online_state{3, 1}).l};
         },
         {[] { return std::vector<double>{2.5}; }}},
        {"why-online",
         [] {
             // a row split anywhere and merged gives the state of the whole row
             const attn::vector z = vec({0.5f, 3, -1, 2, 4, 1});
             attn::online_state whole, a, b;
             for (std::size_t j = 0; j < 6; ++j)
                 attn::online_update(j < 2 ? a : b, z(j)), attn::online_update(whole, z(j));
             const attn::online_state ab = attn::merge(a, b);
             return std::vector<double>{std::abs(ab.l - whole.l) < 1e-6 && ab.m == whole.m ? 1.0 : 0.0};
         },
         {[] { return std::vector<double>{0}; }, [] { return std::vector<double>{2}; },
          [] { return std::vector<double>{3}; }}},
        {"paper-trace",
         [=] {
             std::vector<double> out;
             attn::online_state s;
             for (float z : ex_z) {
                 attn::online_update(s, z);
                 out.push_back(s.m);
                 out.push_back(s.l);
             }
             return out;
         },
         {},
         [=] {
             return std::vector<checks::given>{{"z", ex_z}};
         },
         [=] {
             std::vector<std::string> lines;
             attn::online_state s;
             for (float z : ex_z) {
                 const attn::online_state before = s;
                 attn::online_update(s, z);
                 lines.push_back("score " + checks::num(z) + ": m = " + checks::num(s.m) + ", ℓ = " +
                                 (std::isinf(before.m) ? std::string("e^0 = 1.000")
                                                       : checks::text(before.l, 3) + "·e^(" + checks::num(before.m) +
                                                             " − " + checks::num(s.m) + ") + e^(" + checks::num(z) +
                                                             " − " + checks::num(s.m) + ") = " + checks::text(s.l, 3)));
             }
             return lines;
         }},
        {"paper-merge",
         [=] {
             const attn::online_state m =
                 attn::merge(attn::online_state{ex_a(0, 0), ex_a(0, 1)}, attn::online_state{ex_b(0, 0), ex_b(0, 1)});
             return std::vector<double>{m.m, m.l};
         },
         {},
         [=] {
             return std::vector<checks::given>{{"a: (m, ℓ)", ex_a}, {"b: (m, ℓ)", ex_b}};
         },
         [=] {
             const attn::online_state m =
                 attn::merge(attn::online_state{ex_a(0, 0), ex_a(0, 1)}, attn::online_state{ex_b(0, 0), ex_b(0, 1)});
             return std::vector<std::string>{
                 "m = max(" + checks::num(ex_a(0, 0)) + ", " + checks::num(ex_b(0, 0)) + ") = " + checks::num(m.m),
                 "ℓ = " + checks::num(ex_a(0, 1)) + "·e^(" + checks::num(ex_a(0, 0)) + " − " + checks::num(m.m) +
                     ") + " + checks::num(ex_b(0, 1)) + "·e^(" + checks::num(ex_b(0, 0)) + " − " + checks::num(m.m) +
                     ") = " + checks::text(m.l, 3)};
         }},
    };
}

}  // namespace lessons::online_softmax
