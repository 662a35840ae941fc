// web/checks/bindings.cpp — checks.mjs: the self-checks, for every lesson page.
//
//   questions(slug)    -> {ok, questions: [{id, prompt, kind, options, hints}]}
//   all_counts()       -> {ok, counts: {slug: number of questions}}  (the index's progress)
//   grade(id, answer)  -> {ok, correct, expected, feedback}; answer is text (a choice's index)
// One small module shared by all pages (assets/checks/), separate from the
// lessons' own modules, so a page's self-checks work even before its widgets do.
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
struct counts {
    std::map<std::string, std::size_t> counts;
    ATTN_FIELDS(counts)
};
struct graded {
    bool correct;
    std::string expected, feedback;
    ATTN_FIELDS(correct, expected, feedback)
};

question_list questions(std::string slug) {
    const checks::lesson_questions& l = checks::lesson(slug);
    question_list out;
    for (const auto& q : l.questions)
        out.questions.push_back({l.slug + "." + q.name, q.prompt,
                                 q.type == checks::kind::choice   ? "choice"
                                 : q.type == checks::kind::number ? "number"
                                                                  : "vector",
                                 q.options, q.hints});
    return out;
}

counts all_counts() {
    counts out;
    for (const auto& l : checks::lesson_tables()) out.counts[l.slug] = l.questions.size();
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
}
