// tests/selfchecks.cpp — the pages' self-checks (lessons/<slug>/checks.json and lesson.hpp's answers()),
// natively and in wasm.
//
// Every question has a computable answer that grades as correct, a wrong answer
// that does not, hints, and an explanation; every lesson of the manifest has at
// least three, at least one of them aimed at a misconception whose predicted
// answer is wrong and meets its own feedback (the generated table lists every
// lesson, in order).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "checks.hpp"

TEST_CASE("every lesson has three self-checks or more, and each grades its own answer as right", "[selfcheck]") {
    std::set<std::string> ids;
    int number = 0;
    for (const auto& l : checks::lesson_tables()) {
        INFO("lesson " << l.slug);
        CHECK(l.number == ++number);  // the manifest's order
        CHECK(std::count_if(l.questions.begin(), l.questions.end(), [](const auto& q) { return !q.paper; }) >= 3);
        std::size_t traps = 0;
        for (const auto& q : l.questions) traps += q.traps.size();
        CHECK(traps >= 1);  // at least one question aimed at a misconception
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
            for (const auto& t : q.traps) {
                // what the misconception predicts is wrong, and is answered with its own feedback
                const std::vector<double> predicted = t.predicts();
                REQUIRE(predicted.size() == want.size());
                std::string typed;
                for (std::size_t k = 0; k < predicted.size(); ++k)
                    typed += (k ? ", " : "") + (q.type == checks::kind::choice
                                                    ? std::to_string(int(predicted[k]))
                                                    : checks::number_text(predicted[k], q.tolerance));
                INFO("trap answer " << typed);
                CHECK_FALSE(checks::same_answer(predicted, want, q.tolerance));
                const checks::grade_result g = checks::grade(id, typed);
                CHECK_FALSE(g.correct);
                CHECK(g.feedback == "Not quite. " + t.feedback);
            }
        }
    }
    CHECK(number >= 14);
}

TEST_CASE("every lesson has a pencil-and-paper exercise, its inputs, its boxes and its worked answer from the library",
          "[selfcheck]") {
    for (const auto& l : checks::lesson_tables()) {
        INFO("lesson " << l.slug);
        std::size_t papers = 0;
        for (const auto& q : l.questions) {
            if (!q.paper) {
                CHECK(q.grid.empty());  // a grid is paper's: the page asks for a list
                continue;
            }
            ++papers;
            INFO(q.name);
            const std::vector<double> want = q.solve();
            // the boxes on paper hold exactly the answer's numbers
            if (q.type == checks::kind::vector) {
                REQUIRE(q.grid.size() == 2);
                CHECK(q.grid[0] * q.grid[1] == want.size());
            }
            for (double x : want) CHECK(std::isfinite(x));
            REQUIRE(q.inputs);
            for (const auto& g : q.inputs()) {
                CHECK_FALSE(g.name.empty());
                CHECK(g.value.size() > 0);
            }
            REQUIRE(q.steps);
            const std::vector<std::string> steps = q.steps();
            CHECK_FALSE(steps.empty());
            // the worked answer arrives at the answer: each computed number of it is in the steps
            std::string all;
            for (const auto& line : steps) {
                CHECK(line.find("nan") == std::string::npos);
                CHECK(line.find("inf") == std::string::npos);
                all += line + "\n";
            }
            for (std::size_t k = 0; k < want.size() && q.tolerance > 0;
                 ++k) {  // a computed value, not a count or a mask
                const double x = std::abs(want[k]) < 5e-4 ? 0.0 : want[k];
                // to the steps' precision: three decimals, two, or a whole number
                bool found = false;
                for (int d : {4, 3, 2, 1, 0})
                    found = found || all.find(checks::text(x, d)) != std::string::npos ||
                            all.find(checks::num(x)) != std::string::npos;
                CHECK(found);
            }
            // no number typed into the explanation: the key's numbers all come from the code
            CHECK(std::none_of(q.why.begin(), q.why.end(),
                               [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }));
        }
        CHECK(papers >= 1);
    }
}

/// The numbers written in a text ("2", "0.67", "1,048,576", "−3"), leaving out what names a source
/// or a thing rather than a quantity: a year or section of a citation, a lesson's number, float32,
/// L1/L2, "7B", subscripts and exponents (k₃, 10⁻⁶: written in Unicode, never digits).
std::vector<double> quoted_numbers(std::string text) {
    static const std::regex names(
        R"((et al\.?|&amp;|and|Vaswani|Dao|Shazeer|Ainslie|Press|Su|Milakov|Gimelshein|Abnar|Zuidema|Beltagy|Child|Olsson|Jain|Wallace|Mistral|Llama|GPT-?|Lesson|lesson|float|bfloat|int|L|§|FlashAttention-|O\(n)\s*[\d.]+[A-Za-z]*)");
    text = std::regex_replace(text, names, " ");
    text = std::regex_replace(text, std::regex("\\d+(⁻|⁰|¹|²|³|⁴|⁵|⁶|⁷|⁸|⁹)+"), " ");  // 10⁻⁶ and the like: a power
    text =
        std::regex_replace(text, std::regex(R"((^|[^\d.,])\d{4}(?=[),;]))"), "$1 ");  // a citation's year: "(… 2017)"
    std::vector<double> out;
    static const std::regex number(R"((\d[\d,]*(?:\.\d+)?))");
    for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it) {
        std::string s = (*it)[1];
        s.erase(std::remove(s.begin(), s.end(), ','), s.end());
        if (!s.empty()) out.push_back(std::stod(s));
    }
    return out;
}

