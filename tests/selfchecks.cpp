// tests/selfchecks.cpp — the pages' self-checks (lessons/<slug>/checks.hpp), natively and in wasm.
//
// Every question has a computable answer that grades as correct, a wrong answer
// that does not, hints, and an explanation; every lesson of the manifest has at
// least one (the generated table lists every lesson, in order).
#include <catch2/catch.hpp>

#include <set>

#include "checks.hpp"

TEST_CASE("every lesson has a self-check, and each grades its own answer as right", "[selfcheck]") {
    std::set<std::string> ids;
    int number = 0;
    for (const auto& l : checks::lesson_tables()) {
        INFO("lesson " << l.slug);
        CHECK(l.number == ++number);  // the manifest's order
        CHECK_FALSE(l.questions.empty());
        for (const auto& q : l.questions) {
            const std::string id = l.slug + "." + q.name;
            INFO(id);
            CHECK(ids.insert(id).second);  // ids are unique
            CHECK_FALSE(q.hints.empty());
            CHECK_FALSE(q.why.empty());
            const std::vector<double> want = q.solve();
            REQUIRE_FALSE(want.empty());
            std::string right, wrong;
            if (q.type == checks::kind::choice) {
                REQUIRE(want.size() == 1);
                REQUIRE(want[0] < q.options.size());
                right = std::to_string(int(want[0]));
                wrong = std::to_string((int(want[0]) + 1) % int(q.options.size()));
            } else {
                for (std::size_t k = 0; k < want.size(); ++k) {
                    right += (k ? ", " : "") + checks::number_text(want[k], q.tolerance);
                    wrong += (k ? ", " : "") + checks::number_text(want[k] + 1, q.tolerance);
                }
            }
            const checks::grade_result ok = checks::grade(id, right), no = checks::grade(id, wrong);
            CHECK(ok.correct);
            CHECK_FALSE(no.correct);
            CHECK_THAT(ok.feedback, Catch::StartsWith("Right."));
            CHECK_FALSE(ok.expected.empty());
        }
    }
    CHECK(number >= 14);
}

TEST_CASE("self-check answers: the values the lessons teach", "[selfcheck]") {
    CHECK(checks::grade("softmax_scaling.softmax", "0.67, 0.24, 0.09").correct);
    CHECK(checks::grade("softmax_scaling.softmax", "(0.67 0.24 0.09)").correct);
    CHECK_FALSE(checks::grade("softmax_scaling.softmax", "0.67, 0.24").correct);
    CHECK(checks::grade("online_softmax.online-l", "1.14").correct);
    CHECK(checks::grade("backward.softmax-grad",
                        "0.25, \xe2\x88\x92"
                        "0.25")
              .correct);  // a typographic minus
    CHECK(checks::grade("qkv_dot_product.top-key", "2").correct);
    CHECK(checks::grade("training.pattern", "1").correct);
    CHECK(checks::grade("tiled.causal-tiles", "10").correct);
    CHECK(checks::grade("sliding_window.window-pairs", "12").correct);
}

TEST_CASE("self-check input that is not an answer is a value_error", "[selfcheck]") {
    CHECK_THROWS_WITH(checks::grade("softmax_scaling.softmax", "lots"), Catch::Contains("'lots' is not a number"));
    CHECK_THROWS_WITH(checks::grade("softmax_scaling.softmax", "  "), Catch::Contains("type an answer first"));
    CHECK_THROWS_WITH(checks::grade("nope.nothing", "1"), Catch::Contains("there is no self-check 'nope.nothing'"));
    CHECK_THROWS_AS(checks::grade("online_softmax.online-l", "nan"), attn::value_error);
}
