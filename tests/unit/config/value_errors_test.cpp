// Values of the right syntax but the wrong type or range: one error naming line and key, and the
// domain is rejected while a valid neighbour is not.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

struct ValueCase {
    const char* lines; // starting on line 3 of a domain named "d"
    const char* error;
};

class ConfigValueError : public ::testing::TestWithParam<ValueCase> {};

TEST_P(ConfigValueError, RejectsTheDomainWithLineAndKey) {
    auto p = parse_text(domain_with(GetParam().lines) + "[domain]\nname = \"ok\"\n");
    EXPECT_EQ(only_error(p), GetParam().error);
    ASSERT_EQ(p->domain_count, 2u);
    EXPECT_TRUE(p->domains[0].rejected);
    EXPECT_FALSE(p->domains[1].rejected);
    EXPECT_EQ(p->accepted_domains(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Types, ConfigValueError,
    ::testing::Values(
        ValueCase{"vcpus = \"abc\"", "line 3, key \"vcpus\": expects a number, not a string"},
        ValueCase{"vcpus = \"2\"", "line 3, key \"vcpus\": expects a number, not a string"},
        ValueCase{"memory = [1]", "line 3, key \"memory\": expects a number, not a list"},
        ValueCase{"period = \"10000\"", "line 3, key \"period\": expects a number, not a string"},
        ValueCase{"budget = [4000]", "line 3, key \"budget\": expects a number, not a list"},
        ValueCase{"kernel = 1", "line 3, key \"kernel\": expects a quoted string, not a number"},
        ValueCase{"wake = [\"cbs\"]", "line 3, key \"wake\": expects a quoted string, not a list"},
        ValueCase{"pool = 0", "line 3, key \"pool\": expects a quoted string, not a number"}));

INSTANTIATE_TEST_SUITE_P(
    Ranges, ConfigValueError,
    ::testing::Values(
        ValueCase{"vcpus = 0", "line 3, key \"vcpus\": must be between 1 and 64"},
        ValueCase{"vcpus = 65", "line 3, key \"vcpus\": must be between 1 and 64"},
        ValueCase{"memory = 0", "line 3, key \"memory\": must be between 1 and 1048576"},
        ValueCase{"memory = 1048577", "line 3, key \"memory\": must be between 1 and 1048576"},
        ValueCase{"extratime = 2", "line 3, key \"extratime\": must be between 0 and 1"},
        ValueCase{"kernel = \"periodic\"\njob_us = 0",
                  "line 4, key \"job_us\": must be between 1 and 4294967296"},
        ValueCase{"kernel = \"periodic\"\njob_period_us = 9",
                  "line 4, key \"job_period_us\": must be between 10 and 4294967296"},
        ValueCase{"kernel = \"interactive\"\nsleep_us = 4294967297",
                  "line 4, key \"sleep_us\": must be between 10 and 4294967296"},
        ValueCase{"kernel = \"interactive\"\nburst_us = 0",
                  "line 4, key \"burst_us\": must be between 1 and 4294967296"}));

// The scheduler core's validate()/describe(), reported at the key they are about.
INSTANTIATE_TEST_SUITE_P(
    SchedulerRules, ConfigValueError,
    ::testing::Values(
        ValueCase{"period = 9\nbudget = 9",
                  "line 3, key \"period\": period is below the minimum of 10 us"},
        ValueCase{"period = 4294967297",
                  "line 3, key \"period\": period is above the maximum of 4294967296 us"},
        ValueCase{"budget = 9", "line 3, key \"budget\": budget is below the minimum of 10 us"},
        ValueCase{"period = 1000\nbudget = 1001", "line 4, key \"budget\": budget exceeds period"},
        ValueCase{"budget = 10001", "line 3, key \"budget\": budget exceeds period"},
        ValueCase{"period = 1000", "line 3, key \"period\": budget exceeds period"}));

INSTANTIATE_TEST_SUITE_P(
    Enumerations, ConfigValueError,
    ::testing::Values(
        ValueCase{
            "kernel = \"Linux\"",
            "line 3, key \"kernel\": unknown kernel (linux, pvh, busy, periodic, interactive, "
            "cli-spin, exit-storm, ept-escape, triple-fault, tasks)"},
        ValueCase{
            "kernel = \"Busy\"",
            "line 3, key \"kernel\": unknown kernel (linux, pvh, busy, periodic, interactive, "
            "cli-spin, exit-storm, ept-escape, triple-fault, tasks)"},
        ValueCase{"wake = \"edf\"", "line 3, key \"wake\": unknown wake rule (deferrable, cbs)"}));

INSTANTIATE_TEST_SUITE_P(
    Workloads, ConfigValueError,
    ::testing::Values(
        ValueCase{"job_us = 100", "line 3, key \"job_us\": applies only to kernel \"periodic\""},
        ValueCase{"kernel = \"interactive\"\nrelease_offset_us = 5",
                  "line 4, key \"release_offset_us\": applies only to kernel \"periodic\""},
        ValueCase{"kernel = \"periodic\"\nburst_us = 5",
                  "line 4, key \"burst_us\": applies only to kernel \"interactive\""},
        ValueCase{"sleep_us = 50", "line 3, key \"sleep_us\": applies only to kernel "
                                   "\"interactive\""},
        ValueCase{"kernel = \"periodic\"\njob_us = 3000\njob_period_us = 2000",
                  "line 4, key \"job_us\": job_us (3000) exceeds job_period_us (2000)"},
        ValueCase{"kernel = \"periodic\"\nperiod = 2000\nbudget = 1000\njob_us = 3000",
                  "line 6, key \"job_us\": job_us (3000) exceeds job_period_us (2000)"},
        ValueCase{"kernel = \"periodic\"\nrelease_offset_us = 10000",
                  "line 4, key \"release_offset_us\": must be below job_period_us (10000)"}));

INSTANTIATE_TEST_SUITE_P(
    Pools, ConfigValueError,
    ::testing::Values(
        ValueCase{"pool = \"a b\"",
                  "line 3, key \"pool\": name may contain only letters, digits, '_', '.' and '-'"},
        ValueCase{"pool = \"rt\"", "line 3, key \"pool\": no pool named \"rt\""}));

INSTANTIATE_TEST_SUITE_P(
    Cpus, ConfigValueError,
    ::testing::Values(
        ValueCase{"cpus = \"4\"", "line 3, key \"cpus\": CPU 4 does not exist (CPUs are 0-3)"},
        ValueCase{"cpus = \"0-9\"", "line 3, key \"cpus\": CPU 9 does not exist (CPUs are 0-3)"},
        ValueCase{"cpus = \"99999999999999999999999\"",
                  "line 3, key \"cpus\": CPU 256 or above does not exist (CPUs are 0-3)"},
        ValueCase{"cpus = 4", "line 3, key \"cpus\": CPU 4 does not exist (CPUs are 0-3)"},
        ValueCase{"cpus = \"3-1\"", "line 3, key \"cpus\": CPU range 3-1 is reversed"},
        ValueCase{"cpus = \"\"", "line 3, key \"cpus\": empty item in CPU list"},
        ValueCase{"cpus = \"1,,2\"", "line 3, key \"cpus\": empty item in CPU list"},
        ValueCase{"cpus = \"1;2\"", "line 3, key \"cpus\": expected ',' between CPU list items"},
        ValueCase{"cpus = \"x\"",
                  "line 3, key \"cpus\": CPU list items are \"all\", N, N-M, ^N or ^N-M"},
        ValueCase{"cpus = \"alll\"", "line 3, key \"cpus\": expected ',' between CPU list items"},
        ValueCase{"cpus = \"1 2\"", "line 3, key \"cpus\": expected ',' between CPU list items"},
        ValueCase{"cpus = \"^0-3\"", "line 3, key \"cpus\": CPU list selects no CPU"},
        ValueCase{"cpus = []", "line 3, key \"cpus\": empty list"},
        ValueCase{"vcpus = 2\ncpus = [\"0\", \"1\", \"2\"]",
                  "line 4, key \"cpus\": list has 3 entries but the domain has 2 VCPUs"},
        ValueCase{"cpus = [\"0\", \"5\"]",
                  "line 3, key \"cpus\": CPU 5 does not exist (CPUs are 0-3)"}));

} // namespace
} // namespace rthv::config::test
