// web/checks/bindings.cpp — checks.mjs: the self-checks, for every lesson page.
//
//   questions(slug)    -> {ok, questions: [{id, prompt, kind, options, hints}]}
//   all_counts()       -> {ok, counts: {slug: number of questions}}  (the index's progress)
//   grade(id, answer)  -> {ok, correct, expected, feedback}; answer is text (a choice's index)
//   sheet(slug)        -> {ok, items: [{id, prompt, kind, options, paper, grid, given: [{name, value}]}]}
//                         a worksheet's questions: the self-checks, then the pencil-and-paper exercises
//   key(slug)          -> {ok, items: [{… as sheet, answer, values, why, hints, steps}]}
//                         the answer key: every answer computed here, as the page grades it
//   use_model(bytes)   -> {ok, …}: the course's model (assets/model/course.weights), which a few
//                         answers are computed from; until then they say "the model is not loaded yet"
// The page asks only the self-checks (paper: false); the worksheets and the answer key print all.
// One small module shared by all pages (assets/checks/), separate from the
// lessons' own modules, so a page's self-checks work even before its widgets do.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "checks.hpp"
#include "convert.hpp"

namespace {

struct question_view {
    std::string id, prompt, kind;
    std::vector<std::string> options, hints;
    ATTN_FIELDS(id, prompt, kind, options, hints)
};
struct question_list {
    std::vector<question_view> questions;
    ATTN_FIELDS(questions)
};
struct given_view {
    std::string name;
    attn::matrix value;
    ATTN_FIELDS(name, value)
};
struct item_view {
    std::string id, prompt, kind;
    std::vector<std::string> options;
    bool paper;
    std::vector<std::size_t> grid;
    std::vector<given_view> given;
    ATTN_FIELDS(id, prompt, kind, options, paper, grid, given)
};
struct sheet_view {
    std::vector<item_view> items;
    ATTN_FIELDS(items)
};
struct key_item : item_view {         // what the worksheet prints, and:
    std::string answer;               // as the page says it when graded
    std::vector<std::string> values;  // each number (or the option), in the grid's order
    std::string why;
    std::vector<std::string> hints, steps;
    ATTN_FIELDS(id, prompt, kind, options, paper, grid, given, answer, values, why, hints, steps)
};
struct key_view {
    std::vector<key_item> items;
    ATTN_FIELDS(items)
};
struct counts {
    std::map<std::string, std::size_t> counts;
    ATTN_FIELDS(counts)
};
struct graded {
    bool correct;
    std::string expected, feedback;
    ATTN_FIELDS(correct, expected, feedback)
};

std::string kind_name(checks::kind k) {
    return k == checks::kind::choice ? "choice" : k == checks::kind::number ? "number" : "vector";
}

question_list questions(std::string slug) {
    const checks::lesson_questions& l = checks::lesson(slug);
    question_list out;
    for (const auto& q : l.questions)
        if (!q.paper) out.questions.push_back({l.slug + "." + q.name, q.prompt, kind_name(q.type), q.options, q.hints});
    return out;
}

counts all_counts() {
    counts out;
    for (const auto& l : checks::lesson_tables())
        out.counts[l.slug] =
            std::count_if(l.questions.begin(), l.questions.end(), [](const auto& q) { return !q.paper; });
    return out;
}

/// The self-checks first, then the pencil-and-paper exercises, each in checks.json's order.
std::vector<const checks::question*> worksheet_order(const checks::lesson_questions& l) {
    std::vector<const checks::question*> out;
    for (bool paper : {false, true})
        for (const auto& q : l.questions)
            if (q.paper == paper) out.push_back(&q);
    return out;
}

item_view item(const std::string& slug, const checks::question& q) {
    item_view v{slug + "." + q.name, q.prompt, kind_name(q.type), q.options, q.paper, q.grid, {}};
    if (q.inputs)
        for (const auto& g : q.inputs()) v.given.push_back({g.name, g.value});
    return v;
}

sheet_view sheet(std::string slug) {
    const checks::lesson_questions& l = checks::lesson(slug);
    sheet_view out;
    for (const auto* q : worksheet_order(l)) out.items.push_back(item(l.slug, *q));
    return out;
}

key_view key(std::string slug) {
    const checks::lesson_questions& l = checks::lesson(slug);
    key_view out;
    for (const auto* q : worksheet_order(l)) {
        const std::vector<std::string> values = checks::answer_texts(*q, q->solve());
        out.items.push_back({item(l.slug, *q), checks::joined(values), values, q->why, q->hints,
                             q->steps ? q->steps() : std::vector<std::string>{}});
    }
    return out;
}

graded grade(std::string id, std::string answer) {
    const checks::grade_result r = checks::grade(id, answer);
    return {r.correct, r.expected, r.feedback};
}

}  // namespace

EMSCRIPTEN_BINDINGS(checks) {
    web::export_fn<&questions>("questions", {"the lesson"});
    web::export_fn<&all_counts>("all_counts");
    web::export_fn<&grade>("grade", {"the question", "the answer"});
    web::export_fn<&sheet>("sheet", {"the lesson"});
    web::export_fn<&key>("key", {"the lesson"});
    // The course's trained model, for the questions answered from it (progress.js's askChecks).
    web::export_fn<&lessons::use_model>("use_model", {"the weights"});
}
