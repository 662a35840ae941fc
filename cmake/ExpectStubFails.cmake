# Proves that an untouched exercise FAILS its lesson's tests, so no test is
# vacuous: the suite must run, report at least one failed test case, and exit
# with Catch2's failure count, not crash. ctest -L stubs; CI runs it on a fresh
# clone, where every exercise is untouched.
#
# A learner who has edited the exercise gets this test reported as skipped
# (SKIP_REGULAR_EXPRESSION "has been edited"), not failed: their exercise is
# meant to pass by then. Edited means git sees a change, or the file no longer
# holds a `// TODO(<slug>):` marker (a learner who committed the solution).
#   cmake -DBINARY=<slug>_exercise_tests -DEXERCISE=<exercise.cpp> -DSLUG=<slug> -P ExpectStubFails.cmake
#
# CI sets ATTN_REQUIRE_STUBS=1 (.ci/run): on its fresh clone every exercise must be the
# untouched stub, so a skip there would hide a stub without markers; it fails instead.
get_filename_component(dir ${EXERCISE} DIRECTORY)
set(skip_or_fail STATUS)
if("$ENV{ATTN_REQUIRE_STUBS}" STREQUAL "1")
  set(skip_or_fail FATAL_ERROR)
endif()
find_program(GIT git)
if(GIT)
  execute_process(COMMAND ${GIT} -C ${dir} diff --quiet HEAD -- ${EXERCISE}
                  RESULT_VARIABLE edited OUTPUT_QUIET ERROR_QUIET)
  if(edited EQUAL 1)
    message(${skip_or_fail} "${EXERCISE} has been edited: the untouched-stub proof does not apply")
    return()
  endif()
endif()
file(READ ${EXERCISE} text)
if(NOT text MATCHES "// TODO\\(${SLUG}\\):")
  message(${skip_or_fail} "${EXERCISE} has been edited: the untouched-stub proof does not apply (no TODO marker is left)")
  return()
endif()

execute_process(COMMAND ${BINARY} --reporter compact
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${EXERCISE} passes its tests untouched: its tests check nothing.\n${out}")
endif()
if(NOT rc MATCHES "^[0-9]+$")  # a signal comes back as text, e.g. "Segmentation fault"
  message(FATAL_ERROR "the untouched exercise crashed (${rc}) instead of failing its tests\n${out}\n${err}")
endif()
if(NOT out MATCHES "Failed (all |both )?[0-9]+ test case")
  message(FATAL_ERROR "the untouched exercise exited ${rc} without a Catch2 failure report\n${out}\n${err}")
endif()
string(REGEX MATCH "Failed (all |both )?[0-9]+ test cases?, failed (all |both )?[0-9]+ assertions?" summary "${out}")
message(STATUS "untouched ${EXERCISE}: ${summary} (as it must)")
