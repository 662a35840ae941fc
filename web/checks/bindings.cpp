// web/checks/bindings.cpp — checks.mjs: the self-checks, for every lesson page.
//
//   questions(lesson)  -> {ok, questions: [{id, prompt, kind, options, hints}]}
//   all_counts()       -> {ok, counts: {lesson: number of questions}}  (the index's progress)
//   grade(id, answer)  -> {ok, correct, expected, feedback}; answer is text (a choice's index)
// One small module shared by all pages (assets/checks/), separate from the
// lessons' own modules, so a page's self-checks work even before its widgets do.
#include <emscripten/bind.h>

#include "checks.hpp"
#include "convert.hpp"

namespace {

using web::val;

const char* kind_name(checks::kind k) {
    return k == checks::kind::choice ? "choice" : k == checks::kind::number ? "number" : "vector";
}

val questions(val lesson) {
    return web::guarded([&] {
        const auto id = int(web::to_whole(lesson, "lesson", 1, 99));
        val list = val::array();
        for (const auto& q : checks::all()) {
            if (q.lesson != id) continue;
            val item = val::object();
            item.set("id", q.id);
            item.set("prompt", q.prompt);
            item.set("kind", std::string(kind_name(q.type)));
            item.set("options", web::from_strings(q.options));
            item.set("hints", web::from_strings(q.hints));
            list.call<void>("push", item);
        }
        val out = val::object();
        out.set("questions", list);
        return out;
    });
}

val all_counts() {
    return web::guarded([] {
        val counts = val::object();
        for (const auto& q : checks::all()) {
            const std::string key = std::to_string(q.lesson);
            counts.set(key, (counts[key].isUndefined() ? 0 : counts[key].as<int>()) + 1);
        }
        val out = val::object();
        out.set("counts", counts);
        return out;
    });
}

val grade(val id, val answer) {
    return web::guarded([&] {
        const checks::grade_result r = checks::grade(web::to_text(id, "the question"), web::to_text(answer, "the answer"));
        val out = val::object();
        out.set("correct", r.correct);
        out.set("expected", r.expected);
        out.set("feedback", r.feedback);
        return out;
    });
}

}  // namespace

EMSCRIPTEN_BINDINGS(checks) {
    emscripten::function("questions", &questions);
    emscripten::function("all_counts", &all_counts);
    emscripten::function("grade", &grade);
}
