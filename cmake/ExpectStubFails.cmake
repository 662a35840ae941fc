# Proves that an untouched exercise FAILS its lesson's tests, so no test is
# vacuous: the suite must run, report at least one failed test case, and exit
# with Catch2's failure count, not crash. Used by ctest -L stubs (CI).
#   cmake -DBINARY=<lessonNN_exercise_tests> -DEXERCISE=<exercise.cpp> -P ExpectStubFails.cmake
execute_process(COMMAND ${BINARY} --reporter compact
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${EXERCISE} passes its tests untouched: its tests check nothing.\n${out}")
endif()
if(NOT rc MATCHES "^[0-9]+$" OR rc GREATER 254)
  message(FATAL_ERROR "the untouched exercise crashed (${rc}) instead of failing its tests\n${out}\n${err}")
endif()
if(NOT out MATCHES "Failed [0-9]+ test case")
  message(FATAL_ERROR "the untouched exercise exited ${rc} without a Catch2 failure report\n${out}\n${err}")
endif()
string(REGEX MATCH "Failed [0-9]+ test cases?, failed [0-9]+ assertions?" summary "${out}")
message(STATUS "untouched ${EXERCISE}: ${summary} (as it must)")
