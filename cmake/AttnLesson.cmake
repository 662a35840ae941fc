# attn_add_lesson(): everything one lesson becomes, in both builds.
#
#   attn_add_lesson(<NN_slug>
#     TEST          <Catch2 file>     the lesson's tests, written against `impl::`
#     EXERCISE      <exercise.cpp>    the learner's stubs (namespace exercise)
#     DEMO          <demo.cpp>        lessonNN::demo() and lessonNN::example_json()
#     BINDINGS      <bindings.cpp>    embind exports for the page
#     BROWSER_TEST  <*.test.mjs>      the page's headless-Chromium test)
#
# Native build:
#   lessonNN_tests           TEST against attn::            ctest lessonNN.native   [native]
#   lessonNN_exercise_tests  TEST against the exercise      ctest lessonNN.exercise [exercise]
#   lessonNN.stub_fails      the untouched exercise FAILS   (skipped once edited)   [stubs]
#   lessonNN.readme          README's worked example == `attnlab lesson NN`          [native]
#   DEMO is compiled into attnlab.
# Wasm build:
#   lessonNN_tests           TEST against attn:: under Node ctest lessonNN.wasm    [wasm]
#   lessonNN_page            BINDINGS as an ES module in <site>/lessons/NN_slug/
#   lessonNN.browser         BROWSER_TEST against the built site                 [browser]

set(ATTN_SITE_DIR ${CMAKE_BINARY_DIR}/site CACHE INTERNAL "where the static site is built")

function(attn_add_lesson folder)
  cmake_parse_arguments(L "" "TEST;EXERCISE;DEMO;BINDINGS;BROWSER_TEST" "" ${ARGN})
  foreach(required TEST EXERCISE DEMO BINDINGS BROWSER_TEST)
    if(NOT L_${required})
      message(FATAL_ERROR "attn_add_lesson(${folder}): ${required} is required")
    endif()
  endforeach()
  string(SUBSTRING ${folder} 0 2 nn)
  math(EXPR id "${nn}")          # 01 -> 1, as attnlab and the README markers spell it
  set(lesson lesson${nn})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  get_filename_component(test_file ${L_TEST} ABSOLUTE)
  get_filename_component(exercise_file ${L_EXERCISE} ABSOLUTE)

  # The lesson's Catch2 suite against the reference: both builds, same file.
  add_executable(${lesson}_tests ${test_file})
  target_link_libraries(${lesson}_tests PRIVATE attn attn_test_support attn_catch_main)

  if(NOT EMSCRIPTEN)
    add_test(NAME ${lesson}.native COMMAND ${lesson}_tests)
    set_tests_properties(${lesson}.native PROPERTIES LABELS native)

    # The same suite against the learner's exercise.cpp.
    add_executable(${lesson}_exercise_tests ${test_file})
    target_link_libraries(${lesson}_exercise_tests PRIVATE attn attn_test_support attn_catch_main)
    if(ATTN_SOLUTIONS)
      # Teachers' build: the exercise targets are linked against the reference (attn::),
      # so `attnlab check N` and `ctest -L exercise` pass and show what done looks like.
      target_compile_definitions(${lesson}_exercise_tests PRIVATE ATTN_SOLUTIONS_BUILD)
    else()
      target_compile_definitions(${lesson}_exercise_tests PRIVATE
        ATTN_TEST_EXERCISE ATTN_EXERCISE_FILE="${exercise_file}")
    endif()
    add_test(NAME ${lesson}.exercise COMMAND ${lesson}_exercise_tests)
    set_tests_properties(${lesson}.exercise PROPERTIES LABELS exercise)

    if(ATTN_PROVE_STUBS AND NOT ATTN_SOLUTIONS)
      add_test(NAME ${lesson}.stub_fails
        COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:${lesson}_exercise_tests>
                -DEXERCISE=${exercise_file} -P ${PROJECT_SOURCE_DIR}/cmake/ExpectStubFails.cmake)
      set_tests_properties(${lesson}.stub_fails PROPERTIES LABELS stubs
        SKIP_REGULAR_EXPRESSION "has been edited: the untouched-stub proof does not apply")
    endif()

    target_sources(attnlab_lessons PRIVATE ${dir}/${L_DEMO})
    add_test(NAME ${lesson}.readme
      COMMAND ${CMAKE_COMMAND} -DATTNLAB=$<TARGET_FILE:attnlab> -DLESSON=${id}
              -DREADME=${dir}/README.md -P ${PROJECT_SOURCE_DIR}/cmake/CheckReadmeExample.cmake)
    set_tests_properties(${lesson}.readme PROPERTIES LABELS native)

    set_property(GLOBAL APPEND PROPERTY ATTN_LESSONS ${folder})
  else()
    set_target_properties(${lesson}_tests PROPERTIES SUFFIX .js)
    target_link_options(${lesson}_tests PRIVATE -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
    add_test(NAME ${lesson}.wasm COMMAND ${ATTN_NODE_RUN} $<TARGET_FILE:${lesson}_tests>)
    set_tests_properties(${lesson}.wasm PROPERTIES LABELS wasm)

    # The page's module: ES6, loaded by page.js from the same folder.
    add_executable(${lesson}_page ${dir}/${L_BINDINGS})
    target_link_libraries(${lesson}_page PRIVATE attn attn_web_bindings)
    set_target_properties(${lesson}_page PROPERTIES
      OUTPUT_NAME lesson SUFFIX .mjs
      RUNTIME_OUTPUT_DIRECTORY ${ATTN_SITE_DIR}/lessons/${folder})
    target_link_options(${lesson}_page PRIVATE
      --bind -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createLessonModule
      -sENVIRONMENT=web -sALLOW_MEMORY_GROWTH=1 -sFILESYSTEM=0
      # No eval or new Function in the glue (embind's invokers included), so the
      # site's Content-Security-Policy can leave out 'unsafe-eval' (web/serve.mjs).
      -sDYNAMIC_EXECUTION=0)
    set_property(GLOBAL APPEND PROPERTY ATTN_PAGE_TARGETS ${lesson}_page)

    if(ATTN_BROWSER_TESTS)
      get_filename_component(browser_test ${L_BROWSER_TEST} ABSOLUTE)
      add_test(NAME ${lesson}.browser COMMAND ${ATTN_NODE} --test ${browser_test})
      set_tests_properties(${lesson}.browser PROPERTIES LABELS browser
        ENVIRONMENT "ATTN_SITE_DIR=${ATTN_SITE_DIR};ATTNLAB=${ATTN_NATIVE_ATTNLAB}"
        RESOURCE_LOCK chromium)
    endif()
    set_property(GLOBAL APPEND PROPERTY ATTN_LESSONS ${folder})
  endif()
endfunction()