TEST_CASE("every number an explanation or a hint quotes is one its question states or the library computes",
          "[selfcheck]") {
    // The answer keys print these texts beside the computed answers: a number in them that is neither
    // in the question nor computed for it (the answer, a misconception's answer, a worked step) could
    // disagree with the code unseen.
    for (const auto& l : checks::lesson_tables())
        for (const auto& q : l.questions) {
            INFO(l.slug << "." << q.name);
            std::vector<double> known = q.solve();
            if (q.type == checks::kind::choice) known.push_back(known[0] + 1);  // "the second option"
            for (const auto& t : q.traps)
                for (double x : t.predicts()) known.push_back(x);
            for (const std::string& words : {q.prompt})
                for (double x : quoted_numbers(words)) known.push_back(x);
            for (const auto& o : q.options)
                for (double x : quoted_numbers(o)) known.push_back(x);
            if (q.steps)
                for (const auto& line : q.steps())
                    for (double x : quoted_numbers(line)) known.push_back(x);
            std::vector<std::string> texts = q.hints;
            texts.push_back(q.why);
            for (const auto& text : texts)
                for (double x : quoted_numbers(text)) {
                    const bool computed = std::any_of(known.begin(), known.end(), [&](double k) {
                        return std::abs(std::abs(k) - x) <=
                               std::max({q.tolerance * (1 + 1e-4), 0.006 * std::abs(x), 1e-9});
                    });
                    INFO("the text: " << text);
                    INFO("the number " << x << " is neither in the question nor computed for it");
                    CHECK(computed);
                }
        }
}

TEST_CASE("pencil-and-paper answers: the values worked by hand", "[selfcheck]") {
    CHECK(checks::grade("qkv_dot_product.paper-project", "3, 2, 1, 2").correct);
    CHECK(checks::grade("softmax_scaling.paper-normalise", "0.09, 0.67, 0.24").correct);
    CHECK(checks::grade("masking.paper-causal", "1 0 0 0  1 1 0 0  1 1 1 0  1 1 1 1").correct);
    CHECK(checks::grade("online_softmax.paper-merge", "3, 2.24").correct);
    CHECK(checks::grade("tiled.paper-schedule", "1 0 0  2 1 0  2 2 1").correct);
    CHECK(checks::grade("grouped_query.paper-cache", "10, 1.25").correct);
    CHECK(checks::grade("sliding_window.paper-reach", "9").correct);
    CHECK(checks::grade("reading_maps.paper-rollout", "1, 0, 0.65, 0.35").correct);
    CHECK(checks::grade("transformer_block.paper-norm", "-1.41, 0, 0, 1.41").correct);
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

TEST_CASE("self-check answers as learners type them: thousands separators, square roots", "[selfcheck]") {
    CHECK(checks::parse_numbers("512,000", 1) == std::vector<double>{512000});
    CHECK(checks::parse_numbers("1,048,576", 1) == std::vector<double>{1048576});
    CHECK(checks::parse_numbers("512 000", 1) == std::vector<double>{512000});
    CHECK(checks::parse_numbers(" 2,500.5 ", 1) == std::vector<double>{2500.5});
    CHECK(checks::parse_numbers("512,000", 2) == std::vector<double>{512, 0});  // two numbers asked: a list
    CHECK(checks::parse_numbers("1,00", 1) == std::vector<double>{1, 0});       // not groups of three: a list
    CHECK(checks::parse_numbers("\xe2\x88\x9a"
                                "64",
                                1) == std::vector<double>{8});  // √64
    CHECK(checks::parse_numbers("sqrt64", 1) == std::vector<double>{8});
    CHECK(checks::parse_numbers("\xe2\x88\x92\xe2\x88\x9a"
                                "4",
                                1) == std::vector<double>{-2});  // −√4
    CHECK_THROWS_WITH(checks::parse_numbers("2^10", 1), Catch::Contains("is a calculation: type its value"));
    CHECK_THROWS_WITH(checks::parse_numbers("64/8", 1), Catch::Contains("is a calculation"));
    CHECK_THROWS_WITH(checks::parse_numbers("\xe2\x88\x9a", 1), Catch::Contains("a square root of what?"));
    CHECK_THROWS_WITH(checks::parse_numbers("\xe2\x88\x9a-4", 1), Catch::Contains("is not a real number"));
}

TEST_CASE("self-check input that is not an answer is a value_error", "[selfcheck]") {
    CHECK_THROWS_WITH(checks::grade("softmax_scaling.softmax", "lots"), Catch::Contains("'lots' is not a number"));
    CHECK_THROWS_WITH(checks::grade("softmax_scaling.softmax", "  "), Catch::Contains("type an answer first"));
    CHECK_THROWS_WITH(checks::grade("nope.nothing", "1"), Catch::Contains("there is no self-check 'nope.nothing'"));
    CHECK_THROWS_AS(checks::grade("online_softmax.online-l", "nan"), attn::value_error);
}
