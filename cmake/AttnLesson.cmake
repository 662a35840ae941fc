# attn_add_lesson(): everything one lesson becomes, in both builds, from its folder alone.
#
#   attn_add_lesson(<slug> <number> <test_seconds>)   called by lessons/CMakeLists.txt for every
#                                                     manifest entry (test_seconds: 0 when not given)
#
# A lesson folder, lessons/<slug>/, holds these fixed files (docs/architecture.md, "The lesson
# contract"); a missing one is a configure error that names it:
#   README.md        the text                        lesson.hpp     the lesson's C++ API
#   exercise.cpp     the learner's stubs             walkthrough.cpp `attnlab lesson N`
#   test.cpp         its Catch2 suite (impl::)       bindings.cpp   what the page may call
#   page.js          the page's widgets              page.test.mjs  the page's browser test
#   checks.json      its self-checks' words (their answers: lesson.hpp's answers())
#   page.css         the page's own styles (optional)
#
# Native build:
#   <slug>_tests            test.cpp against attn::            ctest <slug>.native    [native]
#                           and, if it has [.stretch] tests, ctest <slug>.stretch runs them [native]
#   <slug>_exercise_tests   test.cpp against exercise.cpp      ctest <slug>.exercise  [exercise]
#   <slug>.stub_fails       the untouched exercise FAILS its suite (skipped once edited) [stubs]
#   <slug>_staged_tests     test.cpp against build/native/staged/<slug>/exercise.cpp, a copy of
#                           any file (attnlab check --file, watch, grade); built only on demand
#   <slug>.readme           README's worked example == `attnlab lesson N`              [native]
#   walkthrough.cpp, and `attnlab example N --json` from lesson.hpp, go into attnlab.
# Wasm build:
#   <slug>_tests            test.cpp against attn:: under Node ctest <slug>.wasm      [wasm]
#   <slug>_page             bindings.cpp as the ES module <site>/lessons/<slug>/lesson.mjs
#   <slug>.browser          page.test.mjs against the built site                      [browser]

set(ATTN_SITE_DIR ${CMAKE_BINARY_DIR}/site CACHE INTERNAL "where the static site is built")
set(ATTN_LESSON_FILES README.md lesson.hpp exercise.cpp walkthrough.cpp test.cpp bindings.cpp page.js page.test.mjs
    checks.json CACHE INTERNAL "the files every lesson folder holds")

