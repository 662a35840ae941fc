// tests/selfchecks.cpp — the pages' self-checks (web/checks/checks.hpp), natively and in wasm.
//
// Every question has a computable answer that grades as correct, a wrong answer
// that does not, hints, and an explanation; every lesson has at least one.
#include <catch2/catch.hpp>

#include <set>

#include "checks.hpp"

TEST_CASE("every lesson has a self-check, and each grades its own answer as right", "[selfcheck]") {
    std::set<int> lessons;
    std::set<std::string> ids;
    for (const auto& q : checks::all()) {
        INFO(q.id);
        lessons.insert(q.lesson);
        CHECK(ids.insert(q.id).second);  // ids are unique
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
        const checks::grade_result ok = checks::grade(q.id, right), no = checks::grade(q.id, wrong);
        CHECK(ok.correct);
        CHECK_FALSE(no.correct);
        CHECK_THAT(ok.feedback, Catch::StartsWith("Right."));
        CHECK_FALSE(ok.expected.empty());
    }
    for (int l = 1; l <= 14; ++l) {
        INFO("lesson " << l);
        CHECK(lessons.count(l) == 1);
    }
}

TEST_CASE("self-check answers: the values the lessons teach", "[selfcheck]") {
    CHECK(checks::grade("02-softmax", "0.67, 0.24, 0.09").correct);
    CHECK(checks::grade("02-softmax", "(0.67 0.24 0.09)").correct);
    CHECK_FALSE(checks::grade("02-softmax", "0.67, 0.24").correct);
    CHECK(checks::grade("07-online-l", "1.14").correct);
    CHECK(checks::grade("13-softmax-grad", "0.25, \xe2\x88\x92" "0.25").correct);  // a typographic minus
    CHECK(checks::grade("01-top-key", "2").correct);
    CHECK(checks::grade("14-pattern", "1").correct);
    CHECK(checks::grade("08-causal-tiles", "10").correct);
    CHECK(checks::grade("11-window-pairs", "12").correct);
}

TEST_CASE("self-check input that is not an answer is a value_error", "[selfcheck]") {
    CHECK_THROWS_WITH(checks::grade("02-softmax", "lots"), Catch::Contains("'lots' is not a number"));
    CHECK_THROWS_WITH(checks::grade("02-softmax", "  "), Catch::Contains("type an answer first"));
    CHECK_THROWS_WITH(checks::grade("99-nope", "1"), Catch::Contains("there is no self-check '99-nope'"));
    CHECK_THROWS_AS(checks::grade("07-online-l", "nan"), attn::value_error);
}
