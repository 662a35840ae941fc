// lessons/course_model.hpp — the course's trained model, for the lessons that look inside it
// (transformer_block, trained_model, reading_maps): shared, like web/checks/question.hpp, so no
// lesson includes another's files.
//
// Natively (attnlab, the suites) the model is read from ATTN_MODEL_FILE, model/course.weights in
// the source tree, on first use. In the page there is no file: page.js fetches the weights (web/js/
// model.js) and hands their bytes to the lesson's module once (use_model), which then answers from
// them. Either way a missing, truncated, corrupt or mismatched file is a clear error, never a crash.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/inspect.hpp>
#include <attn/lm.hpp>

namespace lessons {

/// What a page is told about the model it loaded.
struct model_info {
    std::size_t layers, heads, d_model, context, vocab, parameters;
    ATTN_FIELDS(layers, heads, d_model, context, vocab, parameters)
};

namespace detail {
inline std::unique_ptr<attn::lm_model>& model_slot() {
    static std::unique_ptr<attn::lm_model> model;
    return model;
}
}  // namespace detail

/// Replaces the model with the one in `bytes` (a weights file's contents); the old one stays if
/// these are not a model.
inline model_info use_model(const std::vector<std::uint8_t>& bytes) {
    auto m = std::make_unique<attn::lm_model>(attn::load_model(std::string(bytes.begin(), bytes.end()), "the weights"));
    detail::model_slot() = std::move(m);
    attn::lm_model& k = *detail::model_slot();
    return {k.config.layers, k.config.heads, k.config.d_model, k.config.context, k.config.vocab, k.params.count()};
}

namespace detail {
inline std::string read_whole(const char* path, const char* what) {
    std::FILE* f = std::fopen(path, "rb");
    if (!f) throw attn::value_error(std::string("cannot read ") + what + ", " + path);
    std::string bytes;
    char buf[65536];
    for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, got);
    std::fclose(f);
    return bytes;
}
}  // namespace detail

/// The course's model: the one given to use_model, or (natively) model/course.weights.
inline const attn::lm_model& course_model() {
    auto& slot = detail::model_slot();
#ifdef ATTN_MODEL_FILE  // natively, and the suites under Node (NODERAWFS): the file
    if (!slot)
        slot = std::make_unique<attn::lm_model>(
            attn::load_model(detail::read_whole(ATTN_MODEL_FILE, "the course's model"), ATTN_MODEL_FILE));
#endif
    if (!slot) throw attn::value_error("the model is not loaded yet");
    return *slot;
}

#ifdef ATTN_TEXT_FILE
/// The frozen text the model was trained on (model/course-text.txt): natively and in the suites.
inline const std::string& course_text() {
    static const std::string text = detail::read_whole(ATTN_TEXT_FILE, "the course's text");
    return text;
}
#endif

}  // namespace lessons