function(attn_add_lesson slug number test_seconds)
  set(dir ${PROJECT_SOURCE_DIR}/lessons/${slug})
  foreach(file ${ATTN_LESSON_FILES})
    if(NOT EXISTS ${dir}/${file})
      message(FATAL_ERROR "lessons.json names '${slug}', but lessons/${slug}/${file} is missing. Every lesson "
                          "folder holds ${ATTN_LESSON_FILES} (./lab new-lesson makes them).")
    endif()
  endforeach()
  set(out ${CMAKE_BINARY_DIR}/lessons/${slug})

  # The lesson's Catch2 suite against the reference: both builds, same file.
  add_executable(${slug}_tests ${dir}/test.cpp)
  target_link_libraries(${slug}_tests PRIVATE attn attn_test_support attn_catch_main)
  attn_test_pch(${slug}_tests)  # tests/CMakeLists.txt: Catch2 and the library, parsed once
  set_target_properties(${slug}_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${out})

  if(NOT EMSCRIPTEN)
    # The sanitizer build leaves out the test cases tagged [walkthrough]: the lesson's walkthrough,
    # which <slug>.readme runs under the sanitizers too, does the same computation from the same
    # seed (lesson 17's needle and its two trained models, 57 s of its suite under ASan).
    set(filter)
    if(CMAKE_BUILD_TYPE STREQUAL "Debug")
      set(filter "~[walkthrough]")
    endif()
    add_test(NAME ${slug}.native COMMAND ${slug}_tests ${filter})
    set_tests_properties(${slug}.native PROPERTIES LABELS native)
    # A stretch exercise's tests are hidden ([.stretch]: not run by `attnlab check` nor by the stub
    # proof); run here against the reference, they show the stretch tests pass on a solution.
    file(READ ${dir}/test.cpp suite)
    if(suite MATCHES "\\[\\.stretch\\]")
      add_test(NAME ${slug}.stretch COMMAND ${slug}_tests "[stretch]")
      set_tests_properties(${slug}.stretch PROPERTIES LABELS native)
    endif()

    # The same suite against the learner's exercise.cpp (or, for teachers, the reference).
    # The sanitizer build leaves these out: it runs the library's suites.
    if(ATTN_EXERCISES)
      add_executable(${slug}_exercise_tests ${dir}/test.cpp)
      target_link_libraries(${slug}_exercise_tests PRIVATE attn attn_test_support attn_catch_main)
      attn_test_pch(${slug}_exercise_tests)
      set_target_properties(${slug}_exercise_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${out})
      if(NOT ATTN_SOLUTIONS)
        target_compile_definitions(${slug}_exercise_tests PRIVATE
          ATTN_TEST_EXERCISE ATTN_EXERCISE_FILE="${dir}/exercise.cpp")
      endif()
      # The same suite against a copy of any file (attnlab check --file, watch --file, grade): the
      # copy is put at build/native/staged/<slug>/exercise.cpp, so a teacher grading a class and
      # the tests never touch lessons/. Built only when asked for.
      add_executable(${slug}_staged_tests EXCLUDE_FROM_ALL ${dir}/test.cpp)
      target_link_libraries(${slug}_staged_tests PRIVATE attn attn_test_support attn_catch_main)
      attn_test_pch(${slug}_staged_tests)
      set_target_properties(${slug}_staged_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${out})
      target_compile_definitions(${slug}_staged_tests PRIVATE
        ATTN_TEST_EXERCISE ATTN_EXERCISE_FILE="${CMAKE_BINARY_DIR}/staged/${slug}/exercise.cpp")
      add_test(NAME ${slug}.exercise COMMAND ${slug}_exercise_tests)
      set_tests_properties(${slug}.exercise PROPERTIES LABELS exercise)

      if(ATTN_PROVE_STUBS AND NOT ATTN_SOLUTIONS)
        add_test(NAME ${slug}.stub_fails
          COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:${slug}_exercise_tests> -DEXERCISE=${dir}/exercise.cpp
                  -DSLUG=${slug} -P ${PROJECT_SOURCE_DIR}/cmake/ExpectStubFails.cmake)
        set_tests_properties(${slug}.stub_fails PROPERTIES LABELS stubs
          SKIP_REGULAR_EXPRESSION "has been edited: the untouched-stub proof does not apply")
      endif()
    endif()

    # attnlab: the walkthrough, and the example's values as JSON from lesson.hpp's one
    # declaration, compiled as one translation unit (xtensor makes each one costly).
    set(cli ${CMAKE_BINARY_DIR}/cli/lessons/${slug}.cpp)
    file(CONFIGURE OUTPUT ${cli} CONTENT
"// Generated by attn_add_lesson() (cmake/AttnLesson.cmake). Do not edit.
#include <ostream>

#include <attn/format.hpp>

#include \"${slug}/walkthrough.cpp\"

namespace lessons::${slug} {
void print_values(std::ostream& out) { out << attn::to_json(example_values()) << \"\\n\"; }
}  // namespace lessons::${slug}
")
    target_sources(attnlab_lessons PRIVATE ${cli})
    add_test(NAME ${slug}.readme
      COMMAND ${CMAKE_COMMAND} -DATTNLAB=$<TARGET_FILE:attnlab> -DLESSON=${slug}
              -DREADME=${dir}/README.md -P ${PROJECT_SOURCE_DIR}/cmake/CheckReadmeExample.cmake)
    set_tests_properties(${slug}.readme PROPERTIES LABELS native)
    if(test_seconds GREATER 0)  # the manifest's test_seconds: the slow ones start first
      set_tests_properties(${slug}.native ${slug}.readme PROPERTIES COST ${test_seconds})
    endif()
  else()
    set_target_properties(${slug}_tests PROPERTIES SUFFIX .js)  # linked as tests/CMakeLists.txt says
    add_test(NAME ${slug}.wasm COMMAND ${ATTN_NODE_RUN} $<TARGET_FILE:${slug}_tests>)
    set_tests_properties(${slug}.wasm PROPERTIES LABELS wasm)

    # The page's module: ES6, loaded by page.js from the same folder.
    add_executable(${slug}_page ${dir}/bindings.cpp)
    target_link_libraries(${slug}_page PRIVATE attn attn_web_bindings)
    set_target_properties(${slug}_page PROPERTIES
      OUTPUT_NAME lesson SUFFIX .mjs RUNTIME_OUTPUT_DIRECTORY ${ATTN_SITE_DIR}/lessons/${slug})
    target_link_options(${slug}_page PRIVATE
      --bind -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createLessonModule
      -sENVIRONMENT=web -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0
      # No eval or new Function in the glue (embind's invokers included), so the
      # site's Content-Security-Policy can leave out 'unsafe-eval' (web/serve.mjs).
      -sDYNAMIC_EXECUTION=0)
    set_property(GLOBAL APPEND PROPERTY ATTN_PAGE_TARGETS ${slug}_page)

    if(ATTN_BROWSER_TESTS)
      add_test(NAME ${slug}.browser COMMAND ${ATTN_NODE} --test ${dir}/page.test.mjs)
      set_tests_properties(${slug}.browser PROPERTIES LABELS browser
        ENVIRONMENT "ATTN_SITE_DIR=${ATTN_SITE_DIR};ATTNLAB=${ATTN_NATIVE_ATTNLAB}")
    endif()
  endif()
endfunction()
